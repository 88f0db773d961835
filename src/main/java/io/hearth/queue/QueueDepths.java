package io.hearth.queue;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueRequestor;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;

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

    private final ActiveMQConnectionFactory connectionFactory;
    private Map<String, Long> cached = Map.of();
    private long cachedAt;

    public QueueDepths(jakarta.jms.ConnectionFactory connectionFactory) {
        this.connectionFactory = (ActiveMQConnectionFactory) connectionFactory;
    }

    /** Queue name → messages in it (-1 when the broker does not know the queue). */
    public synchronized Map<String, Long> depths() throws JMSException {
        long now = System.currentTimeMillis();
        if (now - cachedAt < CACHE_MILLIS && !cached.isEmpty()) {
            return cached;
        }
        Map<String, Long> depths = new LinkedHashMap<>();
        try (QueueConnection connection = connectionFactory.createQueueConnection()) {
            connection.start();
            QueueSession session = connection.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueRequestor requestor = new QueueRequestor(session, ActiveMQJMSClient.createQueue("activemq.management"));
            for (String queue : StageQueues.all()) {
                Message request = session.createMessage();
                JMSManagementHelper.putAttribute(request, ResourceNames.QUEUE + queue, "messageCount");
                Message reply = requestor.request(request);
                depths.put(queue, messageCount(reply));
            }
            requestor.close();
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
