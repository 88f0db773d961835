package io.hearth.crm;

import java.util.List;
import java.util.function.LongSupplier;

import io.hearth.ops.QueueDepths;
import io.hearth.queue.BatchPolicy;
import io.hearth.queue.BrokerConfiguration;
import io.hearth.queue.StageQueues;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Component;

/**
 * The CRM writer's streaming batches (route {@code crm-writer}, {@code batchPolicy: "#crmBatchPolicy"}). Every batch
 * boundary costs calls (each object's last, partly filled call; a contact updated in two batches is written twice),
 * so a batch keeps filling while commands keep coming and ends when:
 * <ul>
 * <li>the queue has drained: no command arrived for {@code batch-window} ms (the linger);</li>
 * <li>its oldest command has waited {@code max-latency}, so that a trickle (a lone mention, a slow stream) reaches the
 * CRM in bounded time; <em>unless</em> a burst is still on its way: the batch already holds a full call's worth
 * ({@code records-per-call}) of commands and the stages before the writer (social.inbound, social.mentions) still hold
 * messages. Then waiting costs no latency that the writer could save (the burst is being produced) and saves a
 * boundary per object; the linger is then measured against the stages, not the queue;</li>
 * <li>in any case when its oldest command has waited {@code max-hold}, or it holds {@code batch-size} messages.</li>
 * </ul>
 * Within a batch the writer sends each upsert group as soon as it holds a full call (parents first), and everything
 * else just before the commit (docs/crm-commands.md).
 */
@Component("crmBatchPolicy")
public class CrmBatchPolicy implements BatchPolicy {

    /** The stages whose messages become crm.outbound commands. */
    static final List<String> UPSTREAM = List.of(StageQueues.INBOUND, StageQueues.MENTIONS);

    private final long linger;
    private final long maxLatency;
    private final long maxHold;
    private final int fullCall;
    private final LongSupplier upstreamDepth;

    @Autowired
    public CrmBatchPolicy(CrmWriterSettings settings, BrokerConfiguration.EmbeddedBroker broker, QueueDepths depths) {
        this(settings.getBatchWindow(), settings.getMaxLatency().toMillis(), settings.getMaxHold().toMillis(),
                settings.getRecordsPerCall(), () -> upstreamDepth(broker, depths));
    }

    CrmBatchPolicy(long linger, long maxLatency, long maxHold, int fullCall, LongSupplier upstreamDepth) {
        if (maxHold < maxLatency) {
            throw new IllegalArgumentException("hearth.crm.writer.max-hold (" + maxHold + " ms) must not be shorter than"
                    + " hearth.crm.writer.max-latency (" + maxLatency + " ms)");
        }
        this.linger = linger;
        this.maxLatency = maxLatency;
        this.maxHold = maxHold;
        this.fullCall = fullCall;
        this.upstreamDepth = upstreamDepth;
    }

    @Override
    public boolean endNow(int messages, long ageMillis) {
        if (ageMillis >= maxHold) {
            return true;
        }
        return ageMillis >= maxLatency && !burstOnItsWay(messages);
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
        return Math.min(linger - idleMillis, maxLatency - ageMillis);
    }

    private boolean burstOnItsWay(int messages) {
        return messages >= fullCall && upstreamDepth.getAsLong() > 0;
    }

    /** Messages in the stages before the writer, being delivered included; the embedded broker is asked directly. */
    static long upstreamDepth(BrokerConfiguration.EmbeddedBroker broker, QueueDepths depths) {
        long sum = 0;
        for (String queue : UPSTREAM) {
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
