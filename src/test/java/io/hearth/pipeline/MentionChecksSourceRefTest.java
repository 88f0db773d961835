package io.hearth.pipeline;

import java.util.Arrays;
import java.util.List;

import io.hearth.queue.DeadLetterPublisher;
import io.hearth.state.JdbcMentionIdempotentRepository;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link MentionChecks#sourceRef} gives what it gave before its look-ups were reordered (issue 14 item 2). */
class MentionChecksSourceRefTest {

    /** The method as it was: every header and the split size looked up for every mention. */
    static String before(Exchange exchange) {
        org.apache.camel.Message message = exchange.getMessage();
        String carried = message.getHeader(JdbcMentionIdempotentRepository.SOURCE_REF_HEADER, String.class);
        Integer size = exchange.getProperty(Exchange.SPLIT_SIZE, Integer.class);
        String original = message.getHeader(DeadLetterPublisher.ORIGINAL_MESSAGE_HEADER, String.class);
        if (carried != null && original != null && size != null && size == 1) {
            return carried;
        }
        Object base = original != null ? original : message.getHeader("JMSMessageID");
        return base + "#" + exchange.getProperty(Exchange.SPLIT_INDEX);
    }

    @Test
    void everyCombinationOfCarriedOriginalAndSplitGivesTheSameReference() {
        DefaultCamelContext camel = new DefaultCamelContext();
        List<Object> carried = Arrays.asList(null, "ID:first#3");
        List<Object> original = Arrays.asList(null, "ID:failed", 42);
        List<Object> jmsId = Arrays.asList(null, "ID:inbound-7");
        List<Object> size = Arrays.asList(null, 1, 2, "1");
        List<Object> index = Arrays.asList(null, 0, 5);
        int cases = 0;
        for (Object c : carried) {
            for (Object o : original) {
                for (Object j : jmsId) {
                    for (Object s : size) {
                        for (Object i : index) {
                            Exchange exchange = new DefaultExchange(camel);
                            exchange.getMessage().setHeader(JdbcMentionIdempotentRepository.SOURCE_REF_HEADER, c);
                            exchange.getMessage().setHeader(DeadLetterPublisher.ORIGINAL_MESSAGE_HEADER, o);
                            exchange.getMessage().setHeader("JMSMessageID", j);
                            exchange.setProperty(Exchange.SPLIT_SIZE, s);
                            exchange.setProperty(Exchange.SPLIT_INDEX, i);
                            assertThat(MentionChecks.sourceRef(exchange)).as("carried %s, original %s, JMS id %s, size %s, index %s",
                                    c, o, j, s, i).isEqualTo(before(exchange));
                            cases++;
                        }
                    }
                }
            }
        }
        assertThat(cases).isEqualTo(144);
    }
}
