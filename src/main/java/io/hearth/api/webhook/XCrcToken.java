package io.hearth.api.webhook;

import java.util.regex.Pattern;

/**
 * The shape a {@code crc_token} from X has, and nothing else: 1 to {@value #MAX_LENGTH} characters of letters, digits
 * and {@code - _ + / = .} (X's tokens are UUIDs or base64 strings). The CRC answer is the HMAC of the token with the
 * consumer secret, the very signature X puts on event POSTs; signing any string asked for would let anyone obtain a valid
 * signature for a forged event body. Event bodies are JSON objects: they start with {@code {} and contain quotes,
 * colons and usually blanks, none of which this alphabet allows, so no accepted token can be an event body
 * (docs/webhooks.md).
 */
public final class XCrcToken {

    static final int MAX_LENGTH = 256;
    private static final Pattern SHAPE = Pattern.compile("[A-Za-z0-9_+/=.-]{1," + MAX_LENGTH + "}");

    private XCrcToken() {
    }

    /** Why this token is refused (for the log and the 400 answer, never quoting it), or null when it is X-shaped. */
    public static String problem(String token) {
        if (token == null || token.isEmpty()) {
            return "missing crc_token";
        }
        if (token.length() > MAX_LENGTH) {
            return "crc_token is longer than " + MAX_LENGTH + " characters";
        }
        if (!SHAPE.matcher(token).matches()) {
            return "crc_token has characters X's tokens do not have (allowed: letters, digits, - _ + / = .)";
        }
        return null;
    }
}
