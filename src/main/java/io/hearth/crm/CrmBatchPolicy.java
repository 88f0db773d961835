package io.hearth.crm;

import java.util.List;
import java.util.function.LongSupplier;

import io.hearth.queue.BatchPolicy;
import io.hearth.queue.BrokerConfiguration;
import io.hearth.queue.QueueDepths;
import io.hearth.queue.QueueWatchdogSettings;
import io.hearth.queue.StageQueues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The CRM writer's streaming batches (route {@code crm-writer}, {@code batchPolicy: "#crmBatchPolicy"}). Every batch
 * boundary costs calls (each object's last, partly filled call; a contact updated in two batches is written twice),
 * so a batch keeps filling while commands keep coming and ends when:
 * <ul>
 * <li>the queue has drained: no command arrived for {@code batch-window} ms (the linger);</li>
 * <li>its oldest command has waited {@code max-latency}, so that a trickle (a lone mention, a slow stream) reaches the
 * CRM in bounded time; <em>unless</em> a burst is still on its way: during this batch the stages before the writer
 * (social.inbound, social.mentions) or crm.outbound beyond the batch (a backlog) have held at least a full call's worth
 * ({@code records-per-call}) of messages, and they still hold some. Then waiting costs no latency that the writer could save (the burst is being produced) and
 * saves a boundary per object; the linger is then measured against the stages, not the queue;</li>
 * <li>in any case when its oldest command has waited {@code max-hold} (60 s), or it holds {@code batch-size} messages.</li>
 * </ul>
 * Within a batch the writer sends each upsert group as soon as it holds a full call (parents first), and everything
 * else just before the commit (docs/crm-commands.md).
 */
@Component("crmBatchPolicy")
public class CrmBatchPolicy implements BatchPolicy {

    /** The stages whose messages become crm.outbound commands. */
    static final List<String> UPSTREAM = List.of(StageQueues.INBOUND, StageQueues.MENTIONS);

    private static final Logger LOG = LoggerFactory.getLogger(CrmBatchPolicy.class);

    private final long linger;
    private final long maxLatency;
    private final long maxHold;
    private final int fullCall;
    private final LongSupplier upstreamDepth;
    /** crm.outbound as the broker counts it: waiting, and delivered (this batch's messages, the client's prefetch). */
    private final LongSupplier ownDepth;
    /** This batch has seen a burst in the stages (one consumer: route crm-writer has concurrentConsumers 1). */
    private volatile boolean burst;

    @Autowired
    public CrmBatchPolicy(CrmWriterSettings settings, QueueWatchdogSettings watchdog, BrokerConfiguration.EmbeddedBroker broker,
            QueueDepths depths) {
        this(settings.getBatchWindow(), settings.getMaxLatency().toMillis(),
                effectiveMaxHold(checked(settings), settings.getMaxLatency().toMillis(), watchdog.getStallAfter().toMillis()),
                settings.getRecordsPerCall(), () -> depth(UPSTREAM, broker, depths),
                () -> depth(List.of(StageQueues.CRM_OUTBOUND), broker, depths));
    }

    private static long checked(CrmWriterSettings settings) {
        long maxHold = settings.getMaxHold().toMillis();
        long maxLatency = settings.getMaxLatency().toMillis();
        if (maxHold < maxLatency) {
            throw new IllegalArgumentException("hearth.crm.writer.max-hold (" + maxHold + " ms) must not be shorter than"
                    + " hearth.crm.writer.max-latency (" + maxLatency + " ms)");
        }
        return maxHold;
    }

    /**
     * An open batch commits nothing, and the queue watchdog counts commits (and a shrinking queue) as progress: a batch
     * held open for {@code hearth.queues.stall-after} would read as a stall. So a batch ends at half of stall-after at
     * the latest (when the watchdog is on and that is shorter than max-hold).
     */
    static long effectiveMaxHold(long maxHold, long maxLatency, long stallAfter) {
        long cut = Math.max(maxLatency, stallAfter / 2);
        if (stallAfter > 0 && maxHold > cut) {
            LOG.info("hearth.crm.writer.max-hold {} ms is cut to {} ms (half of hearth.queues.stall-after, at least max-latency):"
                    + " a batch held open longer would look like a stall to the queue watchdog", maxHold, cut);
            return cut;
        }
        return maxHold;
    }

    CrmBatchPolicy(long linger, long maxLatency, long maxHold, int fullCall, LongSupplier upstreamDepth, LongSupplier ownDepth) {
        if (maxHold < maxLatency) {
            throw new IllegalArgumentException("hearth.crm.writer.max-hold (" + maxHold + " ms) must not be shorter than"
                    + " hearth.crm.writer.max-latency (" + maxLatency + " ms)");
        }
        this.linger = linger;
        this.maxLatency = maxLatency;
        this.maxHold = maxHold;
        this.fullCall = fullCall;
        this.upstreamDepth = upstreamDepth;
        this.ownDepth = ownDepth;
    }

    @Override
    public boolean endNow(int messages, long ageMillis) {
        if (ageMillis >= maxHold) {
            LOG.debug("crm.outbound batch of {} messages ends: max-hold ({} ms)", messages, ageMillis);
            return true;
        }
        if (ageMillis >= maxLatency && !burstOnItsWay(messages)) {
            LOG.debug("crm.outbound batch of {} messages ends: max-latency ({} ms), no burst on its way", messages, ageMillis);
            return true;
        }
        return false;
    }

    @Override
    public long waitForNext(int messages, long ageMillis, long idleMillis) {
        if (ageMillis >= maxHold) {
            return 0;
        }
        if ((idleMillis >= linger || ageMillis >= maxLatency) && burstOnItsWay(messages)) {
            // the stages are still producing: wait another slice, then look again
            return Math.max(1, Math.min(linger, maxHold - ageMillis));
        }
        if (idleMillis >= linger && ageMillis < maxLatency && queuedBeyond(messages)) {
            // not drained: crm.outbound holds more than this batch, on its way to this consumer
            return Math.max(1, Math.min(linger, maxLatency - ageMillis));
        }
        long wait = Math.min(linger - idleMillis, maxLatency - ageMillis);
        if (wait <= 0) {
            LOG.debug("crm.outbound batch of {} messages ends after {} ms: {}", messages, ageMillis,
                    idleMillis >= linger ? "drained" : "max-latency");
        }
        return wait;
    }

    @Override
    public void batchStarted() {
        burst = false;
    }

    /**
     * A burst is on its way once the stages before the writer, or crm.outbound beyond this batch (a backlog), hold at
     * least a full call's worth of messages ({@code records-per-call}); from then on, for the rest of this batch, as long
     * as they hold any. A steady trickle
     * (a few messages in the stages at a time) never counts as a burst, so the latency bound holds for it.
     */
    private boolean burstOnItsWay(int messages) {
        long depth = upstreamDepth.getAsLong();
        long queued = ownDepth.getAsLong() - messages;
        if (depth >= fullCall || queued >= fullCall) {
            burst = true;   // a burst in the stages, or a backlog in crm.outbound itself (after an outage, a pause)
        }
        return burst && (depth > 0 || queued > 0);
    }

    /**
     * crm.outbound holds more than the batch's own messages: commands committed by the enrich stage that the broker has
     * not yet handed to this consumer (a receive that found nothing a moment ago does not mean drained).
     */
    private boolean queuedBeyond(int messages) {
        return ownDepth.getAsLong() > messages;
    }

    /** Messages in these queues, being delivered included; the embedded broker is asked directly. */
    static long depth(List<String> queues, BrokerConfiguration.EmbeddedBroker broker, QueueDepths depths) {
        long sum = 0;
        for (String queue : queues) {
            long depth;
            if (broker.isRunning()) {
                org.apache.activemq.artemis.core.server.Queue q = broker.server().getActiveMQServer()
                        .locateQueue(org.apache.activemq.artemis.api.core.SimpleString.of(queue));
                depth = q == null ? 0 : q.getMessageCount();
            } else {
                depth = Math.max(0, depths.depth(queue));   // an external broker: management messages, cached 1 s
            }
            sum += depth;
        }
        return sum;
    }
}
