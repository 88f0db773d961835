package io.hearth.identity.linking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.zaxxer.hikari.HikariDataSource;
import io.hearth.support.MutableClock;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The link-issuing limits, counted in the state database. "Hub A" and "hub B" are two limiters with their own data
 * sources on one H2 file database, as two hub processes on one state database (issue 12): the limit holds across both.
 */
class SlidingWindowLimiterTest {

    final MutableClock clock = new MutableClock();
    @TempDir
    Path dir;
    String url;
    JdbcTemplate hubA;
    JdbcTemplate hubB;

    final List<HikariDataSource> pools = new ArrayList<>();

    @BeforeEach
    void setUp() {
        url = "jdbc:h2:file:" + dir.resolve("state").toAbsolutePath() + ";LOCK_TIMEOUT=10000";
        hubA = new JdbcTemplate(pool());
        Flyway.configure().dataSource(hubA.getDataSource()).locations("classpath:db/migration").load().migrate();
        hubB = new JdbcTemplate(pool());
    }

    /** One hub's connection pool. */
    HikariDataSource pool() {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(url);
        ds.setUsername("sa");
        ds.setMaximumPoolSize(3);
        pools.add(ds);
        return ds;
    }

    @AfterEach
    void closePools() {
        pools.forEach(HikariDataSource::close);
    }

    @Test
    void limitPerKeyWithinTheWindowAndTheWait() {
        SlidingWindowLimiter limiter = new SlidingWindowLimiter(hubA, "t", 3, Duration.ofMinutes(1), clock);
        assertThat(limiter.tryAcquire("a").allowed()).isTrue();
        clock.advance(Duration.ofSeconds(20));
        assertThat(limiter.tryAcquire("a").allowed()).isTrue();
        assertThat(limiter.tryAcquire("a").allowed()).isTrue();
        SlidingWindowLimiter.Decision refused = limiter.tryAcquire("a");
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfter()).as("until the first event leaves the window (the test clock also runs)")
                .isBetween(Duration.ofSeconds(30), Duration.ofSeconds(40));
        assertThat(limiter.tryAcquire("b").allowed()).as("other keys are not affected").isTrue();

        clock.advance(Duration.ofSeconds(30));
        assertThat(limiter.tryAcquire("a").allowed()).as("a refusal is not counted; still 3 in the window").isFalse();
        clock.advance(Duration.ofSeconds(10));
        assertThat(limiter.tryAcquire("a").allowed()).as("the first has left").isTrue();
        assertThat(limiter.tryAcquire("a").allowed()).isFalse();
    }

    @Test
    void twoHubsOnOneDatabaseShareTheLimit() {
        SlidingWindowLimiter a = new SlidingWindowLimiter(hubA, "link-contact", 3, Duration.ofHours(1), clock);
        SlidingWindowLimiter b = new SlidingWindowLimiter(hubB, "link-contact", 3, Duration.ofHours(1), clock);
        assertThat(a.tryAcquire("003A").allowed()).isTrue();
        assertThat(a.tryAcquire("003A").allowed()).isTrue();
        assertThat(b.tryAcquire("003A").allowed()).isTrue();
        assertThat(b.tryAcquire("003A").allowed()).as("hub B sees hub A's two events: the limit is the cluster's").isFalse();
        assertThat(a.tryAcquire("003A").allowed()).isFalse();
        assertThat(b.tryAcquire("003B").allowed()).isTrue();

        SlidingWindowLimiter restarted = new SlidingWindowLimiter(new JdbcTemplate(pool()),
                "link-contact", 3, Duration.ofHours(1), clock);
        assertThat(restarted.tryAcquire("003A").allowed()).as("a restarted hub forgets nothing").isFalse();
        SlidingWindowLimiter other = new SlidingWindowLimiter(hubB, "link-caller", 3, Duration.ofHours(1), clock);
        assertThat(other.tryAcquire("003A").allowed()).as("each limiter counts its own events").isTrue();
    }

    @Test
    void concurrentHubsNeverTogetherExceedTheLimit() throws Exception {
        SlidingWindowLimiter a = new SlidingWindowLimiter(hubA, "race", 10, Duration.ofMinutes(5), clock);
        SlidingWindowLimiter b = new SlidingWindowLimiter(hubB, "race", 10, Duration.ofMinutes(5), clock);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Integer>> tasks = new ArrayList<>();
            for (SlidingWindowLimiter hub : List.of(a, b, a, b)) {
                tasks.add(() -> {
                    int allowed = 0;
                    for (int i = 0; i < 15; i++) {
                        allowed += hub.tryAcquire("caller").allowed() ? 1 : 0;
                    }
                    return allowed;
                });
            }
            int total = 0;
            for (Future<Integer> f : pool.invokeAll(tasks)) {
                total += f.get();
            }
            assertThat(total).as("60 attempts from two hubs, limit 10").isEqualTo(10);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void expiredEventsAreDeleted() {
        SlidingWindowLimiter limiter = new SlidingWindowLimiter(hubA, "t", 1, Duration.ofMinutes(10), clock);
        for (int i = 0; i < 50; i++) {
            limiter.tryAcquire("k" + i);
        }
        assertThat(limiter.keys()).isEqualTo(50);
        clock.advance(Duration.ofMinutes(11));
        limiter.tryAcquire("last");
        assertThat(limiter.keys()).isEqualTo(1);
        assertThat(limiter.rows()).as("the table follows the keys active within one window").isEqualTo(1);
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new SlidingWindowLimiter(hubA, "t", 0, Duration.ofSeconds(1), clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SlidingWindowLimiter(hubA, "t", 1, Duration.ZERO, clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SlidingWindowLimiter(hubA, "", 1, Duration.ofSeconds(1), clock))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
