package io.hearth.rules.triggers;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The webhook's signature (docs/rules.md "Reward triggers"): {@code X-Hearth-Signature: sha256=<hex>}, the HMAC-SHA256
 * with the shared secret over {@code <timestamp>.<body>} ({@code X-Hearth-Timestamp}, seconds since the epoch), so a
 * receiver can refuse old replays as well as changed bodies. The same scheme as Stripe's and Slack's signed requests.
 */
public final class WebhookSignature {

    public static final String SIGNATURE = "X-Hearth-Signature";
    public static final String TIMESTAMP = "X-Hearth-Timestamp";
    public static final String EVENT_ID = "X-Hearth-Event-Id";
    public static final String PREFIX = "sha256=";

    private WebhookSignature() {
    }

    /** {@code sha256=<lower-case hex>} of HMAC-SHA256(secret, timestamp + "." + body). */
    public static String sign(byte[] secret, long timestamp, String body) {
        if (secret == null || secret.length == 0) {
            throw new IllegalStateException("no webhook secret configured (hearth.rewards.webhook.secret)");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return PREFIX + HexFormat.of().formatHex(mac.doFinal(body.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a receiver does: recompute and compare in constant time. */
    public static boolean verify(byte[] secret, long timestamp, String body, String header) {
        if (header == null) {
            return false;
        }
        return MessageDigest.isEqual(sign(secret, timestamp, body).getBytes(StandardCharsets.UTF_8),
                header.getBytes(StandardCharsets.UTF_8));
    }
}
