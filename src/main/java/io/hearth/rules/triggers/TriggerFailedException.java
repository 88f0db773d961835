package io.hearth.rules.triggers;

/** The target could not take the event now (5xx, 408, 429, connection failure): retried with back-off. */
public class TriggerFailedException extends RuntimeException {
    public TriggerFailedException(String message) {
        super(message);
    }
}
