package io.hearth.queue;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.support.DefaultEndpoint;

/**
 * {@code queue:<name>?batchSize=100&concurrentConsumers=2&receiveTimeout=1000&batchWindow=0&startWhen=#bean&batchPolicy=#bean}.
 * {@code startWhen}: a {@link java.util.function.BooleanSupplier} bean; the consumers take nothing from the queue until
 * it answers true (the queue holds the messages meanwhile), e.g. the enrich stage until the contact directory is ready.
 */
@UriEndpoint(scheme = "queue", title = "Hearth stage queue", syntax = "queue:name", category = Category.MESSAGING)
public class StageQueueEndpoint extends DefaultEndpoint {

    private final String queueName;
    private int batchSize;
    private int concurrentConsumers;
    private long receiveTimeout = 1000;
    private long batchWindow;
    private java.util.function.BooleanSupplier startWhen;
    private BatchPolicy batchPolicy;

    StageQueueEndpoint(String uri, StageQueueComponent component, String queueName) {
        super(uri, component);
        this.queueName = queueName;
    }

    @Override
    public StageQueueComponent getComponent() {
        return (StageQueueComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new StageQueueProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) throws Exception {
        StageQueueConsumer consumer = new StageQueueConsumer(this, processor);
        configureConsumer(consumer);
        return consumer;
    }

    public String getQueueName() {
        return queueName;
    }

    public int getBatchSize() {
        return batchSize;
    }

    public void setBatchSize(int batchSize) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
        this.batchSize = batchSize;
    }

    public int getConcurrentConsumers() {
        return concurrentConsumers;
    }

    public void setConcurrentConsumers(int concurrentConsumers) {
        if (concurrentConsumers < 1) {
            throw new IllegalArgumentException("concurrentConsumers must be at least 1, was " + concurrentConsumers);
        }
        this.concurrentConsumers = concurrentConsumers;
    }

    public long getReceiveTimeout() {
        return receiveTimeout;
    }

    public void setReceiveTimeout(long receiveTimeout) {
        this.receiveTimeout = receiveTimeout;
    }

    /**
     * Milliseconds a batch may wait, counted from its first message, for more messages to arrive
     * (messages already waiting are always taken, up to {@code batchSize}). 0 (the default): a batch
     * is what is waiting when its first message arrives.
     */
    public long getBatchWindow() {
        return batchWindow;
    }

    public void setBatchWindow(long batchWindow) {
        if (batchWindow < 0) {
            throw new IllegalArgumentException("batchWindow must not be negative, was " + batchWindow);
        }
        this.batchWindow = batchWindow;
    }

    /**
     * Null (the default): a batch is what is queued when its first message arrives, plus {@code batchWindow}. Otherwise
     * the policy decides, after each message and whenever none is waiting, whether the batch goes on (docs/crm-commands.md,
     * the CRM writer's streaming batches); {@code batchWindow} is then not used. {@code batchSize} bounds it either way.
     */
    public BatchPolicy getBatchPolicy() {
        return batchPolicy;
    }

    public void setBatchPolicy(BatchPolicy batchPolicy) {
        this.batchPolicy = batchPolicy;
    }

    /** Null: consume at once. Otherwise the consumers wait until it answers true (checked every 200 ms). */
    public java.util.function.BooleanSupplier getStartWhen() {
        return startWhen;
    }

    public void setStartWhen(java.util.function.BooleanSupplier startWhen) {
        this.startWhen = startWhen;
    }
}
