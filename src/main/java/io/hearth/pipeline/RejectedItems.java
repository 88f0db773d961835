package io.hearth.pipeline;

import java.util.List;

import io.hearth.channel.MappedPayload;
import io.hearth.mention.Mention;
import io.hearth.queue.DeadLetterPublisher;
import io.hearth.queue.StageQueueConsumer;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/**
 * Route step after a mapper: every item the mapper rejected goes, as the channel sent it, to
 * {@code DLQ.<stage>} with its reason (inside the stage's transaction); the mentions go on.
 */
@Component("rejectedItems")
public class RejectedItems {

    public static final String REJECTED_ITEM = "RejectedItem";

    private final DeadLetterPublisher deadLetters;

    public RejectedItems(DeadLetterPublisher deadLetters) {
        this.deadLetters = deadLetters;
    }

    public List<Mention> deadLetter(Exchange exchange, @Body MappedPayload mapped) throws Exception {
        String stage = exchange.getProperty(StageQueueConsumer.STAGE_PROPERTY, String.class);
        if (stage == null) {
            throw new IllegalStateException("rejected items can only be dead-lettered from a stage queue route");
        }
        for (MappedPayload.Rejection rejection : mapped.rejections()) {
            Exchange item = exchange.copy();
            item.getMessage().setBody(rejection.item());
            deadLetters.send(item, stage, exchange.getFromRouteId(), rejection.reason(), REJECTED_ITEM);
        }
        return mapped.mentions();
    }
}
