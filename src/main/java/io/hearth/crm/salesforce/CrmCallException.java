package io.hearth.crm.salesforce;

/** A CRM API call that failed as a whole (no per-record results), sorted by what the writer should do about it. */
public class CrmCallException extends Exception {

    public enum Kind {
        /** 403 REQUEST_LIMIT_EXCEEDED: the org's API budget is spent; pause until it returns. */
        REQUEST_LIMIT,
        /**
         * The org refuses the hub itself, not a record: login answered 400 with an OAuth error ({@code invalid_grant},
         * {@code invalid_client}: a revoked connected app, a rotated secret, a locked user) or a call answered 403 other
         * than the limit (permissions, API disabled). Pause until it accepts the hub again; nothing is dead-lettered.
         */
        ACCESS,
        /** 5xx, timeouts, connection failures, a login that fails for the same reasons: back off and retry. */
        UNAVAILABLE,
        /** Any other 4xx: the request itself was refused; its records fail with this code. */
        REJECTED
    }

    private final Kind kind;
    private final int status;
    private final String errorCode;

    public CrmCallException(Kind kind, int status, String errorCode, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.errorCode = errorCode;
    }

    public Kind kind() {
        return kind;
    }

    public int status() {
        return status;
    }

    public String errorCode() {
        return errorCode;
    }
}
