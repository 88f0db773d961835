package io.hearth.service;

import java.time.Instant;

/** Why a channel call did not post a reply. The message never carries a token or the reply's text. */
public class ReplyException extends Exception {

    public enum Kind {
        /** The API refused the reply (4xx): not retried; the reply is marked failed and dead-lettered with the reason. */
        REFUSED,
        /** 429 or a spent window: nothing was posted; retried with back-off after {@link #retryAt()}. */
        RATE_LIMITED,
        /** Nothing was posted (5xx before creating): retried. */
        NOT_POSTED,
        /** Perhaps posted (timeout, connection lost): the retry looks first (find). */
        UNCERTAIN,
        /** The channel cannot tell whether an earlier attempt posted: failed, never posted twice. */
        UNKNOWN
    }

    private final Kind kind;
    private final Instant retryAt;

    public ReplyException(Kind kind, String message) {
        this(kind, message, null, null);
    }

    public ReplyException(Kind kind, String message, Instant retryAt, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.retryAt = retryAt;
    }

    public Kind kind() {
        return kind;
    }

    public Instant retryAt() {
        return retryAt;
    }
}
