package io.hearth.sandbox;

import java.util.List;

/** One Salesforce error: {@code errorCode} (single-record APIs) or {@code statusCode} (collections), message, fields. */
record SfError(String code, String message, List<String> fields) {

    static SfError of(String code, String message, String... fields) {
        return new SfError(code, message, List.of(fields));
    }
}
