package io.hearth.state;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.HikariPoolMXBean;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Health component {@code db}: does the state database answer, within {@link #TIMEOUT}? It replaces Spring Boot's
 * {@code DataSourceHealthIndicator} (bean name {@code dbHealthIndicator}), which asked the pool for a connection on the
 * request thread: with the database down that waited for Hikari's connection timeout (30 s), and so did
 * {@code /actuator/health} (chaos run 7: "took 30001ms to respond"); a liveness probe with a shorter timeout would restart
 * a hub whose only problem is its database.
 * <p>
 * The probe (a connection from the pool, {@code isValid}) runs on its own thread, one at a time; health waits for it at
 * most {@link #TIMEOUT} and otherwise answers DOWN with the reason (no connection within 2 s, with the pool's figures),
 * while the probe goes on in the background and the next health call reads its outcome. {@link #available()} gives
 * other indicators the last known answer without touching the database. The component is part of the readiness group
 * (docs/operations.md#health), not of liveness.
 */
@Component("dbHealthIndicator")
public class StateDatabaseHealth implements HealthIndicator, DisposableBean {

    /** How long a health request waits for the state database. */
    public static final Duration TIMEOUT = Duration.ofSeconds(2);

    /** One probe's outcome; {@code reason} null when the database answered. */
    record Probe(Instant at, long millis, String database, String reason) {
        boolean up() {
            return reason == null;
        }
    }

    private final DataSource dataSource;
    private final Clock clock;
    private final Duration timeout;
    private final ExecutorService probes = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "state-db-health");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<CompletableFuture<Probe>> inFlight = new AtomicReference<>();
    private final AtomicReference<Instant> inFlightSince = new AtomicReference<>();
    private volatile Probe last;

    @org.springframework.beans.factory.annotation.Autowired
    public StateDatabaseHealth(DataSource dataSource) {
        this(dataSource, Clock.systemUTC(), TIMEOUT);
    }

    StateDatabaseHealth(DataSource dataSource, Clock clock, Duration timeout) {
        this.dataSource = dataSource;
        this.clock = clock;
        this.timeout = timeout;
    }

    @Override
    public Health health() {
        CompletableFuture<Probe> probe = probe();
        Map<String, Object> details = new LinkedHashMap<>();
        try {
            Probe p = probe.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            details.put("database", p.database());
            details.put("checkedAt", p.at().toString());
            details.put("tookMillis", p.millis());
            pool(details);
            if (p.up()) {
                return Health.up().withDetails(details).build();
            }
            details.put("reason", p.reason());
            return Health.down().withDetails(details).build();
        } catch (TimeoutException e) {
            details.put("reason", "no connection from the state database within " + timeout.toMillis() + " ms: the database"
                    + " is down or unreachable, or the pool is exhausted (see pool)");
            Instant since = inFlightSince.get();
            if (since != null) {
                details.put("waitingSince", since.toString());
            }
            Probe before = last;
            if (before != null && before.up()) {
                details.put("lastUpAt", before.at().toString());
            }
            pool(details);
            return Health.down().withDetails(details).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.unknown().withDetail("reason", "interrupted").build();
        } catch (ExecutionException e) {
            return Health.down().withDetail("reason", describe(e.getCause())).build();
        }
    }

    /**
     * The last known answer, without touching the database: false when the last probe failed or one has been waiting for
     * longer than {@link #TIMEOUT}; true before the first probe. For other health indicators that would otherwise block
     * on the pool.
     */
    public boolean available() {
        Instant since = inFlightSince.get();
        CompletableFuture<Probe> current = inFlight.get();
        if (current != null && !current.isDone() && since != null
                && Duration.between(since, clock.instant()).compareTo(timeout) > 0) {
            return false;
        }
        Probe p = last;
        return p == null || p.up();
    }

    /** The probe in flight, or a new one when none is. */
    private CompletableFuture<Probe> probe() {
        while (true) {
            CompletableFuture<Probe> current = inFlight.get();
            if (current != null && !current.isDone()) {
                return current;
            }
            CompletableFuture<Probe> next = new CompletableFuture<>();
            if (inFlight.compareAndSet(current, next)) {
                inFlightSince.set(clock.instant());
                try {
                    probes.execute(() -> {
                        Probe p = check();
                        last = p;
                        next.complete(p);
                    });
                } catch (java.util.concurrent.RejectedExecutionException e) {
                    next.complete(new Probe(clock.instant(), 0, null, "health probe stopped"));
                }
                return next;
            }
        }
    }

    private Probe check() {
        Instant at = clock.instant();
        long started = System.nanoTime();
        try (Connection c = dataSource.getConnection()) {
            String product = c.getMetaData().getDatabaseProductName();
            boolean valid = c.isValid((int) Math.max(1, timeout.toSeconds()));
            return new Probe(at, millisSince(started), product, valid ? null : "the connection did not answer a validity check");
        } catch (SQLException | RuntimeException e) {
            return new Probe(at, millisSince(started), null, describe(e));
        }
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    /** The failure's type, SQLState and message (a connection error: host, port, pool; no personal data). */
    static String describe(Throwable e) {
        StringBuilder out = new StringBuilder(e.getClass().getName());
        if (e instanceof SQLException sql && sql.getSQLState() != null) {
            out.append(" (SQLState ").append(sql.getSQLState()).append(')');
        }
        if (e.getMessage() != null) {
            String message = e.getMessage();
            out.append(": ").append(message.length() > 300 ? message.substring(0, 300) + "…" : message);
        }
        return out.toString();
    }

    private void pool(Map<String, Object> details) {
        if (dataSource instanceof HikariDataSource hikari) {
            HikariPoolMXBean pool = hikari.getHikariPoolMXBean();
            if (pool != null) {
                details.put("pool", Map.of("active", pool.getActiveConnections(), "idle", pool.getIdleConnections(),
                        "waiting", pool.getThreadsAwaitingConnection(), "max", hikari.getMaximumPoolSize()));
            }
        }
    }

    @Override
    public void destroy() {
        probes.shutdownNow();
    }
}
