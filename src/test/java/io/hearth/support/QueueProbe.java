package io.hearth.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;

import io.hearth.queue.BrokerConfiguration;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/** Reads what sits in a queue without consuming it. */
public final class QueueProbe {

    private final ConnectionFactory connectionFactory;

    public QueueProbe(ConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    /**
     * A probe on its own connection factory with an unbounded consumer window: with Artemis's
     * default 1 MiB window a browse of a large queue has been seen to come back short.
     */
    public static QueueProbe of(BrokerConfiguration.EmbeddedBroker broker) {
        return new QueueProbe(new ActiveMQConnectionFactory(broker.url() + "?consumerWindowSize=-1"));
    }

    /**
     * The ids of the mentions a hub's enrich stage has processed (its mention log): the end of the pipeline for any
     * mention, whether or not its author is a CRM contact (unknown authors cause no CRM command).
     */
    public static List<String> processedMentionIds(org.springframework.context.ApplicationContext hub) {
        return hub.getBean(io.hearth.enrich.MentionLog.class).ids();
    }

    public List<Message> browse(String queue) throws JMSException {
        try (Connection connection = connectionFactory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueBrowser browser = session.createBrowser(session.createQueue(queue));
            List<Message> messages = new ArrayList<>();
            for (Enumeration<?> e = browser.getEnumeration(); e.hasMoreElements(); ) {
                messages.add((Message) e.nextElement());
            }
            return messages;
        }
    }

    public List<String> bodies(String queue) throws JMSException {
        List<String> bodies = new ArrayList<>();
        for (Message m : browse(queue)) {
            bodies.add(m.getBody(String.class));
        }
        return Collections.unmodifiableList(bodies);
    }

    /**
     * Messages a stage's consumers have committed ({@code hearth_queue_consumed_total{queue}}). Unlike a browser, which
     * does not show prefetched or in-transaction messages, this says a message was processed: wait on it (issue 18).
     */
    public static double consumed(io.micrometer.core.instrument.MeterRegistry meters, String queue) {
        io.micrometer.core.instrument.Counter c = meters.find("hearth.queue.consumed").tag("queue", queue).counter();
        return c == null ? 0 : c.count();
    }

    /**
     * Messages in a queue of the embedded broker now (queued plus being delivered, what the management attribute
     * {@code messageCount} says), asked of the broker itself: no cache, unlike {@code io.hearth.queue.QueueDepths}
     * (1 s), so a test need not sleep past that cache; -1 when the broker does not know the queue.
     */
    public static long messageCount(BrokerConfiguration.EmbeddedBroker broker, String queue) {
        org.apache.activemq.artemis.core.server.Queue q = broker.server().getActiveMQServer()
                .locateQueue(org.apache.activemq.artemis.api.core.SimpleString.of(queue));
        return q == null ? -1 : q.getMessageCount();
    }
}
