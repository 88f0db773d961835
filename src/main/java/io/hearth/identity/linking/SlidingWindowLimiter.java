package io.hearth.identity.linking;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * At most {@code limit} events per key within any {@code window} (a sliding-window log: the times of the events of each
 * key within the window), kept in the state database (V36 {@code hearth_rate_event}) so that every hub of a cluster
 * counts the same events: N hubs behind one load balancer allow the limit once, not N times, and a restart forgets
 * nothing (issue 12). A decision takes the limiter's row lock ({@code hearth_rate_limiter}, {@code SELECT ... FOR
 * UPDATE}) for one short transaction, so two hubs cannot both take the last slot. Events that left the window are deleted
 * as new ones come, so the table follows the keys active within one window.
 * <p>
 * Written here rather than taken from a library: none with keyed limits, an injectable clock and a JDBC store is in the
 * dependency set (Bucket4j is not available to this build; resilience4j's and Guava's limiters are one rate per
 * instance, in memory), and the log is a few statements (docs/privacy.md). The limits guard an endpoint called a few
 * times a minute (link codes), so a transaction per call costs nothing that matters.
 */
public final class SlidingWindowLimiter {

    /** The answer: allowed, or refused with the time until the next event would be allowed. */
    public record Decision(boolean allowed, Duration retryAfter) {
        static final Decision ALLOWED = new Decision(true, Duration.ZERO);
    }

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final String name;
    private final int limit;
    private final Duration window;
    private final Clock clock;
    private volatile boolean lockRowPresent;

    /**
     * @param name the limiter's name in the database (one set of limits per name across all hubs), at most 40 characters
     */
    public SlidingWindowLimiter(JdbcTemplate jdbc, String name, int limit, Duration window, Clock clock) {
        if (limit < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("limit must be >= 1 and window positive");
        }
        if (name == null || name.isBlank() || name.length() > 40) {
            throw new IllegalArgumentException("a limiter needs a name of 1 to 40 characters");
        }
        this.jdbc = jdbc;
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
        this.name = name;
        this.limit = limit;
        this.window = window;
        this.clock = clock;
    }

    /** Counts an event of {@code key} when the limit allows it; otherwise counts nothing and says how long to wait. */
    public Decision tryAcquire(String key) {
        ensureLockRow();
        String k = key.length() > 255 ? key.substring(0, 255) : key;
        return tx.execute(status -> {
            // Serialises this limiter's decisions across hubs until the commit.
            jdbc.queryForList("SELECT limiter FROM hearth_rate_limiter WHERE limiter = ? FOR UPDATE", String.class, name);
            Instant now = clock.instant();
            Timestamp start = Timestamp.from(now.minus(window));
            jdbc.update("DELETE FROM hearth_rate_event WHERE limiter = ? AND at <= ?", name, start);
            List<Timestamp> inWindow = jdbc.queryForList("SELECT at FROM hearth_rate_event WHERE limiter = ? AND event_key = ?"
                    + " AND at > ? ORDER BY at", Timestamp.class, name, k, start);
            if (inWindow.size() >= limit) {
                // the event that must leave the window before one more fits
                Instant leaves = inWindow.get(inWindow.size() - limit).toInstant().plus(window);
                Duration wait = Duration.between(now, leaves);
                return new Decision(false, wait.isNegative() ? Duration.ZERO : wait);
            }
            jdbc.update("INSERT INTO hearth_rate_event (limiter, event_key, at) VALUES (?, ?, ?)", name, k, Timestamp.from(now));
            return Decision.ALLOWED;
        });
    }

    /** Keys with an event inside the window (tests and the size bound). */
    int keys() {
        Integer n = jdbc.queryForObject("SELECT COUNT(DISTINCT event_key) FROM hearth_rate_event WHERE limiter = ? AND at > ?",
                Integer.class, name, Timestamp.from(clock.instant().minus(window)));
        return n == null ? 0 : n;
    }

    /** Rows this limiter keeps (tests: expired events are deleted). */
    int rows() {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM hearth_rate_event WHERE limiter = ?", Integer.class, name);
        return n == null ? 0 : n;
    }

    /** The limiter's lock row, inserted once (auto-committed: a duplicate key must not abort a PostgreSQL transaction). */
    private void ensureLockRow() {
        if (lockRowPresent) {
            return;
        }
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM hearth_rate_limiter WHERE limiter = ?", Integer.class, name);
        if (n == null || n == 0) {
            try {
                jdbc.update("INSERT INTO hearth_rate_limiter (limiter) VALUES (?)", name);
            } catch (DuplicateKeyException anotherHubWasFirst) {
                // there now
            }
        }
        lockRowPresent = true;
    }
}
