package io.hearth.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import io.hearth.state.SourceCheckpoints;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.env.MockEnvironment;

/** Readiness: not ready, saying why, until a directory sync has completed in this state database; then ready for good. */
class DirectoryReadinessTest {

    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    JdbcTemplate jdbc;
    SourceCheckpoints checkpoints;
    DirectorySyncStatus status;
    MockEnvironment env = new MockEnvironment();

    @BeforeEach
    void setUp() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:readiness-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(ds);
        checkpoints = new SourceCheckpoints(jdbc, Clock.fixed(NOW, ZoneOffset.UTC));
        status = new DirectorySyncStatus(new SimpleMeterRegistry(), new ContactDirectory(jdbc), env);
    }

    @Test
    void outOfServiceUntilTheFirstSyncThenUp() {
        DirectoryReadiness readiness = new DirectoryReadiness(checkpoints, status, env);
        Health health = readiness.health();
        assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(health.getDetails()).containsEntry("reason", "waiting for the first contact-directory sync");
        assertThat(readiness.getAsBoolean()).isFalse();

        status.failed(NOW, "CrmCallException: Connection refused");
        assertThat(readiness.health().getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat((String) readiness.health().getDetails().get("reason"))
                .contains("last attempt failed").contains("Connection refused");

        // What SalesforceDirectorySync.finish writes when a sync went through.
        checkpoints.save("directory", "{\"run\":1}");
        status.succeeded(new DirectorySyncStatus.Sync(NOW, true, 3, Duration.ofMillis(5), 1, null));
        assertThat(readiness.health().getStatus()).isEqualTo(Status.UP);
        assertThat(readiness.getAsBoolean()).isTrue();
        status.failed(NOW, "later failure");
        assertThat(readiness.health().getStatus()).as("a later failed sync keeps the last good copy").isEqualTo(Status.UP);
    }

    @Test
    void aRestartOnASyncedStateDatabaseIsReadyAtOnce() {
        checkpoints.save("directory", "{\"run\":7}");
        assertThat(new DirectoryReadiness(checkpoints, status, env).health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void withTheSyncSwitchedOffThereIsNothingToWaitFor() {
        env.setProperty("hearth.directory.enabled", "false");
        DirectoryReadiness readiness = new DirectoryReadiness(checkpoints, status, env);
        assertThat(readiness.health().getStatus()).isEqualTo(Status.UP);
        assertThat(readiness.health().getDetails()).containsEntry("syncEnabled", false);
    }

    @Test
    void theQueueWatchdogSeesTheWaitingEnrichStageAsAHoldNotAStall() {
        DirectoryReadiness readiness = new DirectoryReadiness(checkpoints, status, env);
        EnrichGateHold hold = new EnrichGateHold(readiness);
        assertThat(hold.queue()).isEqualTo("social.mentions");
        assertThat(hold.holdReason()).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("first contact-directory sync");

        checkpoints.save("directory", "{\"run\":1}");
        status.succeeded(new DirectorySyncStatus.Sync(NOW, true, 3, Duration.ofMillis(5), 1, null));
        assertThat(hold.holdReason()).isEmpty();
    }
}
