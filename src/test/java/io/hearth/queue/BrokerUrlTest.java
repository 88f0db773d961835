package io.hearth.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import io.hearth.config.HearthConfigurationException;
import io.hearth.config.HearthProperties;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hearth.broker.url} for an external broker, an HA pair or a cluster (issue 12, docs/scaling.md "The broker"):
 * what the start accepts and refuses, that the accepted parameters reach the client, and that
 * {@code reconnectAttempts=-1} keeps one connection across a broker restart (without it the connection dies).
 */
class BrokerUrlTest {

    @TempDir
    Path dir;

    @Test
    void acceptedUrls() {
        BrokerUrl.check("tcp://artemis:61616");
        BrokerUrl.check("tcp://127.0.0.1:61616?reconnectAttempts=-1&retryInterval=500&maxRetryInterval=5000");
        BrokerUrl.check("(tcp://primary:61616,tcp://backup:61616)?ha=true&reconnectAttempts=-1");
        BrokerUrl.check("tcp://artemis:61617?sslEnabled=true&trustStorePath=/etc/tls/trust.p12&callTimeout=30000");
    }

    @Test
    void refusedUrlsNameTheProblem() {
        assertThatThrownBy(() -> BrokerUrl.check("tcp://artemis:61616?reconectAttempts=-1"))
                .isInstanceOf(HearthConfigurationException.class).hasMessageContaining("hearth.broker.url")
                .hasMessageContaining("unknown parameter(s) [reconectAttempts]");
        assertThatThrownBy(() -> BrokerUrl.check("(tcp://primary:61616,tcp://backup:61616)?ha=true"))
                .hasMessageContaining("reconnectAttempts");
        assertThatThrownBy(() -> BrokerUrl.check("(tcp://primary:61616,tcp://backup:61616)?ha=true&reconnectAttempts=0"))
                .hasMessageContaining("reconnectAttempts");
        assertThatThrownBy(() -> BrokerUrl.check("http://artemis:8161")).hasMessageContaining("is not tcp://host:port");
        assertThatThrownBy(() -> BrokerUrl.check("artemis:61616")).hasMessageContaining("is not tcp://host:port");
        assertThatThrownBy(() -> BrokerUrl.check("(tcp://a:1,tcp://b:2")).hasMessageContaining("closed with ')'");
        assertThatThrownBy(() -> BrokerUrl.check("tcp://a:1?bogus=1&password=s3cret"))
                .hasMessageContaining("no credentials in the URL").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> BrokerUrl.check("tcp://a:1?trustStorePassword=s3cret&bogus=1"))
                .hasMessageContaining("[bogus]").hasMessageNotContaining("s3cret");
    }

    @Test
    void haAndReconnectReachTheClient() throws Exception {
        HearthProperties properties = new HearthProperties();
        properties.getBroker().setUrl("(tcp://127.0.0.1:1,tcp://127.0.0.1:2)?ha=true&reconnectAttempts=-1&retryInterval=250");
        ActiveMQConnectionFactory factory = (ActiveMQConnectionFactory) new BrokerConfiguration()
                .connectionFactory(properties, BrokerConfiguration.EmbeddedBroker.none());
        assertThat(factory.isHA()).isTrue();
        assertThat(factory.getReconnectAttempts()).isEqualTo(-1);
        assertThat(factory.getRetryInterval()).isEqualTo(250);
        assertThat(factory.getStaticConnectors()).hasSize(2);
        assertThat(factory.isBlockOnDurableSend()).as("the hub's own setting stays").isTrue();
    }

    @Test
    void reconnectAttemptsKeepsTheConnectionAcrossABrokerRestart() throws Exception {
        int port = freePort();
        HearthProperties properties = new HearthProperties();
        properties.getBroker().setEmbeddedPort(port);
        EmbeddedActiveMQ broker = start(properties);
        properties.getBroker().setUrl("tcp://127.0.0.1:" + port + "?reconnectAttempts=-1&retryInterval=100");
        ActiveMQConnectionFactory factory = (ActiveMQConnectionFactory) new BrokerConfiguration()
                .connectionFactory(properties, BrokerConfiguration.EmbeddedBroker.none());
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            Queue queue = session.createQueue(StageQueues.INBOUND);
            MessageProducer producer = session.createProducer(queue);
            producer.send(session.createTextMessage("before"));
            session.commit();

            broker.stop();
            broker = start(properties);

            // the same connection and session: the client reconnected by itself (a transaction open across the
            // restart would be rolled back; this one starts after it)
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .ignoreExceptions().until(() -> {
                        producer.send(session.createTextMessage("after"));
                        session.commit();
                        return true;
                    });
            connection.start();
            Session reader = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = reader.createConsumer(queue);
            assertThat(((TextMessage) consumer.receive(10_000)).getText()).isEqualTo("before");
            assertThat(((TextMessage) consumer.receive(10_000)).getText()).isEqualTo("after");
        } finally {
            broker.stop();
        }
    }

    @Test
    void withoutReconnectAttemptsTheConnectionDiesWithTheBroker() throws Exception {
        int port = freePort();
        HearthProperties properties = new HearthProperties();
        properties.getBroker().setEmbeddedPort(port);
        EmbeddedActiveMQ broker = start(properties);
        properties.getBroker().setUrl("tcp://127.0.0.1:" + port);
        ActiveMQConnectionFactory factory = (ActiveMQConnectionFactory) new BrokerConfiguration()
                .connectionFactory(properties, BrokerConfiguration.EmbeddedBroker.none());
        try (Connection connection = factory.createConnection()) {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = session.createProducer(session.createQueue(StageQueues.INBOUND));
            producer.send(session.createTextMessage("before"));
            session.commit();
            broker.stop();
            broker = start(properties);
            assertThatThrownBy(() -> {
                producer.send(session.createTextMessage("after"));
                session.commit();
            }).as("the hub's consumers and producers open a new connection then (StageQueueConsumer)")
                    .isInstanceOf(jakarta.jms.JMSException.class);
        } finally {
            broker.stop();
        }
    }

    /**
     * With {@code reconnectAttempts=-1} a send waits while the client reconnects: without {@code callFailoverTimeout}
     * for as long as the broker is away (an ingest request would hang); with {@code callFailoverTimeout} and
     * {@code callTimeout} it fails after them (the ingest API answers 503 and the client retries).
     */
    @Test
    void callFailoverTimeoutBoundsASendWhileTheBrokerIsAway() throws Exception {
        int port = freePort();
        HearthProperties properties = new HearthProperties();
        properties.getBroker().setEmbeddedPort(port);
        EmbeddedActiveMQ broker = start(properties);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(2);
        try {
            java.util.List<java.util.concurrent.Future<?>> sends = new java.util.ArrayList<>();
            java.util.List<Connection> connections = new java.util.ArrayList<>();
            for (String extra : java.util.List.of("", "&callFailoverTimeout=2000&callTimeout=2000")) {
                properties.getBroker().setUrl("tcp://127.0.0.1:" + port + "?reconnectAttempts=-1&retryInterval=100" + extra);
                ActiveMQConnectionFactory factory = (ActiveMQConnectionFactory) new BrokerConfiguration()
                        .connectionFactory(properties, BrokerConfiguration.EmbeddedBroker.none());
                Connection connection = factory.createConnection();
                connections.add(connection);
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createQueue(StageQueues.INBOUND));
                producer.send(session.createTextMessage("before"));
                sends.add(pool.submit(() -> {
                    org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !broker.getActiveMQServer().isStarted());
                    producer.send(session.createTextMessage("while away"));
                    return null;
                }));
            }
            broker.stop();
            java.util.concurrent.ExecutionException failed = org.assertj.core.api.Assertions.catchThrowableOfType(
                    java.util.concurrent.ExecutionException.class, () -> sends.get(1).get(40, java.util.concurrent.TimeUnit.SECONDS));
            assertThat(failed).as("with callFailoverTimeout the send fails").isNotNull();
            assertThat(failed.getCause()).isInstanceOf(jakarta.jms.JMSException.class);
            assertThat(sends.get(0).isDone()).as("without it the send still waits for the broker").isFalse();
            for (Connection c : connections) {
                pool.submit(() -> {
                    c.close();
                    return null;
                });
            }
        } finally {
            pool.shutdownNow();
        }
    }

    EmbeddedActiveMQ start(HearthProperties properties) throws Exception {
        EmbeddedActiveMQ server = new EmbeddedActiveMQ()
                .setConfiguration(BrokerConfiguration.brokerConfiguration(properties, dir.resolve("broker"), 900));
        server.start();
        return server;
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
