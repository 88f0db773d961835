package io.hearth.queue;

/**
 * Decides where a stage consumer's batch (one JMS transaction) ends, for a consumer whose batches should adapt to what
 * is arriving ({@code queue:name?batchPolicy=#bean}); without one a batch is what is queued plus {@code batchWindow}.
 * The hard bound {@code batchSize} (messages per transaction) applies either way. Called on the consumer's thread.
 */
public interface BatchPolicy {

    /** A batch begins (its first message was received); a policy may keep state per batch (one consumer at a time). */
    default void batchStarted() {
    }

    /**
     * After each routed message, while more may be taken: true ends the batch now even if messages are waiting
     * (e.g. its oldest message has waited the latency bound).
     *
     * @param messages messages in the batch so far
     * @param ageMillis ms since the batch's first message was received
     */
    boolean endNow(int messages, long ageMillis);

    /**
     * No message is waiting: how long to wait for the next one. The consumer waits at most that long and asks again
     * if none came, so an answer may be a short slice of a longer wait.
     *
     * @param messages messages in the batch so far
     * @param ageMillis ms since the batch's first message was received
     * @param idleMillis ms since its last message was received
     * @return ms to wait; 0 or less ends the batch
     */
    long waitForNext(int messages, long ageMillis, long idleMillis);
}
