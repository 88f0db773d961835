package io.hearth.state;

import java.io.PrintWriter;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.SQLTransientConnectionException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

import javax.sql.DataSource;

/**
 * A state database that fails the way a real one does when it goes away (issue 18, chaos run 7), for focused tests:
 * <ul>
 * <li>{@link #cutLentConnections()}: every connection lent out right now is dead from then on, as after a
 * {@code pg_ctl stop -m immediate} and start: each call on it throws PostgreSQL's I/O error (SQLState 08006), while new
 * connections work (the database is back);</li>
 * <li>{@link #failNewConnections(boolean)}: {@code getConnection()} answers like Hikari with the database down
 * ({@link SQLTransientConnectionException} "Connection is not available, request timed out");</li>
 * <li>{@link #blockNewConnections()}: {@code getConnection()} blocks (as Hikari does for its connection timeout, 30 s,
 * while the database is down) until {@link #unblock()}.</li>
 * </ul>
 * Closing a dead connection gives the real one back to the pool behind (a real pool would evict it).
 */
public final class FaultyDataSource implements DataSource {

    private final DataSource delegate;
    private final Set<Connection> lent = ConcurrentHashMap.newKeySet();
    private final Set<Connection> dead = ConcurrentHashMap.newKeySet();
    private final AtomicInteger callsOnDeadConnections = new AtomicInteger();
    private final AtomicInteger connectionsRequested = new AtomicInteger();
    private volatile boolean failNew;
    private final AtomicReference<CountDownLatch> block = new AtomicReference<>();

    public FaultyDataSource(DataSource delegate) {
        this.delegate = delegate;
    }

    /** Kills every connection lent out now (each later call on it throws SQLState 08006); new ones work. */
    public void cutLentConnections() {
        dead.addAll(lent);
    }

    public void failNewConnections(boolean fail) {
        failNew = fail;
    }

    public void blockNewConnections() {
        block.compareAndSet(null, new CountDownLatch(1));
    }

    public void unblock() {
        CountDownLatch latch = block.getAndSet(null);
        if (latch != null) {
            latch.countDown();
        }
    }

    /** Calls made on a dead connection (other than closing it). */
    public int callsOnDeadConnections() {
        return callsOnDeadConnections.get();
    }

    public int connectionsRequested() {
        return connectionsRequested.get();
    }

    @Override
    public Connection getConnection() throws SQLException {
        connectionsRequested.incrementAndGet();
        CountDownLatch latch = block.get();
        if (latch != null) {
            try {
                latch.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (failNew) {
            throw new SQLTransientConnectionException("state-pool - Connection is not available, request timed out after 30000ms.",
                    "08001", new SQLException("Connection to 127.0.0.1:5432 refused.", "08001"));
        }
        return wrap(delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    private Connection wrap(Connection real) {
        Connection[] self = new Connection[1];
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("hashCode")) {
                return System.identityHashCode(proxy);
            }
            if (name.equals("equals")) {
                return proxy == args[0];
            }
            if (name.equals("toString")) {
                return "FaultyConnection@" + Integer.toHexString(System.identityHashCode(proxy));
            }
            if (name.equals("close")) {
                lent.remove(self[0]);
                dead.remove(self[0]);
            } else if (dead.contains(self[0]) && !name.equals("isClosed")) {
                callsOnDeadConnections.incrementAndGet();
                throw new SQLException("An I/O error occurred while sending to the backend.", "08006");
            }
            try {
                return method.invoke(real, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        self[0] = (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                handler);
        lent.add(self[0]);
        return self[0];
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
