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
        assertThat(ClusterServiceKind.resolve(" Kubernetes ", PG)).isEqualTo(ClusterServiceKind.KUBERNETES);
    }

    private static ClusterSettings.Kubernetes lease(String labels, Duration leaseDuration, Duration renewDeadline,
                                                    Duration retryPeriod) {
        return new ClusterSettings.Kubernetes("", "hearth-leaders", labels, "", leaseDuration, renewDeadline, retryPeriod, "");
    }

    @Test
    void kubernetesSettingsAreCheckedWithOneLineNamingTheSetting() {
        ClusterSettings.Kubernetes defaults = lease("app.kubernetes.io/name=hearth", Duration.ofSeconds(15),
                Duration.ofSeconds(10), Duration.ofSeconds(2));
        assertThat(defaults.check("hearth-7d9f-abcde")).isEqualTo("hearth-7d9f-abcde");
        assertThat(defaults.labels()).containsExactly(org.assertj.core.api.Assertions.entry("app.kubernetes.io/name", "hearth"));
        assertThat(new ClusterSettings.Kubernetes("prod", "leaders", "app=hearth, tier=hub", " pod-1 ", Duration.ofSeconds(15),
                Duration.ofSeconds(10), Duration.ofSeconds(2), "https://10.0.0.1:6443").check("ignored")).isEqualTo("pod-1");
        assertThatThrownBy(() -> defaults.check(null)).isInstanceOf(HearthConfigurationException.class)
                .hasMessageStartingWith("hearth.cluster.kubernetes.pod-name: blank and HOSTNAME is not set");
        assertThatThrownBy(() -> defaults.check(" ")).hasMessageStartingWith("hearth.cluster.kubernetes.pod-name:");
        assertThatThrownBy(() -> lease("app.kubernetes.io/name=hearth", Duration.ofSeconds(10), Duration.ofSeconds(10),
                Duration.ofSeconds(2)).check("p")).hasMessageStartingWith("hearth.cluster.kubernetes.lease-duration: must exceed"
                        + " the renew deadline by at least one retry period (>= 12000ms), is 10000ms");
        assertThatThrownBy(() -> lease("app.kubernetes.io/name=hearth", Duration.ofSeconds(15), Duration.ofSeconds(3),
                Duration.ofSeconds(2)).check("p")).hasMessageStartingWith("hearth.cluster.kubernetes.renew-deadline:");
        assertThatThrownBy(() -> lease("app.kubernetes.io/name=hearth", Duration.ofSeconds(15), Duration.ofSeconds(10),
                Duration.ofMillis(50)).check("p")).hasMessageStartingWith("hearth.cluster.kubernetes.retry-period:");
        assertThatThrownBy(() -> lease("", Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2)).check("p"))
                .hasMessageStartingWith("hearth.cluster.kubernetes.cluster-labels: must name at least one label");
        assertThatThrownBy(() -> lease("app", Duration.ofSeconds(15), Duration.ofSeconds(10), Duration.ofSeconds(2)).check("p"))
                .hasMessage("hearth.cluster.kubernetes.cluster-labels: 'app' is not a label key=value (e.g."
                        + " app.kubernetes.io/name=hearth)");
        assertThatThrownBy(() -> new ClusterSettings.Kubernetes("Prod_1", "hearth-leaders", "app=hearth", "", Duration.ofSeconds(15),
                Duration.ofSeconds(10), Duration.ofSeconds(2), "").check("p"))
                .hasMessageStartingWith("hearth.cluster.kubernetes.namespace: 'Prod_1' is not a Kubernetes namespace name");
        assertThatThrownBy(() -> new ClusterSettings.Kubernetes("", "Leaders!", "app=hearth", "", Duration.ofSeconds(15),
                Duration.ofSeconds(10), Duration.ofSeconds(2), "").check("p"))
                .hasMessageStartingWith("hearth.cluster.kubernetes.lease-name:");
        assertThatThrownBy(() -> new ClusterSettings.Kubernetes("", "hearth-leaders", "app=hearth", "", Duration.ofSeconds(15),
                Duration.ofSeconds(10), Duration.ofSeconds(2), "kubernetes.default.svc").check("p"))
                .hasMessageStartingWith("hearth.cluster.kubernetes.master-url: must be an http(s) URL");
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
        assertThatThrownBy(() -> ClusterServiceKind.resolve("kubernetes", H2))
                .hasMessageStartingWith("hearth.cluster.service: kubernetes needs the state database on PostgreSQL")
                .hasMessageContaining("not a jdbc:postgresql: URL");
        assertThatThrownBy(() -> ClusterServiceKind.resolve("kubernetes", "")).hasMessageContaining("not set (a local H2 file)");
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
