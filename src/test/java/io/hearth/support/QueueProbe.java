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

    /** The mention ids ({@code id} field of each JSON body) waiting in a hub's crm.outbound. */
    public static List<String> crmOutboundIds(org.springframework.context.ApplicationContext hub) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        List<String> ids = new ArrayList<>();
        for (String body : of(hub.getBean(BrokerConfiguration.EmbeddedBroker.class)).bodies("crm.outbound")) {
            ids.add(json.readTree(body).get("id").asText());
        }
        return ids;
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
}
