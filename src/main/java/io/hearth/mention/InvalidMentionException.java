package io.hearth.mention;

/** A payload or mention that cannot enter the pipeline; the message says what is wrong and where. */
public class InvalidMentionException extends RuntimeException {

    public InvalidMentionException(String message) {
        super(message);
    }

    public InvalidMentionException(String message, Throwable cause) {
        super(message, cause);
    }
}
