package io.hearth.queue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.activemq.artemis.api.core.ActiveMQExceptionType;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.spi.core.protocol.RemotingConnection;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A real stage for focused failure tests: an embedded Artemis broker (in-VM, no persistence), a Camel context with the
 * hub's {@code queue:} component ({@link StageQueueComponent}, transacted batches) and helpers to send, count and
 * drain queues and to inject broker faults for real (the broker drops the consumers' connections). Queues get a DLQ
 * {@code DLQ.<queue>} and the given delivery limit, as the hub declares its stage queues.
 */
public final class StageHarness implements AutoCloseable {

    private final EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
    private final ActiveMQConnectionFactory connectionFactory;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final CamelContext camel = new DefaultCamelContext();

    public StageHarness(int maxDeliveryAttempts, String... queues) throws Exception {
        InVmBroker inVm = InVmBroker.named("stage-harness");
        ConfigurationImpl config = inVm.config();
        for (String q : queues) {
            String dlq = "DLQ." + q;
            config.addAddressSetting(q, new AddressSettings().setDeadLetterAddress(SimpleString.of(dlq))
                    .setMaxDeliveryAttempts(maxDeliveryAttempts).setRedeliveryDelay(0));
            config.addQueueConfiguration(QueueConfiguration.of(q).setRoutingType(RoutingType.ANYCAST));
            config.addQueueConfiguration(QueueConfiguration.of(dlq).setRoutingType(RoutingType.ANYCAST));
        }
        broker.setConfiguration(config);
        broker.start();
        connectionFactory = new ActiveMQConnectionFactory(inVm.url());
        connectionFactory.setBlockOnDurableSend(true);
        StageQueueComponent component = new StageQueueComponent(connectionFactory, meters);
        component.setConcurrentConsumers(1);
        camel.addComponent("queue", component);
    }

    public CamelContext camel() {
        return camel;
    }

    public void start(RouteBuilder routes) throws Exception {
        camel.addRoutes(routes);
        camel.start();
    }

    public void send(String queue, String... bodies) throws JMSException {
        send(queue, Map.of(), bodies);
    }

    public void send(String queue, Map<String, String> headers, String... bodies) throws JMSException {
        try (Connection c = connectionFactory.createConnection()) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            for (String body : bodies) {
                TextMessage m = s.createTextMessage(body);
                for (Map.Entry<String, String> h : headers.entrySet()) {
                    m.setStringProperty(h.getKey(), h.getValue());
                }
                p.send(m);
            }
            s.commit();
        }
    }

    /** Messages in the queue, including those delivered to a consumer but not acknowledged yet. */
    public long count(String queue) {
        Queue q = broker.getActiveMQServer().locateQueue(SimpleString.of(queue));
        return q == null ? 0 : q.getMessageCount();
    }

    /** Takes every message out of the queue (for assertions): their text bodies and string properties. */
    public List<Message> drain(String queue) throws JMSException {
        List<Message> out = new ArrayList<>();
        try (Connection c = connectionFactory.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            for (Message m = consumer.receive(500); m != null; m = consumer.receive(200)) {
                out.add(m);
            }
        }
        return out;
    }

    public static List<String> bodies(List<Message> messages) throws JMSException {
        List<String> out = new ArrayList<>();
        for (Message m : messages) {
            out.add(m.getBody(String.class));
        }
        return out;
    }

    /** A stage consumer's committed-message counter ({@code hearth.queue.consumed}). */
    public double consumed(String queue) {
        var c = meters.find("hearth.queue.consumed").tag("queue", queue).counter();
        return c == null ? 0 : c.count();
    }

    public double rollbacks(String queue) {
        var c = meters.find("hearth.queue.rollbacks").tag("queue", queue).counter();
        return c == null ? 0 : c.count();
    }

    /** A real broker fault: the broker fails every client connection (as on a network cut or a broker restart). */
    public void failClientConnections() {
        for (RemotingConnection connection : broker.getActiveMQServer().getRemotingService().getConnections()) {
            connection.fail(new ActiveMQException(ActiveMQExceptionType.NOT_CONNECTED, "injected connection failure"));
        }
    }

    /** The broker goes away for good (an external broker that is down): the consumers can only try to reconnect. */
    public void stopBroker() throws Exception {
        broker.stop();
    }

    @Override
    public void close() throws Exception {
        try {
            camel.close();
        } finally {
            connectionFactory.close();
            broker.stop();
        }
    }
}
