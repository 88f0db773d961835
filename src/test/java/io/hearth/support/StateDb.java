package io.hearth.support;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Which state database a whole-hub test runs on (issue 18: the core acceptance and crash tests on PostgreSQL too).
 * By default the hub's own H2 file database in its data directory. With {@code -Dhearth.test.state-db=postgresql}
 * (Maven profile {@code postgres-state}, run by .ci/run after {@code ./mvnw verify}) a fresh schema in the PostgreSQL at
 * 127.0.0.1:5432 (database {@code test}, user {@code postgres}, trust auth), dropped when the test JVM exits.
 */
public final class StateDb {

    public static final String PROPERTY = "hearth.test.state-db";
    static final String POSTGRES = "jdbc:postgresql://127.0.0.1:5432/test";

    private StateDb() {
    }

    public static boolean postgres() {
        return "postgresql".equalsIgnoreCase(System.getProperty(PROPERTY, "").strip());
    }

    /**
     * The hub's datasource settings for a fresh state database: none for H2 (the data directory's), or a new
     * PostgreSQL schema. A missing PostgreSQL fails the test: whoever asked for it wants it.
     */
    public static Map<String, String> properties(String name) {
        if (!postgres()) {
            return Map.of();
        }
        String schema = ("hearth_" + name.replaceAll("[^A-Za-z0-9]", "_") + "_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 10)).toLowerCase(Locale.ROOT);
        try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", "")) {
            c.createStatement().execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("-D" + PROPERTY + "=postgresql but no PostgreSQL on 127.0.0.1:5432 (database 'test',"
                    + " user 'postgres'): " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Connection c = DriverManager.getConnection(POSTGRES, "postgres", "")) {
                c.createStatement().execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            } catch (SQLException e) {
                // a leftover test schema in the test database; harmless
            }
        }));
        return Map.of("spring.datasource.url", POSTGRES + "?currentSchema=" + schema,
                "spring.datasource.username", "postgres", "spring.datasource.password", "");
    }
}
