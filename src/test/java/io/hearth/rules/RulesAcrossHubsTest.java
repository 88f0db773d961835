package io.hearth.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import io.hearth.support.MutableClock;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 12: rules reload on every hub. Two hubs (each its own holder, connection pool and hub id) on one H2 file
 * database. With one file (a shared volume) both run an edit within one check interval; with a file per hub (a
 * ConfigMap per pod) a hub whose copy differs shows in every hub's health.
 */
class RulesAcrossHubsTest {

    static final Duration CHECK = Duration.ofSeconds(5);

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock();
    final List<HikariDataSource> pools = new ArrayList<>();
    String url;
    long mtime = 1_000_000;

    @BeforeEach
    void setUp() {
        url = "jdbc:h2:file:" + dir.resolve("state").toAbsolutePath();
        Flyway.configure().dataSource(pool()).locations("classpath:db/migration").load().migrate();
    }

    @AfterEach
    void closePools() {
        pools.forEach(HikariDataSource::close);
    }

    HikariDataSource pool() {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(url);
        ds.setUsername("sa");
        ds.setMaximumPoolSize(2);
        pools.add(ds);
        return ds;
    }

    record Hub(RulesHolder holder, RulesInForce inForce, RulesHealthIndicator health) {
    }

    Hub hub(String id, Path file) {
        RulesHolder holder = new RulesHolder(file, new RulesLoader(), clock, CHECK);
        RulesInForce inForce = new RulesInForce(new JdbcTemplate(pool()), id, clock, CHECK);
        holder.listen(inForce);
        return new Hub(holder, inForce, new RulesHealthIndicator(holder, inForce));
    }

    void write(Path file, String programme, int points) throws Exception {
        Files.writeString(file, "programme: " + programme + "\nrewards:\n  - { key: a, action: any, points: " + points + " }\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(mtime += 1000));
    }

    @Test
    void oneSharedFileEveryHubRunsTheEditWithinOneCheckInterval() throws Exception {
        Path file = dir.resolve("rules.yml");
        write(file, "first", 1);
        Hub a = hub("hub-a", file);
        Hub b = hub("hub-b", file);

        write(file, "second", 2);
        clock.advance(CHECK);
        assertThat(a.holder().current().programme()).isEqualTo("second");
        assertThat(b.holder().current().programme()).isEqualTo("second");
        Health h = b.health().health();
        assertThat(h.getDetails()).containsEntry("hubsSeen", 2).containsEntry("sameRulesOnAllHubs", true)
                .doesNotContainKey("differingHubs");
    }

    @Test
    void aHubWhoseCopyDiffersShowsInEveryHubsHealth() throws Exception {
        Path fileA = dir.resolve("a-rules.yml");
        Path fileB = dir.resolve("b-rules.yml");
        write(fileA, "first", 1);
        write(fileB, "first", 1);
        Hub a = hub("hub-a", fileA);
        Hub b = hub("hub-b", fileB);
        assertThat(a.holder().sha256()).isEqualTo(b.holder().sha256());
        assertThat(b.health().health().getDetails()).containsEntry("sameRulesOnAllHubs", true);

        // the operator edits hub A's copy only (one pod got the new ConfigMap, the other not yet)
        write(fileA, "second", 2);
        clock.advance(CHECK);
        assertThat(a.holder().current().programme()).isEqualTo("second");
        Health seenFromB = b.health().health();
        assertThat(seenFromB.getDetails()).containsEntry("sameRulesOnAllHubs", false);
        assertThat(seenFromB.getDetails().get("differingHubs").toString()).contains("hub-a: programme 'second'");
        assertThat(a.health().health().getDetails().get("differingHubs").toString()).contains("hub-b: programme 'first'");

        // B gets the same file: all agree again after B's next check
        write(fileB, "second", 2);
        clock.advance(CHECK);
        assertThat(b.holder().current().programme()).isEqualTo("second");
        assertThat(a.health().health().getDetails()).containsEntry("sameRulesOnAllHubs", true);

        // a hub not seen for longer than a minute (stopped) no longer counts
        clock.advance(Duration.ofMinutes(2));
        a.holder().current();
        assertThat(a.inForce().hubs()).extracting(RulesInForce.Hub::hubId).containsExactly("hub-a");
    }
}
