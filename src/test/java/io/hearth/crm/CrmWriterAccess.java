package io.hearth.crm;

/** Test access to the writer's package-private decisions. */
public final class CrmWriterAccess {

    private CrmWriterAccess() {
    }

    public static boolean retryable(CrmCommand.Op op, String errorCode) {
        return CrmWriter.retryable(op, errorCode);
    }
}
