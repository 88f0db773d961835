package io.hearth.rules.triggers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class WebhookSignatureTest {

    static final byte[] SECRET = "whsec-test".getBytes(StandardCharsets.UTF_8);
    static final String BODY = "{\"id\":\"monthly-goodie:003:2026-12\"}";

    @Test
    void signsTimestampDotBodyWithHmacSha256() {
        // python3: hmac.new(b'whsec-test', b'1764979200.' + body, hashlib.sha256).hexdigest()
        assertThat(WebhookSignature.sign(SECRET, 1764979200L, BODY))
                .isEqualTo("sha256=1a75d068e0c35ca9b802daf075a1b632a34064d0311a8d83f231ea0f99971f3c");
    }

    @Test
    void aReceiverVerifiesAndRefusesChangedBodiesTimestampsAndSecrets() {
        String header = WebhookSignature.sign(SECRET, 1764979200L, BODY);
        assertThat(WebhookSignature.verify(SECRET, 1764979200L, BODY, header)).isTrue();
        assertThat(WebhookSignature.verify(SECRET, 1764979200L, BODY.replace("12", "11"), header)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, 1764979201L, BODY, header)).isFalse();
        assertThat(WebhookSignature.verify("other".getBytes(StandardCharsets.UTF_8), 1764979200L, BODY, header)).isFalse();
        assertThat(WebhookSignature.verify(SECRET, 1764979200L, BODY, null)).isFalse();
    }

    @Test
    void noSecretNoSignature() {
        assertThatThrownBy(() -> WebhookSignature.sign(new byte[0], 1L, BODY))
                .hasMessageContaining("hearth.rewards.webhook.secret");
    }
}
