package io.hearth.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Named savepoints through plain SQL ({@code SAVEPOINT n}, {@code ROLLBACK TO SAVEPOINT n}, {@code RELEASE SAVEPOINT n}:
 * the same on H2 and PostgreSQL) instead of {@link Connection#setSavepoint}.
 *
 * <p>Why not the JDBC calls: H2's {@code setSavepoint} parses its SQL on every call (it never closes the command, so
 * H2's per-session statement cache never reuses it), and an unnamed savepoint is new text each time
 * ({@code SYSTEM_SAVEPOINT_<n>}). The enrich stage sets one savepoint per mention; that parse was ~4 % of its CPU
 * (issue 14 profile). A prepared statement that is closed after use is kept parsed by H2 and found again by its text.
 */
public final class Savepoints {

    private Savepoints() {
    }

    /** Sets savepoint {@code name} (a plain identifier: letters, digits, underscore). */
    public static void set(Connection c, String name) throws SQLException {
        run(c, "SAVEPOINT " + name);
    }

    /** Undoes the transaction's work since savepoint {@code name}; the savepoint stays. */
    public static void rollback(Connection c, String name) throws SQLException {
        run(c, "ROLLBACK TO SAVEPOINT " + name);
    }

    /** Forgets savepoint {@code name} (its work stays in the transaction). */
    public static void release(Connection c, String name) throws SQLException {
        run(c, "RELEASE SAVEPOINT " + name);
    }

    /**
     * One savepoint name on one connection with its three statements prepared once, for a transaction that sets it
     * many times (the enrich stage: once per mention of a batch). Even a cached statement costs H2 a look-up and,
     * when its small per-session cache has let it go, a parse; a statement kept open costs neither.
     */
    public static final class Named implements AutoCloseable {
        private final PreparedStatement set;
        private final PreparedStatement rollback;
        private final PreparedStatement release;

        public Named(Connection c, String name) throws SQLException {
            PreparedStatement s = null;
            PreparedStatement r = null;
            try {
                s = c.prepareStatement("SAVEPOINT " + name);
                r = c.prepareStatement("ROLLBACK TO SAVEPOINT " + name);
                this.release = c.prepareStatement("RELEASE SAVEPOINT " + name);
            } catch (SQLException e) {
                closeQuietly(s);
                closeQuietly(r);
                throw e;
            }
            this.set = s;
            this.rollback = r;
        }

        public void set() throws SQLException {
            set.execute();
        }

        public void rollback() throws SQLException {
            rollback.execute();
        }

        public void release() throws SQLException {
            release.execute();
        }

        @Override
        public void close() {
            closeQuietly(set);
            closeQuietly(rollback);
            closeQuietly(release);
        }

        private static void closeQuietly(PreparedStatement ps) {
            if (ps != null) {
                try {
                    ps.close();
                } catch (SQLException e) {
                    // the connection is closing or broken: nothing is left to free
                }
            }
        }
    }

    private static void run(Connection c, String sql) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.execute();
        }
    }
}
