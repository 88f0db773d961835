package io.hearth.queue;

import java.util.List;

import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * Sends to a stage queue: inside a stage batch through the batch's own transaction, otherwise as
 * a committed transaction of its own (durable when this returns).
 */
class StageQueueProducer extends DefaultProducer {

    private final String queueName;

    StageQueueProducer(StageQueueEndpoint endpoint) {
        super(endpoint);
        this.queueName = endpoint.getQueueName();
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        org.apache.camel.Message message = forward(exchange.getMessage());
        BatchTransaction tx = exchange.getProperty(BatchTransaction.PROPERTY, BatchTransaction.class);
        if (tx != null && tx.ownedByCurrentThread()) {
            tx.send(queueName, JmsMessages.toJms(tx.session(), message));
        } else {
            ((StageQueueEndpoint) getEndpoint()).getComponent().standaloneSender()
                    .send(queueName, List.of(message));
        }
    }

    /**
     * What a stage passes on to the next stage starts without the failure history of the message it came from (a
     * replayed payload's first failure time, attempts, replays, original id): that history belongs to the replayed
     * message, and a later failure of one of its mentions is that mention's own. A send to a DLQ keeps it.
     */
    private org.apache.camel.Message forward(org.apache.camel.Message message) {
        if (queueName.startsWith(StageQueues.DLQ_PREFIX)
                || DeadLetterPublisher.HISTORY_HEADERS.stream().noneMatch(h -> message.getHeader(h) != null)) {
            return message;
        }
        org.apache.camel.Message copy = message.copy();
        DeadLetterPublisher.HISTORY_HEADERS.forEach(copy::removeHeader);
        return copy;
    }
}
