package io.hearth.identity.linking;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * At most {@code limit} events per key within any {@code window} (a sliding-window log: the times of the last
 * {@code limit} events of each key). In memory, per hub process; keys whose events have all left the window are
 * forgotten, so memory follows the keys active within one window.
 * <p>
 * Written here rather than taken from a library: none with keyed limits and an injectable clock is in the dependency
 * set (Bucket4j is not available to this build; resilience4j's and Guava's limiters are one rate per instance, not per
 * key), and the log is a few lines (docs/privacy.md).
 */
public final class SlidingWindowLimiter {

    /** The answer: allowed, or refused with the time until the next event would be allowed. */
    public record Decision(boolean allowed, Duration retryAfter) {
        static final Decision ALLOWED = new Decision(true, Duration.ZERO);
    }

    private final int limit;
    private final Duration window;
    private final Clock clock;
    private final Map<String, Deque<Instant>> events = new ConcurrentHashMap<>();
    private int sinceSweep;

    public SlidingWindowLimiter(int limit, Duration window, Clock clock) {
        if (limit < 1 || window.isNegative() || window.isZero()) {
            throw new IllegalArgumentException("limit must be >= 1 and window positive");
        }
        this.limit = limit;
        this.window = window;
        this.clock = clock;
    }

    /** Counts an event of {@code key} when the limit allows it; otherwise counts nothing and says how long to wait. */
    public Decision tryAcquire(String key) {
        Instant now = clock.instant();
        Instant start = now.minus(window);
        sweepNow(start);
        Deque<Instant> log = events.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (log) {
            while (!log.isEmpty() && !log.peekFirst().isAfter(start)) {
                log.pollFirst();
            }
            if (log.size() >= limit) {
                Duration wait = Duration.between(now, log.peekFirst().plus(window));
                return new Decision(false, wait.isNegative() ? Duration.ZERO : wait);
            }
            log.addLast(now);
            return Decision.ALLOWED;
        }
    }

    /** Keys currently remembered (for tests and the memory bound). */
    int keys() {
        return events.size();
    }

    /** Every 1,000 calls: forget keys with no event inside the window. */
    private void sweepNow(Instant start) {
        synchronized (this) {
            if (++sinceSweep < 1000) {
                return;
            }
            sinceSweep = 0;
        }
        for (Iterator<Map.Entry<String, Deque<Instant>>> it = events.entrySet().iterator(); it.hasNext(); ) {
            Deque<Instant> log = it.next().getValue();
            synchronized (log) {
                if (log.isEmpty() || !log.peekLast().isAfter(start)) {
                    it.remove();
                }
            }
        }
    }
}
