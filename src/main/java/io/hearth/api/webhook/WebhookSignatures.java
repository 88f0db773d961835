package io.hearth.api.webhook;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The HMAC-SHA256 signatures of the webhook senders, computed over the raw bytes as received:
 * Meta's {@code X-Hub-Signature-256: sha256=<hex>} and X's {@code x-twitter-webhooks-signature:
 * sha256=<base64>} plus its CRC {@code response_token}. Checks compare in constant time.
 */
public final class WebhookSignatures {

    static final String PREFIX = "sha256=";

    private WebhookSignatures() {
    }

    public static byte[] hmacSha256(String secret, byte[] message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(message);
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HmacSHA256 is not available", e);
        }
    }

    /** Meta: {@code sha256=} + lower-case hex of HMAC-SHA256(app secret, raw body). */
    public static String metaSignature(String appSecret, byte[] body) {
        return PREFIX + HexFormat.of().formatHex(hmacSha256(appSecret, body));
    }

    /** X: {@code sha256=} + base64 of HMAC-SHA256(consumer secret, raw body or crc_token). */
    public static String xSignature(String consumerSecret, byte[] message) {
        return PREFIX + Base64.getEncoder().encodeToString(hmacSha256(consumerSecret, message));
    }

    /** The X CRC answer's {@code response_token} for a {@code crc_token}. */
    public static String xCrcResponseToken(String consumerSecret, String crcToken) {
        return xSignature(consumerSecret, crcToken.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code header} ({@code sha256=<hex>}, hex in either case) signs {@code body}. Null or malformed: false. */
    public static boolean verifyMeta(String appSecret, byte[] body, String header) {
        byte[] given = digestOf(header, true);
        return given != null && MessageDigest.isEqual(hmacSha256(appSecret, body), given);
    }

    /** Whether {@code header} ({@code sha256=<base64>}) signs {@code body}. Null or malformed: false. */
    public static boolean verifyX(String consumerSecret, byte[] body, String header) {
        byte[] given = digestOf(header, false);
        return given != null && MessageDigest.isEqual(hmacSha256(consumerSecret, body), given);
    }

    private static byte[] digestOf(String header, boolean hex) {
        if (header == null) {
            return null;
        }
        String value = header.strip();
        if (value.length() <= PREFIX.length() || !value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return null;
        }
        String digest = value.substring(PREFIX.length());
        try {
            return hex ? HexFormat.of().parseHex(digest) : Base64.getDecoder().decode(digest);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
