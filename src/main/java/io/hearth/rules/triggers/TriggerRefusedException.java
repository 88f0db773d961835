package io.hearth.rules.triggers;

/** The target refused the event for good (a 4xx other than 408/429): retrying cannot help, it goes to the DLQ. */
public class TriggerRefusedException extends RuntimeException {
    public TriggerRefusedException(String message) {
        super(message);
    }
}
