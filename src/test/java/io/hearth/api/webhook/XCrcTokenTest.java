package io.hearth.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import io.hearth.support.Fixtures;
import org.junit.jupiter.api.Test;

class XCrcTokenTest {

    @Test
    void xShapedTokensPass() {
        assertThat(XCrcToken.problem(WebhookSignaturesTest.X_CRC_TOKEN)).as("the published vector").isNull();
        assertThat(XCrcToken.problem("MjAyNi0xMi0wNFQyMzowMDowMFo+Zm9vL2Jhcg==")).as("base64").isNull();
        assertThat(XCrcToken.problem("abc_DEF-123.x")).isNull();
        assertThat(XCrcToken.problem("a".repeat(256))).isNull();
    }

    @Test
    void anythingElseIsRefused() {
        String event = new String(Fixtures.bytes("x-activity/tweet_create_events.json"), StandardCharsets.UTF_8);
        assertThat(XCrcToken.problem(event)).as("an event body").isNotNull();
        assertThat(XCrcToken.problem("{\"tweet_create_events\":[]}")).as("compact JSON without blanks").isNotNull();
        assertThat(XCrcToken.problem("[]")).isNotNull();
        assertThat(XCrcToken.problem("\"x\"")).isNotNull();
        assertThat(XCrcToken.problem("a b")).isNotNull();
        assertThat(XCrcToken.problem("a".repeat(257))).contains("longer than 256");
        assertThat(XCrcToken.problem("")).isEqualTo("missing crc_token");
        assertThat(XCrcToken.problem(null)).isEqualTo("missing crc_token");
        assertThat(XCrcToken.problem("tök")).isNotNull();
        assertThat(XCrcToken.problem("ok\n")).isNotNull();
    }

    @Test
    void theRefusalNeverQuotesTheToken() {
        assertThat(XCrcToken.problem("{\"secret-looking\":1}")).doesNotContain("secret-looking");
    }
}
