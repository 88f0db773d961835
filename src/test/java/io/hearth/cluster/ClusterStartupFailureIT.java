package io.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;

import io.hearth.support.ChildHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: a hub asked for leader election on PostgreSQL while its state database is a local H2 file (so two such hubs
 * would both lead) does not start; it says so in one line naming hearth.cluster.service, without a stack trace.
 */
class ClusterStartupFailureIT {

    @TempDir
    Path temp;

    @Test
    void postgresClusterServiceWithoutPostgresStopsTheStart() {
        try (ChildHub hub = ChildHub.builder("cluster-postgres-on-h2", temp.resolve("data"))
                .env("HEARTH_CLUSTER_SERVICE", "postgres").build()) {
            hub.start();
            int exit = hub.awaitExit(Duration.ofSeconds(120));
            String output = hub.output();
            assertThat(exit).as("exit code; output in %s", hub.log()).isNotZero();
            assertThat(output).contains("APPLICATION FAILED TO START").doesNotContainPattern("(?m)^\\s+at [\\w.$]+\\(");
            assertThat(hub.outputLines().stream().filter(l -> l.startsWith("Hearth configuration error: ")).toList())
                    .singleElement().asString()
                    .startsWith("Hearth configuration error: hearth.cluster.service: postgres needs the state database on"
                            + " PostgreSQL")
                    .contains("not set (a local H2 file)");
            // nothing was created in the data directory's state database before the check
            assertThat(temp.resolve("data").resolve("state").resolve("hearth.mv.db")).doesNotExist();
        }
    }
}
