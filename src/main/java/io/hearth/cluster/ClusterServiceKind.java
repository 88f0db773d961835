package io.hearth.cluster;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import io.hearth.config.HearthConfigurationException;

/**
 * Which Camel cluster service elects the leader of the {@code master:} routes (pollers and scheduled jobs),
 * {@code hearth.cluster.service}. Blank: {@link #POSTGRES} when the state database ({@code spring.datasource.url},
 * {@code HEARTH_DB_URL}) is PostgreSQL, {@link #FILE} otherwise.
 */
public enum ClusterServiceKind {
    /** A lock row in the state database's {@code INT_LOCK} table (Spring Integration's JdbcLockRegistry). */
    POSTGRES,
    /** A Kubernetes Lease (camel-kubernetes' KubernetesClusterService, {@link KubernetesLease}); state on PostgreSQL. */
    KUBERNETES,
    /** A lock file under {@code camel.cluster.file.root}: hubs on one machine or one shared directory. */
    FILE;

    public static final String SETTING = "hearth.cluster.service";

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when a JDBC URL names a PostgreSQL database. */
    public static boolean isPostgres(String jdbcUrl) {
        return jdbcUrl != null && jdbcUrl.strip().toLowerCase(Locale.ROOT).startsWith("jdbc:postgresql:");
    }

    /**
     * The cluster service for a {@code hearth.cluster.service} value and the state database URL, or a
     * {@link HearthConfigurationException} naming the setting for a value that is unknown or cannot work with that
     * database.
     */
    public static ClusterServiceKind resolve(String setting, String jdbcUrl) {
        String value = setting == null ? "" : setting.strip().toLowerCase(Locale.ROOT);
        boolean postgres = isPostgres(jdbcUrl);
        if (value.isEmpty()) {
            return postgres ? POSTGRES : FILE;
        }
        ClusterServiceKind kind = Arrays.stream(values()).filter(k -> k.value().equals(value)).findFirst()
                .orElseThrow(() -> new HearthConfigurationException(SETTING, "unknown cluster service '" + setting.strip()
                        + "'; known: " + Arrays.stream(values()).map(ClusterServiceKind::value).collect(Collectors.joining(", "))
                        + " (blank: postgres when HEARTH_DB_URL is PostgreSQL, else file)"));
        if (kind == POSTGRES && !postgres) {
            throw new HearthConfigurationException(SETTING, "postgres needs the state database on PostgreSQL, but HEARTH_DB_URL"
                    + " (spring.datasource.url) is " + (jdbcUrl == null || jdbcUrl.isBlank() ? "not set (a local H2 file)"
                    : "not a jdbc:postgresql: URL") + "; set HEARTH_DB_URL=jdbc:postgresql://host:5432/db or choose file");
        }
        if (kind == KUBERNETES && !postgres) {
            throw new HearthConfigurationException(SETTING, "kubernetes needs the state database on PostgreSQL (the pods that"
                    + " hand the pollers and jobs over must share their checkpoints), but HEARTH_DB_URL (spring.datasource.url) is "
                    + (jdbcUrl == null || jdbcUrl.isBlank() ? "not set (a local H2 file)" : "not a jdbc:postgresql: URL")
                    + "; set HEARTH_DB_URL=jdbc:postgresql://host:5432/db");
        }
        return kind;
    }
}
