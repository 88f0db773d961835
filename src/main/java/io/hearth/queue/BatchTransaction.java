package io.hearth.queue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

/**
 * One stage consumer's open transaction: everything its batch sends goes out on the session it
 * received on, so consuming a batch and producing its results commit (or roll back) together.
 * A JMS session is single-threaded; only the consumer's own thread may send through it.
 */
public final class BatchTransaction {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(BatchTransaction.class);

    /** Exchange property that carries the open transaction to producers in the same route. */
    public static final String PROPERTY = "HearthBatchTransaction";

    private final Session session;
    private final Thread owner = Thread.currentThread();
    private final Map<String, MessageProducer> producers = new HashMap<>();
    private final Map<Object, Participant> participants = new LinkedHashMap<>();
    private int sent;
    /** Set when the batch as a whole cannot commit (e.g. its state-database connection is gone): see {@link #abort}. */
    private Throwable aborted;
    private int routed;
    /** Set (from the JMS client's thread) when the session's connection failed: nothing of this batch can commit now. */
    private volatile Throwable connectionLost;

    /**
     * Work of a batch outside the broker (e.g. dedup keys for the state database) that is done
     * once, just before the batch's JMS commit, instead of once per message.
     */
    public interface Participant {
        /** Called on the consumer's thread right before the JMS commit; throwing rolls the batch back. */
        void beforeCommit() throws Exception;

        /** The batch rolled back (or failed to commit before {@link #beforeCommit}): forget the work. */
        default void afterRollback() {
        }

        /**
         * The batch's JMS commit went through (called on the consumer's thread, after the commit): its messages will
         * not be delivered again. A failure here is logged and changes nothing about the commit.
         */
        default void afterCommit() {
        }
    }

    BatchTransaction(Session session) {
        this.session = session;
    }

    Session session() {
        return session;
    }

    boolean ownedByCurrentThread() {
        return Thread.currentThread() == owner;
    }

    /**
     * The batch's participant under {@code key}, created on first use. Only the consumer's own
     * thread may enlist: from any other thread this answers {@code null}, and the caller must do
     * its work on its own (as outside a batch).
     */
    @SuppressWarnings("unchecked")
    public <T extends Participant> T participant(Object key, Supplier<T> factory) {
        if (!ownedByCurrentThread()) {
            return null;
        }
        return (T) participants.computeIfAbsent(key, k -> factory.get());
    }

    /**
     * Marks the batch as failed as a whole, by a failure that no single message caused (its state-database connection
     * broke, see {@link BatchFailures}): no message of it is retried or dead-lettered any more; the consumer rolls the
     * whole batch back as soon as the current message's routing returns, and the broker redelivers it (on a fresh
     * connection). The first cause is kept.
     */
    public void abort(Throwable cause) {
        if (aborted == null) {
            aborted = cause == null ? new IllegalStateException("batch aborted") : cause;
        }
    }

    /**
     * Whether the batch's JMS session can still commit: false once its connection failed (the broker went away, a
     * network cut; {@link StageQueueConsumer} learns it from the connection's exception listener, at once, not at the
     * next receive or commit). Work outside the broker that a commit would have to follow, such as a CRM call, must not
     * start on a dead session: the broker gives the batch's messages to another consumer (another hub) as soon as it
     * can, and that consumer would do the same work again (docs/reliability.md, "Broker restart").
     */
    public boolean alive() {
        return connectionLost == null;
    }

    /** The connection under this batch's session failed (any thread). */
    void connectionLost(Throwable cause) {
        if (connectionLost == null) {
            connectionLost = cause == null ? new JMSException("connection lost") : cause;
        }
    }

    /** The failure that ended the batch as a whole ({@link #abort}), or null while it can still commit. */
    public Throwable aborted() {
        return aborted;
    }

    void beforeCommit() throws Exception {
        for (Participant participant : participants.values()) {
            participant.beforeCommit();
        }
    }

    /** After a commit: the next batch starts with no participants. */
    void committed() {
        List<Participant> enlisted = new ArrayList<>(participants.values());
        participants.clear();
        sent = 0;
        aborted = null;
        routed = 0;
        for (Participant participant : enlisted) {
            try {
                participant.afterCommit();
            } catch (RuntimeException e) {
                LOG.warn("A batch participant failed after the commit: {}", e.getClass().getName());
            }
        }
    }

    void rolledBack() {
        sent = 0;
        aborted = null;
        routed = 0;
        List<Participant> enlisted = new ArrayList<>(participants.values());
        participants.clear();
        RuntimeException first = null;
        for (Participant participant : enlisted) {
            try {
                participant.afterRollback();   // every participant gets its rollback, whatever another one does
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** Sends a message inside the batch's transaction. */
    void send(String queue, jakarta.jms.Message message) throws JMSException {
        producerFor(queue).send(message);
        sent++;
    }

    /** One more message of the batch is being routed. */
    void routing() {
        routed++;
    }

    /** Messages of this batch routed so far (the current one included). */
    int routed() {
        return routed;
    }

    /** Messages this batch has sent so far: a payload of many mentions fills a batch quickly. */
    int sent() {
        return sent;
    }

    MessageProducer producerFor(String queue) throws JMSException {
        MessageProducer producer = producers.get(queue);
        if (producer == null) {
            producer = session.createProducer(session.createQueue(queue));
            producer.setDeliveryMode(jakarta.jms.DeliveryMode.PERSISTENT);
            producers.put(queue, producer);
        }
        return producer;
    }
}
