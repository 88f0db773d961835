package io.hearth.sandbox;

/** One record cannot be written: the error goes into that record's result. */
class RecordException extends RuntimeException {

    final SfError error;

    RecordException(SfError error) {
        super(error.code() + ": " + error.message(), null, false, false);
        this.error = error;
    }

    static RecordException of(String code, String message, String... fields) {
        return new RecordException(SfError.of(code, message, fields));
    }
}
