package io.hearth.queue;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.QueueConnection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TemporaryQueue;

import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.ActiveMQJMSClient;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.springframework.stereotype.Component;

/**
 * Message counts of the stage queues and their DLQs, asked of the broker through Artemis
 * management messages: the same question works for the embedded broker and an external one.
 * Answers are cached for a second so scrapes and health checks do not hammer the broker.
 */
@Component
public class QueueDepths {

    private static final long CACHE_MILLIS = 1000;
    /** Artemis's default management address (broker.xml and the embedded broker keep it). */
    static final String MANAGEMENT_ADDRESS = "activemq.management";
    /** How long one {@link #depths()} waits for the broker's answers, all queues together. */
    static final long TIMEOUT_MILLIS = 2000;

    private final ActiveMQConnectionFactory connectionFactory;
    private final long timeoutMillis;
    private Map<String, Long> cached = Map.of();
    private long cachedAt;

    @org.springframework.beans.factory.annotation.Autowired
    public QueueDepths(jakarta.jms.ConnectionFactory connectionFactory) {
        this(connectionFactory, TIMEOUT_MILLIS);
    }

    QueueDepths(jakarta.jms.ConnectionFactory connectionFactory, long timeoutMillis) {
        this.connectionFactory = (ActiveMQConnectionFactory) connectionFactory;
        this.timeoutMillis = timeoutMillis;
    }

    /**
     * Queue name → messages in it (-1 when the broker does not know the queue).
     *
     * @throws JMSException the broker is unreachable, or did not answer within {@link #TIMEOUT_MILLIS}
     */
    public synchronized Map<String, Long> depths() throws JMSException {
        long now = System.currentTimeMillis();
        if (now - cachedAt < CACHE_MILLIS && !cached.isEmpty()) {
            return cached;
        }
        Map<String, Long> depths = new LinkedHashMap<>();
        try (QueueConnection connection = connectionFactory.createQueueConnection()) {
            connection.start();
            QueueSession session = connection.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
            // Not JMS's QueueRequestor: its request() waits for the reply for ever. A broker that takes the request and
            // never answers (management disabled or elsewhere, a broker stuck mid-failover) held this method's lock, and
            // with it broker health and the CRM writer's batch policy (an external broker's depths come from here).
            TemporaryQueue replies = session.createTemporaryQueue();
            MessageProducer requests = session.createProducer(ActiveMQJMSClient.createQueue(MANAGEMENT_ADDRESS));
            MessageConsumer answers = session.createConsumer(replies);
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            for (String queue : StageQueues.all()) {
                Message request = session.createMessage();
                JMSManagementHelper.putAttribute(request, ResourceNames.QUEUE + queue, "messageCount");
                request.setJMSReplyTo(replies);
                requests.send(request);
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                Message reply = left > 0 ? answers.receive(left) : answers.receiveNoWait();
                if (reply == null) {
                    throw new JMSException("the broker did not answer a queue-depth request within " + timeoutMillis
                            + " ms (management address " + MANAGEMENT_ADDRESS + ")");
                }
                depths.put(queue, messageCount(reply));
            }
            answers.close();
            replies.delete();
        }
        cached = depths;
        cachedAt = now;
        return depths;
    }

    private static long messageCount(Message reply) throws JMSException {
        try {
            Object result = JMSManagementHelper.hasOperationSucceeded(reply) ? JMSManagementHelper.getResult(reply) : null;
            return result instanceof Number n ? n.longValue() : -1L;
        } catch (JMSException e) {
            throw e;
        } catch (Exception e) {
            return -1L;
        }
    }

    public long depth(String queue) {
        try {
            return depths().getOrDefault(queue, -1L);
        } catch (JMSException e) {
            return -1L;
        }
    }
}
