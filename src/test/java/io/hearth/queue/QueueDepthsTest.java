package io.hearth.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.Map;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Queue depths are asked of the broker with management messages (embedded or external broker alike). The answer must
 * come within a bound: JMS's QueueRequestor waited for ever, and the depths feed broker health and the CRM writer's
 * batch policy.
 */
class QueueDepthsTest {

    private EmbeddedActiveMQ broker;
    private ActiveMQConnectionFactory factory;

    @AfterEach
    void stop() throws Exception {
        if (factory != null) {
            factory.close();
        }
        if (broker != null) {
            broker.stop();
        }
    }

    private void start(String managementAddress) throws Exception {
        InVmBroker inVm = InVmBroker.named("depths");
        ConfigurationImpl config = inVm.config();
        config.setManagementAddress(SimpleString.of(managementAddress));
        config.addQueueConfiguration(QueueConfiguration.of(StageQueues.INBOUND).setRoutingType(RoutingType.ANYCAST));
        config.addQueueConfiguration(QueueConfiguration.of(StageQueues.MENTIONS).setRoutingType(RoutingType.ANYCAST));
        broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        broker.start();
        factory = new ActiveMQConnectionFactory(inVm.url());
    }

    @Test
    void answersTheCountOfEveryStageQueueAndMinusOneForAQueueTheBrokerDoesNotHave() throws Exception {
        start(QueueDepths.MANAGEMENT_ADDRESS);
        try (Connection c = factory.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(StageQueues.INBOUND));
            for (int i = 0; i < 3; i++) {
                p.send(s.createTextMessage("m" + i));
            }
        }

        Map<String, Long> depths = new QueueDepths(factory).depths();

        assertThat(depths).containsKeys(StageQueues.all().toArray(String[]::new));
        assertThat(depths).containsEntry(StageQueues.INBOUND, 3L).containsEntry(StageQueues.MENTIONS, 0L)
                .containsEntry(StageQueues.CRM_OUTBOUND, -1L);
    }

    @Test
    void aBrokerThatNeverAnswersFailsWithinTheTimeoutInsteadOfHangingForEver() throws Exception {
        start("hearth.management.elsewhere");   // requests to activemq.management reach no one: no answer, ever
        QueueDepths depths = new QueueDepths(factory, 500);

        assertTimeoutPreemptively(Duration.ofSeconds(10), () ->
                assertThatThrownBy(depths::depths).isInstanceOf(JMSException.class)
                        .hasMessageContaining("did not answer a queue-depth request within 500 ms"));
        assertThat(depths.depth(StageQueues.INBOUND)).as("callers that take -1 for unknown").isEqualTo(-1L);
    }
}
