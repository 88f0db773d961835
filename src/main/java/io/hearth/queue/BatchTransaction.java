package io.hearth.queue;

import java.util.HashMap;
import java.util.Map;

import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

/**
 * One stage consumer's open transaction: everything its batch sends goes out on the session it
 * received on, so consuming a batch and producing its results commit (or roll back) together.
 * A JMS session is single-threaded; only the consumer's own thread may send through it.
 */
public final class BatchTransaction {

    /** Exchange property that carries the open transaction to producers in the same route. */
    public static final String PROPERTY = "HearthBatchTransaction";

    private final Session session;
    private final Thread owner = Thread.currentThread();
    private final Map<String, MessageProducer> producers = new HashMap<>();

    BatchTransaction(Session session) {
        this.session = session;
    }

    Session session() {
        return session;
    }

    boolean ownedByCurrentThread() {
        return Thread.currentThread() == owner;
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
