package io.hearth.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

import io.hearth.identity.ContactDirectory;
import io.hearth.identity.DirectoryReadiness;
import io.hearth.identity.DirectorySyncStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.env.MockEnvironment;

/**
 * Issue 18, chaos run 7: with the state database down, {@code /actuator/health} hung ~30 s (contributors waiting for
 * a pool connection: Hikari's connection timeout). Each contributor that touches the state database must answer within
 * ~2 s: {@code db} DOWN with the reason, {@code directory} and {@code directoryReadiness} with what they knew. The
 * database "down" here is a pool whose {@code getConnection()} blocks, as Hikari's does for 30 s, and one that fails.
 */
class StateDatabaseHealthTest {

    @TempDir
    Path tempDir;

    private TestStateDatabase db;
    private FaultyDataSource faulty;

    @AfterEach
    void tearDown() {
        if (faulty != null) {
            faulty.unblock();
        }
        if (db != null) {
            db.close();
        }
    }

    private static long timed(Runnable r) {
        long t = System.nanoTime();
        r.run();
        return Duration.ofNanos(System.nanoTime() - t).toMillis();
    }

    @Test
    void dbIsDownWithinTwoSecondsWhileNoConnectionComesAndUpAgainAfterwards() {
        db = TestStateDatabase.h2(tempDir);
        faulty = new FaultyDataSource(db.dataSource());
        StateDatabaseHealth health = new StateDatabaseHealth(faulty, Clock.systemUTC(), StateDatabaseHealth.TIMEOUT);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
        assertThat(health.health().getDetails()).containsEntry("database", "H2");

        faulty.blockNewConnections();   // the database is down: the pool waits for its connection timeout
        Health[] down = new Health[1];
        long took = timed(() -> down[0] = health.health());
        // the probe gives up after 2 s; the bound leaves room for a loaded CI machine and is still far from the pool's 30 s
        assertThat(took).as("health answers without waiting for the pool's 30 s").isLessThan(10_000);
        assertThat(down[0].getStatus()).isEqualTo(Status.DOWN);
        assertThat((String) down[0].getDetails().get("reason")).contains("no connection from the state database within 2000 ms");
        assertThat(health.available()).isFalse();
        long again = timed(() -> assertThat(health.health().getStatus()).isEqualTo(Status.DOWN));
        assertThat(again).as("a second request waits on the same probe, at most 2 s").isLessThan(10_000);

        faulty.failNewConnections(true);   // the pool gives up: Hikari's "Connection is not available"
        faulty.unblock();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Health h = health.health();
            assertThat(h.getStatus()).isEqualTo(Status.DOWN);
            assertThat((String) h.getDetails().get("reason")).contains("SQLTransientConnectionException")
                    .contains("Connection is not available");
        });

        faulty.failNewConnections(false);   // the database is back
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(health.health().getStatus()).isEqualTo(Status.UP));
        assertThat(health.available()).isTrue();
    }

    @Test
    void directoryAndReadinessAnswerWithinTheirBudgetWhileTheDatabaseHangs() {
        db = TestStateDatabase.h2(tempDir);
        faulty = new FaultyDataSource(db.dataSource());
        JdbcTemplate jdbc = new JdbcTemplate(faulty);
        MockEnvironment env = new MockEnvironment();
        DirectorySyncStatus status = new DirectorySyncStatus(new SimpleMeterRegistry(), new ContactDirectory(jdbc), env);
        DirectoryReadiness readiness = new DirectoryReadiness(new SourceCheckpoints(jdbc, Clock.systemUTC()), status, env);
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(status.health().getDetails()).containsEntry("entries", 0.0));

        faulty.blockNewConnections();
        Health[] directory = new Health[1];
        Health[] ready = new Health[1];
        long took = timed(() -> {
            directory[0] = status.health();
            ready[0] = readiness.health();
        });
        assertThat(took).as("both answer without waiting for a connection").isLessThan(10_000);
        assertThat(directory[0].getStatus()).isEqualTo(Status.UP);
        assertThat(directory[0].getDetails()).as("the last count read").containsEntry("entries", 0.0);
        assertThat(ready[0].getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat((Map<String, Object>) ready[0].getDetails()).containsKey("reason");
    }
}
