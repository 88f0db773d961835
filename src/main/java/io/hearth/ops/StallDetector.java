package io.hearth.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decides, from successive observations of a queue, whether it is stalled: it holds messages and nothing has left it
 * for at least {@code stallAfter}. Something left it when its consumers committed more messages (the consumed counter
 * grew) or its depth fell (e.g. the broker moved messages to the DLQ). An empty queue is never stalled. Plain Java,
 * no clock of its own: the caller passes the time of each observation.
 */
public final class StallDetector {

    /** What is known about one queue: since when it holds messages without progress, and the rollbacks meanwhile. */
    public record QueueState(String queue, long depth, Instant lastProgressAt, Duration noProgressFor, boolean stalled,
            long rollbacksSinceProgress) {
    }

    private static final class Track {
        long depth = -1;
        double consumed = -1;
        double rollbacksAtProgress;
        Instant lastProgressAt;
        QueueState state;
    }

    private final Duration stallAfter;
    private final Map<String, Track> tracks = new LinkedHashMap<>();

    public StallDetector(Duration stallAfter) {
        if (stallAfter == null || stallAfter.isNegative() || stallAfter.isZero()) {
            throw new IllegalArgumentException("stallAfter must be positive, was " + stallAfter);
        }
        this.stallAfter = stallAfter;
    }

    public Duration stallAfter() {
        return stallAfter;
    }

    /**
     * One observation of a queue: its depth (messages waiting or being delivered; negative: unknown), the count of
     * messages its consumers have committed so far, and the count of rolled-back batches so far.
     */
    public QueueState observe(String queue, long depth, double consumed, double rollbacks, Instant now) {
        return observe(queue, depth, consumed, rollbacks, false, now);
    }

    /**
     * As above; {@code held}: the stage holds its messages on purpose now (e.g. the CRM writer paused for the API
     * limit). A held queue is not stalled, and its clock starts again when the hold ends.
     */
    public synchronized QueueState observe(String queue, long depth, double consumed, double rollbacks, boolean held, Instant now) {
        Track t = tracks.computeIfAbsent(queue, q -> new Track());
        boolean progress = held
                || t.lastProgressAt == null                // first observation
                || depth == 0                              // nothing to do is never a stall
                || consumed > t.consumed                   // the consumers committed messages
                || (depth >= 0 && t.depth >= 0 && depth < t.depth);  // messages left the queue otherwise
        if (depth < 0 && !held) {
            progress = t.lastProgressAt == null;           // broker unreachable: that is the broker's health, keep the clock
        }
        if (progress) {
            t.lastProgressAt = now;
            t.rollbacksAtProgress = rollbacks;
        }
        t.consumed = consumed;
        if (depth >= 0) {
            t.depth = depth;
        }
        Duration idle = Duration.between(t.lastProgressAt, now);
        boolean stalled = t.depth > 0 && idle.compareTo(stallAfter) >= 0;
        t.state = new QueueState(queue, t.depth, t.lastProgressAt, t.depth > 0 ? idle : Duration.ZERO, stalled,
                (long) (rollbacks - t.rollbacksAtProgress));
        return t.state;
    }

    /** The last observation of every queue seen so far. */
    public synchronized Map<String, QueueState> states() {
        Map<String, QueueState> out = new LinkedHashMap<>();
        tracks.forEach((q, t) -> {
            if (t.state != null) {
                out.put(q, t.state);
            }
        });
        return out;
    }
}
