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
        BatchTransaction tx = exchange.getProperty(BatchTransaction.PROPERTY, BatchTransaction.class);
        if (tx != null && tx.ownedByCurrentThread()) {
            tx.send(queueName, JmsMessages.toJms(tx.session(), exchange.getMessage()));
        } else {
            ((StageQueueEndpoint) getEndpoint()).getComponent().standaloneSender()
                    .send(queueName, List.of(exchange.getMessage()));
        }
    }
}
