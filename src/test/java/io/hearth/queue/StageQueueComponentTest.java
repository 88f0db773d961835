package io.hearth.queue;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;

/** The stage consumers' own connection factory is the shared one's copy, with every setting the hub makes. */
class StageQueueComponentTest {

    @Test
    void theConsumersFactoryIsACopyWithTheSameSettings() throws Exception {
        ActiveMQConnectionFactory shared = new ActiveMQConnectionFactory(
                "(tcp://127.0.0.1:61616,tcp://127.0.0.1:61617)?ha=true&reconnectAttempts=-1&callTimeout=5000");
        shared.setUser("hearth");
        shared.setPassword("secret");
        shared.setBlockOnDurableSend(true);
        StageQueueComponent component = new StageQueueComponent(shared, null);

        ConnectionFactory consumers = component.consumerConnectionFactory();
        assertThat(consumers).as("a factory of its own: the shared one's connects are serialised").isNotSameAs(shared)
                .isInstanceOf(ActiveMQConnectionFactory.class);
        ActiveMQConnectionFactory copy = (ActiveMQConnectionFactory) consumers;
        assertThat(copy.getUser()).isEqualTo("hearth");
        assertThat(copy.getPassword()).isEqualTo("secret");
        assertThat(copy.isBlockOnDurableSend()).isTrue();
        assertThat(copy.isHA()).isTrue();
        assertThat(copy.getReconnectAttempts()).isEqualTo(-1);
        assertThat(copy.getCallTimeout()).isEqualTo(5000);
        assertThat(copy.getServerLocator().getStaticTransportConfigurations()).hasSize(2);
        assertThat(component.connectionFactory()).as("sends keep the shared factory").isSameAs(shared);
    }
}
