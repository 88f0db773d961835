package io.hearth.deadletter;

import java.time.Instant;

/**
 * One message in a dead-letter queue as the operations show it. {@code id} is the JMS message id without its
 * {@code ID:} prefix. {@code reason} is short (exception kind and the start of its cause); {@code fullReason} and
 * {@code body} may quote personal data and are only shown for one message asked for with {@code include=body}.
 *
 * @param movedByBroker the broker moved it after {@code max-delivery-attempts} rolled-back deliveries (no Hearth failure
 *                      headers; the reason says so)
 * @param attempts      failed deliveries counted by the hub over all its trips to a DLQ (null when the broker moved it)
 * @param replays       how often it was replayed before
 */
public record DeadLetter(String id, String queue, String stage, String failedRoute, String reason, String exception,
                         Instant firstFailedAt, Instant lastFailedAt, Integer attempts, int replays, String mentionId,
                         String channel, boolean movedByBroker, String fullReason, String body) {

    public DeadLetter withoutPersonalData() {
        return new DeadLetter(id, queue, stage, failedRoute, reason, exception, firstFailedAt, lastFailedAt, attempts,
                replays, mentionId, channel, movedByBroker, null, null);
    }
}
