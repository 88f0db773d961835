package io.hearth.state;

import java.nio.file.Path;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@link StateDatabase} for tests outside this package: a migrated H2 file database or a fresh PostgreSQL schema
 * (skipping the calling test when no PostgreSQL answers on 127.0.0.1:5432), dropped on {@link #close()}.
 */
public final class TestStateDatabase implements AutoCloseable {

    private final StateDatabase db;
    /** The pool the test uses: on PostgreSQL its own, with a lock timeout, so that a leaked lock fails a test, not hangs it. */
    private final HikariDataSource pool;
    private final JdbcTemplate jdbc;

    private TestStateDatabase(StateDatabase db) {
        this.db = db;
        if (db.kind == StateDatabase.Kind.POSTGRESQL) {
            pool = new HikariDataSource();
            pool.setJdbcUrl(db.url);
            pool.setUsername(db.user);
            pool.setPassword("");
            pool.setMaximumPoolSize(10);
            pool.setMinimumIdle(0);
            pool.setConnectionTimeout(5_000);
            pool.setConnectionInitSql("SET lock_timeout = '5s'");
            pool.setPoolName("state-test-" + db.schema + "-locktimeout");
        } else {
            pool = db.dataSource;
        }
        jdbc = new JdbcTemplate(pool);
    }

    public static TestStateDatabase h2(Path tempDir) {
        return new TestStateDatabase(StateDatabase.create(StateDatabase.Kind.H2, tempDir));
    }

    public static TestStateDatabase postgres() {
        return new TestStateDatabase(StateDatabase.create(StateDatabase.Kind.POSTGRESQL, null));
    }

    public boolean isPostgres() {
        return db.kind == StateDatabase.Kind.POSTGRESQL;
    }

    public JdbcTemplate jdbc() {
        return jdbc;
    }

    public DataSource dataSource() {
        return pool;
    }

    /** Connections currently lent out by the pool (a leak shows here). */
    public int activeConnections() {
        HikariDataSource ds = pool;
        return ds.getHikariPoolMXBean() == null ? 0 : ds.getHikariPoolMXBean().getActiveConnections();
    }

    @Override
    public void close() {
        if (pool != db.dataSource) {
            pool.close();   // aborts connections still lent out (a leak under test)
        }
        db.close();
    }
}
