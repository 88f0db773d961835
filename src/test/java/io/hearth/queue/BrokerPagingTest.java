package io.hearth.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import io.hearth.config.HearthProperties;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.unit.DataSize;

/**
 * Issue 14 item 4: the embedded broker holds at most {@code hearth.broker.global-max-size} of queued messages in the
 * heap and pages the rest of a burst to disk; every paged message is still delivered once, in order, also after a
 * restart. Without the bound Artemis keeps up to half the heap of messages in memory and this backlog never pages.
 */
class BrokerPagingTest {

    /** ~3 MB of stage messages against a 1 MB bound: most of the backlog must be on disk. */
    static final int MESSAGES = 3_000;
    static final String BODY = "x".repeat(1_000);

    @TempDir
    Path dir;
    EmbeddedActiveMQ server;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void aBacklogAboveTheBoundPagesToDiskAndIsDeliveredOnceInOrderAfterARestart() throws Exception {
        HearthProperties properties = new HearthProperties();
        properties.getBroker().setGlobalMaxSize(DataSize.ofMegabytes(1));
        int id = 9_500 + (int) (Math.random() * 400);
        server = start(properties, id);
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("vm://" + id);
             Connection connection = factory.createConnection()) {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = session.createProducer(session.createQueue(StageQueues.MENTIONS));
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < MESSAGES; i++) {
                producer.send(session.createTextMessage(i + ":" + BODY));
                if (i % 100 == 99) {
                    session.commit(); // stage-sized transactions, as the stages send
                }
            }
            session.commit();
        }
        assertThat(server.getActiveMQServer().getPagingManager().getPageStore(SimpleString.of(StageQueues.MENTIONS)).isPaging())
                .as("social.mentions pages above a 1 MB global-max-size").isTrue();
        assertThat(sizeOf(dir.resolve("broker").resolve("paging"))).as("page files on disk").isGreaterThan(1L << 20);
        // the address is still writable: PAGE, not BLOCK or FAIL (a blocked send would hang above; a FAIL one throw)

        server.stop();
        server = start(properties, id);
        List<Integer> received = new ArrayList<>();
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("vm://" + id);
             Connection connection = factory.createConnection()) {
            connection.start();
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = session.createConsumer(session.createQueue(StageQueues.MENTIONS));
            for (Message m = consumer.receive(5_000); m != null; m = consumer.receive(1_000)) {
                String text = ((TextMessage) m).getText();
                assertThat(text).endsWith(BODY);
                received.add(Integer.parseInt(text.substring(0, text.indexOf(':'))));
                if (received.size() % 100 == 0) {
                    session.commit();
                }
            }
            session.commit();
        }
        assertThat(received).as("every message once, in the order sent").hasSize(MESSAGES)
                .isEqualTo(java.util.stream.IntStream.range(0, MESSAGES).boxed().toList());
        assertThat(server.getActiveMQServer().getPagingManager().getPageStore(SimpleString.of(StageQueues.MENTIONS)).isPaging())
                .as("drained: back to memory").isFalse();
    }

    @Test
    void unsetTheBoundIsAnEighthOfTheHeapAtMost128MegabytesAndIsWhatTheBrokerGets() throws Exception {
        HearthProperties properties = new HearthProperties();
        long expected = Math.min(Runtime.getRuntime().maxMemory() / 8, 128L << 20);
        assertThat(BrokerConfiguration.brokerConfiguration(properties, dir.resolve("broker"), 9_999).getGlobalMaxSize())
                .isEqualTo(expected);
        properties.getBroker().setGlobalMaxSize(DataSize.ofMegabytes(5));
        assertThat(BrokerConfiguration.brokerConfiguration(properties, dir.resolve("broker"), 9_999).getGlobalMaxSize())
                .isEqualTo(5L << 20);
    }

    private EmbeddedActiveMQ start(HearthProperties properties, int id) throws Exception {
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ()
                .setConfiguration(BrokerConfiguration.brokerConfiguration(properties, dir.resolve("broker"), id));
        broker.start();
        return broker;
    }

    private static long sizeOf(Path directory) throws Exception {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        }
    }
}
