package io.hearth.state;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.UUID;

import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.junit.jupiter.api.Assumptions;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * A state database for tests, migrated by the hub's own Flyway migrations: an H2 file database in
 * a temporary directory (the same URL shape the hub derives from its data directory), or a fresh
 * schema in the PostgreSQL on 127.0.0.1:5432 (trust auth, database {@code test}) that is dropped
 * on {@link #close()}. PostgreSQL tests are skipped, saying so, when none answers.
 */
final class StateDatabase implements AutoCloseable {

    enum Kind {
        H2, POSTGRESQL;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    static final String POSTGRES_URL = "jdbc:postgresql://127.0.0.1:5432/test";
    static final String POSTGRES_USER = "postgres";

    private static Boolean postgresAnswers;
    private static String postgresProblem;

    final Kind kind;
    final String url;
    final String user;
    final String schema;
    final HikariDataSource dataSource;
    final MigrateResult migration;
    final JdbcTemplate jdbc;

    private StateDatabase(Kind kind, String url, String user, String schema) {
        this.kind = kind;
        this.url = url;
        this.user = user;
        this.schema = schema;
        this.dataSource = dataSource(url, user, schema);
        try {
            this.migration = flyway().migrate();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
        this.jdbc = new JdbcTemplate(dataSource);
    }

    /** Opens (and migrates) a new database of that kind; skips the calling test if PostgreSQL is absent. */
    static StateDatabase create(Kind kind, Path tempDir) {
        return switch (kind) {
            case H2 -> new StateDatabase(kind,
                    "jdbc:h2:file:" + tempDir.toAbsolutePath().resolve("state").resolve("hearth") + ";WRITE_DELAY=0",
                    "sa", null);
            case POSTGRESQL -> {
                assumePostgres();
                String schema = "hearth_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
                yield new StateDatabase(kind, POSTGRES_URL + "?currentSchema=" + schema, POSTGRES_USER, schema);
            }
        };
    }

    /** The same database opened again, as a restarted hub would: new pool, migrations run again. */
    StateDatabase reopen() {
        return new StateDatabase(kind, url, user, schema);
    }

    Flyway flyway() {
        var configuration = Flyway.configure().dataSource(dataSource).locations("classpath:db/migration");
        if (schema != null) {
            configuration.schemas(schema);
        }
        return configuration.load();
    }

    /** Closes the pool; keeps the data (see {@link #close()} to drop a PostgreSQL schema). */
    void disconnect() {
        dataSource.close();
    }

    @Override
    public void close() {
        try {
            if (schema != null && !dataSource.isClosed()) {
                jdbc.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } else if (schema != null) {
                try (Connection c = DriverManager.getConnection(POSTGRES_URL, user, "")) {
                    c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
                } catch (SQLException e) {
                    throw new IllegalStateException("could not drop test schema " + schema, e);
                }
            }
        } finally {
            dataSource.close();
        }
    }

    private static HikariDataSource dataSource(String url, String user, String schema) {
        HikariDataSource ds = new HikariDataSource();
        ds.setJdbcUrl(url);
        ds.setUsername(user);
        ds.setPassword("");
        ds.setMaximumPoolSize(10);
        ds.setMinimumIdle(0);
        ds.setConnectionTimeout(5_000);
        ds.setPoolName("state-test-" + (schema == null ? "h2" : schema));
        return ds;
    }

    static synchronized void assumePostgres() {
        if (postgresAnswers == null) {
            DriverManager.setLoginTimeout(3);
            try (Connection c = DriverManager.getConnection(POSTGRES_URL, POSTGRES_USER, "")) {
                postgresAnswers = c.isValid(3);
            } catch (SQLException e) {
                postgresAnswers = false;
                postgresProblem = e.getMessage();
            }
        }
        requireOrSkip(postgresAnswers, postgresProblem, System.getenv("CI"), System.getProperty("hearth.test.require-postgres"));
    }

    /**
     * No PostgreSQL: the test is skipped, saying so; but on CI ({@code CI=true}, as CI services set it) or with
     * {@code -Dhearth.test.require-postgres=true} the test fails instead, so that a missing database cannot quietly
     * turn the PostgreSQL half of the suite into skips.
     */
    static void requireOrSkip(boolean answers, String problem, String ciEnv, String requireProperty) {
        if (answers) {
            return;
        }
        String what = "no PostgreSQL on 127.0.0.1:5432 (database 'test', user 'postgres', trust auth)"
                + (problem == null ? "" : " [" + problem + "]");
        if ("true".equalsIgnoreCase(ciEnv) || "true".equalsIgnoreCase(requireProperty)) {
            org.junit.jupiter.api.Assertions.fail(what + ": the PostgreSQL variant of the state tests must run on CI"
                    + " (CI=true or -Dhearth.test.require-postgres=true)");
        }
        Assumptions.assumeTrue(false, () -> what + ": skipping the PostgreSQL variant of the state-store tests");
    }
}
