package io.hearth.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 12, the block lists across hubs: two {@link PrivacyStore}s, each with its own connection pool, on one H2 file
 * database (two hubs on one state database). What hub A writes, hub B's in-memory lists show within
 * {@link PrivacyStore#REFRESH} (the bound in docs/scaling.md), and B's pre-commit fence ({@code suppressedNow}) reads
 * it at once.
 */
class PrivacyAcrossHubsTest {

    @TempDir
    Path dir;
    final List<HikariDataSource> pools = new ArrayList<>();
    PrivacyStore hubA;
    PrivacyStore hubB;

    @BeforeEach
    void setUp() {
        String url = "jdbc:h2:file:" + dir.resolve("state").toAbsolutePath();
        JdbcTemplate a = new JdbcTemplate(pool(url));
        Flyway.configure().dataSource(a.getDataSource()).locations("classpath:db/migration").load().migrate();
        hubA = new PrivacyStore(a, Clock.systemUTC());
        hubB = new PrivacyStore(new JdbcTemplate(pool(url)), Clock.systemUTC());
    }

    HikariDataSource pool(String url) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(url);
        ds.setUsername("sa");
        ds.setMaximumPoolSize(2);
        pools.add(ds);
        return ds;
    }

    @AfterEach
    void close() {
        pools.forEach(HikariDataSource::close);
    }

    @Test
    void whatOneHubBlocksTheOtherSeesWithinTheRefreshBound() {
        String contact = "003000000000001AAA";
        // hub B has read its lists (they are now in memory)
        assertThat(hubB.isSuppressedAuthor("author-1")).isFalse();
        assertThat(hubB.isErasedContact(contact)).isFalse();

        long written = System.nanoTime();
        hubA.suppressAuthors(List.of("author-1"));
        hubA.eraseContact(contact);
        hubA.deletePost("x:post-1", "api");
        hubA.eraseCases(List.of("case-1"));
        assertThat(hubB.suppressedNow(List.of("author-1", "author-2"))).as("the fence reads through")
                .containsExactly("author-1");

        await().atMost(PrivacyStore.REFRESH.plus(Duration.ofSeconds(1))).pollInterval(Duration.ofMillis(50))
                .until(() -> hubB.isSuppressedAuthor("author-1") && hubB.isErasedContact(contact)
                        && hubB.isDeletedPost("x:post-1") && hubB.isErasedCase("case-1"));
        Duration seen = Duration.ofNanos(System.nanoTime() - written);
        assertThat(seen).as("within the stated bound").isLessThanOrEqualTo(PrivacyStore.REFRESH.plus(Duration.ofSeconds(1)));
        assertThat(hubA.isSuppressedAuthor("author-1")).as("the writing hub at once").isTrue();
    }
}
