package io.hearth.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

import io.hearth.support.Fixtures;
import org.junit.jupiter.api.Test;

/** The published vectors of reference-payloads/meta/SIGNATURES_AND_CRC.txt. */
class WebhookSignaturesTest {

    static final String META_FIXTURE_SIGNATURE =
            "sha256=68e9becd3e48591c81a558b8916edab5b2a90aea28f7b9e8232c8c37973a1174";
    static final String X_SECRET = "z3ZX4v7mAAUGykl3EcmkqbartmuW8VFOOzCloLx9Q45P0hLrFu";
    static final String X_CRC_TOKEN = "9b4507b3-9040-4669-9ca3-6b94edb50553";
    static final String X_CRC_RESPONSE = "sha256=Cytd4Sq+NvEcV3MMrXxWJGJx5A+y/lXzzU2Maartkx8=";

    @Test
    void hmacSha256OfThePublishedVector() {
        assertThat(HexFormat.of().formatHex(WebhookSignatures.hmacSha256("secret", "test".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo("0329a06b62cd16b33eb6792be8c60b158d89a2ee3a876fce9a881ebb488c0914");
    }

    @Test
    void metaSignatureOfTheRawFixtureBytes() {
        byte[] body = Fixtures.bytes("meta/page_feed_comment_add.json");
        assertThat(body).hasSize(634);

        assertThat(WebhookSignatures.metaSignature("secret", body)).isEqualTo(META_FIXTURE_SIGNATURE);
        assertThat(WebhookSignatures.verifyMeta("secret", body, META_FIXTURE_SIGNATURE)).isTrue();
        assertThat(WebhookSignatures.verifyMeta("secret", body, META_FIXTURE_SIGNATURE.toUpperCase().replace("SHA256=", "sha256=")))
                .as("hex digits in upper case").isTrue();
    }

    @Test
    void metaRefusesTamperedBodiesWrongSecretsAndMalformedHeaders() {
        byte[] body = Fixtures.bytes("meta/page_feed_comment_add.json");
        byte[] tampered = Arrays.copyOf(body, body.length);
        tampered[tampered.length - 10] ^= 1;
        byte[] reformatted = new String(body, StandardCharsets.UTF_8).replace("\n", "").replace("  ", "")
                .getBytes(StandardCharsets.UTF_8);

        assertThat(WebhookSignatures.verifyMeta("secret", tampered, META_FIXTURE_SIGNATURE)).isFalse();
        assertThat(WebhookSignatures.verifyMeta("secret", reformatted, META_FIXTURE_SIGNATURE))
                .as("same JSON, other bytes").isFalse();
        assertThat(WebhookSignatures.verifyMeta("other", body, META_FIXTURE_SIGNATURE)).isFalse();
        assertThat(WebhookSignatures.verifyMeta("secret", body, null)).isFalse();
        assertThat(WebhookSignatures.verifyMeta("secret", body, "")).isFalse();
        assertThat(WebhookSignatures.verifyMeta("secret", body, "sha256=")).isFalse();
        assertThat(WebhookSignatures.verifyMeta("secret", body, "sha256=zz")).isFalse();
        assertThat(WebhookSignatures.verifyMeta("secret", body, META_FIXTURE_SIGNATURE.substring(7))).as("no prefix").isFalse();
        assertThat(WebhookSignatures.verifyMeta("secret", body, "sha1=" + META_FIXTURE_SIGNATURE.substring(7))).isFalse();
        assertThat(WebhookSignatures.verifyMeta("secret", body, META_FIXTURE_SIGNATURE.substring(0, 40))).as("truncated").isFalse();
    }

    @Test
    void xCrcResponseTokenOfThePublishedVector() {
        assertThat(WebhookSignatures.xCrcResponseToken(X_SECRET, X_CRC_TOKEN)).isEqualTo(X_CRC_RESPONSE);
    }

    @Test
    void xSignatureIsBase64OverTheRawBody() {
        byte[] body = Fixtures.bytes("x-activity/tweet_create_events.json");
        String signature = WebhookSignatures.xSignature(X_SECRET, body);
        byte[] tampered = Arrays.copyOf(body, body.length);
        tampered[20] ^= 1;

        assertThat(signature).startsWith("sha256=").doesNotContain(" ");
        assertThat(WebhookSignatures.verifyX(X_SECRET, body, signature)).isTrue();
        assertThat(WebhookSignatures.verifyX(X_SECRET, tampered, signature)).isFalse();
        assertThat(WebhookSignatures.verifyX("other", body, signature)).isFalse();
        assertThat(WebhookSignatures.verifyX(X_SECRET, body, null)).isFalse();
        assertThat(WebhookSignatures.verifyX(X_SECRET, body, "sha256=not base64!")).isFalse();
        assertThat(WebhookSignatures.verifyX(X_SECRET, body, WebhookSignatures.metaSignature(X_SECRET, body)))
                .as("hex where base64 is expected").isFalse();
    }
}
