package io.hearth.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.activemq.artemis.core.client.impl.ClientMessageImpl;
import org.apache.activemq.artemis.jms.client.ActiveMQTextMessage;
import org.junit.jupiter.api.Test;

/** Which Camel headers travel on the stage queues as JMS properties. */
class JmsMessagesUnitTest {

    @Test
    void ourSimpleHeadersArePortable() {
        assertThat(JmsMessages.isPortable("HearthSourceRef", "ID:abc#0")).isTrue();
        assertThat(JmsMessages.isPortable("HearthChannel", "mention")).isTrue();
        assertThat(JmsMessages.isPortable("HearthMentionCount", 3)).isTrue();
        assertThat(JmsMessages.isPortable("HearthBytes", 123L)).isTrue();
        assertThat(JmsMessages.isPortable("HearthScore", 0.5d)).isTrue();
        assertThat(JmsMessages.isPortable("HearthRetry", true)).isTrue();
        assertThat(JmsMessages.isPortable("x", "")).isTrue();
        assertThat(JmsMessages.isPortable("_private", "v")).isTrue();
    }

    @Test
    void camelJmsAndBrokerInternalsStayBehind() {
        assertThat(JmsMessages.isPortable("CamelSplitIndex", 1)).isFalse();
        assertThat(JmsMessages.isPortable("CamelFileName", "a.jsonl")).isFalse();
        assertThat(JmsMessages.isPortable("JMSMessageID", "ID:1")).isFalse();
        assertThat(JmsMessages.isPortable("JMSXDeliveryCount", 2)).isFalse();
        assertThat(JmsMessages.isPortable("_AMQ_DUPL_ID", "x")).isFalse();
    }

    @Test
    void richOrMissingValuesStayBehind() {
        assertThat(JmsMessages.isPortable("HearthWhen", Instant.parse("2026-11-20T10:00:00Z"))).isFalse();
        assertThat(JmsMessages.isPortable("HearthList", List.of("a"))).isFalse();
        assertThat(JmsMessages.isPortable("HearthMap", Map.of("a", 1))).isFalse();
        assertThat(JmsMessages.isPortable("HearthNull", null)).isFalse();
        assertThat(JmsMessages.isPortable("HearthChar", 'c')).isFalse();
    }

    @Test
    void numbersJmsCannotCarryStayBehind() {
        // A JMS property is byte/short/int/long/float/double: other Numbers would make the send fail.
        assertThat(JmsMessages.isPortable("HearthAmount", new BigDecimal("1.50"))).isFalse();
        assertThat(JmsMessages.isPortable("HearthBig", BigInteger.TEN)).isFalse();
        assertThat(JmsMessages.isPortable("HearthCounter", new AtomicLong(3))).isFalse();
    }

    @Test
    void namesThatAreNotJavaIdentifiersStayBehind() {
        assertThat(JmsMessages.isPortable("Content-Type", "application/json")).isFalse();
        assertThat(JmsMessages.isPortable("my.header", "v")).isFalse();
        assertThat(JmsMessages.isPortable("1st", "v")).isFalse();
        assertThat(JmsMessages.isPortable("with space", "v")).isFalse();
        assertThat(JmsMessages.isPortable("", "v")).isFalse();
    }

    @Test
    void whateverIsPortableAnArtemisMessageAccepts() throws Exception {
        Map<String, Object> samples = Map.of("HearthSourceRef", "ID:abc#0", "HearthInt", 3, "HearthLong", 4L,
                "HearthDouble", 0.5d, "HearthFloat", 0.25f, "HearthShort", (short) 2, "HearthByte", (byte) 1,
                "HearthBool", true, "HearthBigDecimal", new BigDecimal("1.5"), "HearthAtomic", new AtomicLong(1));
        ActiveMQTextMessage message = new ActiveMQTextMessage(
                new ClientMessageImpl(ActiveMQTextMessage.TYPE, true, 0, 0, (byte) 4, 1024), null);
        message.clearProperties(); // a message built from a ClientMessage starts read-only, like a received one
        samples.forEach((name, value) -> {
            if (JmsMessages.isPortable(name, value)) {
                assertThatCode(() -> message.setObjectProperty(name, value)).as(name).doesNotThrowAnyException();
            } else {
                assertThatThrownBy(() -> message.setObjectProperty(name, value)).as(name)
                        .isInstanceOf(jakarta.jms.MessageFormatException.class);
            }
        });
    }
}
