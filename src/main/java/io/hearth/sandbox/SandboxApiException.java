package io.hearth.sandbox;

import java.util.List;

/** A whole request fails: the HTTP status and Salesforce's error array. */
class SandboxApiException extends RuntimeException {

    final int status;
    final List<SfError> errors;

    SandboxApiException(int status, SfError error) {
        super(error.code() + ": " + error.message(), null, false, false);
        this.status = status;
        this.errors = List.of(error);
    }

    static SandboxApiException notFound() {
        return new SandboxApiException(404, SfError.of("NOT_FOUND", "The requested resource does not exist"));
    }

    static SandboxApiException badRequest(String code, String message, String... fields) {
        return new SandboxApiException(400, SfError.of(code, message, fields));
    }
}
