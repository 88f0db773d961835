package io.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import io.hearth.config.HearthConfigurationException;
import org.junit.jupiter.api.Test;

class ClusterServiceKindTest {

    private static final String PG = "jdbc:postgresql://db:5432/hearth";
    private static final String H2 = "jdbc:h2:file:./data/state/hearth";

    @Test
    void blankChoosesPostgresWheneverTheStateDatabaseIsPostgres() {
        assertThat(ClusterServiceKind.resolve("", PG)).isEqualTo(ClusterServiceKind.POSTGRES);
        assertThat(ClusterServiceKind.resolve(null, " JDBC:POSTGRESQL://x/y")).isEqualTo(ClusterServiceKind.POSTGRES);
        assertThat(ClusterServiceKind.resolve("", "")).isEqualTo(ClusterServiceKind.FILE);
        assertThat(ClusterServiceKind.resolve("", H2)).isEqualTo(ClusterServiceKind.FILE);
    }

    @Test
    void explicitChoices() {
        assertThat(ClusterServiceKind.resolve("Postgres", PG)).isEqualTo(ClusterServiceKind.POSTGRES);
        assertThat(ClusterServiceKind.resolve("file", PG)).isEqualTo(ClusterServiceKind.FILE);
        assertThat(ClusterServiceKind.resolve("file", H2)).isEqualTo(ClusterServiceKind.FILE);
    }

    @Test
    void wrongValuesAndCombinationsNameTheSetting() {
        assertThatThrownBy(() -> ClusterServiceKind.resolve("zookeeper", PG)).isInstanceOf(HearthConfigurationException.class)
                .hasMessage("hearth.cluster.service: unknown cluster service 'zookeeper'; known: postgres, kubernetes, file"
                        + " (blank: postgres when HEARTH_DB_URL is PostgreSQL, else file)");
        assertThatThrownBy(() -> ClusterServiceKind.resolve("postgres", H2)).isInstanceOf(HearthConfigurationException.class)
                .hasMessageStartingWith("hearth.cluster.service: postgres needs the state database on PostgreSQL")
                .hasMessageContaining("not a jdbc:postgresql: URL");
        assertThatThrownBy(() -> ClusterServiceKind.resolve("postgres", "")).hasMessageContaining("not set (a local H2 file)");
        assertThatThrownBy(() -> ClusterServiceKind.resolve("kubernetes", PG)).hasMessageContaining("not part of this build");
    }

    @Test
    void timingsMustLetTheLeaderStopBeforeTheLockExpires() {
        ClusterSettings.checkTimings(Duration.ofSeconds(15), Duration.ofSeconds(2), Duration.ofSeconds(8));
        assertThatThrownBy(() -> ClusterSettings.checkTimings(Duration.ofSeconds(10), Duration.ofSeconds(2), Duration.ofSeconds(8)))
                .hasMessageStartingWith("hearth.cluster.ttl: must exceed the lease by at least two renew intervals");
        assertThatThrownBy(() -> ClusterSettings.checkTimings(Duration.ofSeconds(15), Duration.ofSeconds(2), Duration.ofSeconds(3)))
                .hasMessageStartingWith("hearth.cluster.lease:");
        assertThatThrownBy(() -> ClusterSettings.checkTimings(Duration.ofSeconds(15), Duration.ofMillis(10), Duration.ofSeconds(3)))
                .hasMessageStartingWith("hearth.cluster.renew-interval:");
    }
}
