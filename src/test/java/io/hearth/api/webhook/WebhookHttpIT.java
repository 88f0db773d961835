package io.hearth.api.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.queue.BrokerConfiguration;
import io.hearth.support.Fixtures;
import io.hearth.support.QueueProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.jms.Message;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 4 acceptance 4 over HTTP against the real hub (routes/, embedded Artemis, H2): signed
 * webhook bodies reach the end of the pipeline (the enrich stage's mention log); tampered or unsigned ones get 401 and nothing is queued;
 * the Meta handshake and the X CRC answer match the published vectors. No API key is sent.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Its hub lives in a data directory of this class only: closed with the class, before that directory is deleted
// (TestLayersTest)
@org.springframework.test.annotation.DirtiesContext
class WebhookHttpIT {

    static final String META_SECRET = "secret";
    static final String VERIFY_TOKEN = "meatyhamhock";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("hearth.data-dir", () -> dataDir.toString());
        registry.add("hearth.api-key", () -> "webhook-test-key");
        registry.add("hearth.sources.inbox.enabled", () -> "false");
        registry.add("hearth.sources.meta.enabled", () -> "true");
        registry.add("hearth.sources.meta.app-secret", () -> META_SECRET);
        registry.add("hearth.sources.meta.verify-token", () -> VERIFY_TOKEN);
        registry.add("hearth.sources.x-webhook.enabled", () -> "true");
        registry.add("hearth.sources.x-webhook.consumer-secret", () -> WebhookSignaturesTest.X_SECRET);
    }

    @LocalServerPort
    int port;
    @Autowired
    org.springframework.context.ApplicationContext context;
    @Autowired
    BrokerConfiguration.EmbeddedBroker broker;
    @Autowired
    MeterRegistry meters;
    @Autowired
    ObjectMapper json;

    final HttpClient http = io.hearth.support.TestHttp.client();
    QueueProbe probe;

    @BeforeEach
    void setUp() {
        probe = QueueProbe.of(broker);
    }

    // ---- Meta ----------------------------------------------------------------------------------

    @Test
    void metaHandshakeEchoesTheChallengeOnlyForTheRightToken() throws Exception {
        HttpResponse<String> ok = get("/webhooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=" + VERIFY_TOKEN);
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("1158201444");
        assertThat(ok.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));

        assertThat(get("/webhooks/meta?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=wrong").statusCode())
                .isEqualTo(403);
        assertThat(get("/webhooks/meta?hub.mode=unsubscribe&hub.challenge=1158201444&hub.verify_token=" + VERIFY_TOKEN)
                .statusCode()).isEqualTo(403);
        assertThat(get("/webhooks/meta?hub.mode=subscribe&hub.challenge=1158201444").statusCode()).isEqualTo(403);
    }

    @Test
    void aSignedMetaBodyReachesCrmOutbound() throws Exception {
        byte[] body = Fixtures.bytes("meta/page_feed_comment_add.json");

        HttpResponse<String> response = post("/webhooks/meta", body, "X-Hub-Signature-256",
                "sha256=68e9becd3e48591c81a558b8916edab5b2a90aea28f7b9e8232c8c37973a1174");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(json.readTree(response.body()).get("accepted").asInt()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).until(() -> processedIds().contains("meta:901097836652708_903438993085259"));
    }

    @Test
    void tamperedOrUnsignedMetaBodiesAre401AndNothingIsQueued() throws Exception {
        byte[] original = Fixtures.bytes("meta/page_feed_comment_add.json");
        String signature = WebhookSignatures.metaSignature(META_SECRET, original);
        byte[] tampered = new String(original, StandardCharsets.UTF_8)
                .replace("901097836652708_903438993085259", "901097836652708_999999999999999").getBytes(StandardCharsets.UTF_8);
        double ingestedBefore = ingested("meta");

        HttpResponse<String> wrong = post("/webhooks/meta", tampered, "X-Hub-Signature-256", signature);
        HttpResponse<String> missing = post("/webhooks/meta", tampered, null, null);
        HttpResponse<String> otherSecret = post("/webhooks/meta", tampered, "X-Hub-Signature-256",
                WebhookSignatures.metaSignature("not-the-secret", tampered));
        HttpResponse<String> garbage = post("/webhooks/meta", tampered, "X-Hub-Signature-256", "sha256=nothex");

        for (HttpResponse<String> r : List.of(wrong, missing, otherSecret, garbage)) {
            assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
            assertThat(json.readTree(r.body()).get("error").asText()).isEqualTo("invalid_signature");
        }
        assertThat(ingested("meta")).as("Ingest.accept was never called").isEqualTo(ingestedBefore);

        // A signed body posted afterwards goes through; once it is in crm.outbound, a queued
        // tampered body would have had its chance too: it must be nowhere.
        byte[] next = Fixtures.bytes("meta/page_feed_status_add.json");
        assertThat(post("/webhooks/meta", next, "X-Hub-Signature-256", WebhookSignatures.metaSignature(META_SECRET, next))
                .statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> processedIds().contains("meta:1234567890321_930145403745849"));
        for (String queue : List.of("social.inbound", "social.mentions", "crm.outbound", "DLQ.social.inbound")) {
            assertThat(probe.bodies(queue)).as(queue).noneMatch(b -> b.contains("999999999999999"));
        }
    }

    @Test
    void aSignedButUnreadableMetaBodyIs400() throws Exception {
        byte[] truncated = "{\"object\":\"page\",\"entry\":[".getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = post("/webhooks/meta", truncated, "X-Hub-Signature-256",
                WebhookSignatures.metaSignature(META_SECRET, truncated));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
        assertThat(json.readTree(response.body()).get("error").asText()).isEqualTo("invalid_payload");
    }

    // ---- X ---------------------------------------------------------------------------------------

    @Test
    void xCrcAnswerMatchesTheVector() throws Exception {
        HttpResponse<String> response = get("/webhooks/x?crc_token=" + WebhookSignaturesTest.X_CRC_TOKEN);

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(json.readTree(response.body())).isEqualTo(json.readTree(
                "{\"response_token\": \"sha256=Cytd4Sq+NvEcV3MMrXxWJGJx5A+y/lXzzU2Maartkx8=\"}"));
        assertThat(get("/webhooks/x").statusCode()).as("no crc_token").isEqualTo(400);
    }

    /**
     * Issue 10, part 2: the CRC answer is the signature X puts on event POSTs, so a CRC that signs any string signs a
     * forged event. Done as an attacker would: ask the CRC to sign an event body, post the body with that answer.
     */
    @Test
    void theCrcDoesNotSignAForgedEvent() throws Exception {
        String forged = new String(Fixtures.bytes("x-activity/tweet_create_events.json"), StandardCharsets.UTF_8)
                .replace("19910000000000000", "19910000000000900");
        double before = ingested("x-activity");

        HttpResponse<String> crc = get("/webhooks/x?crc_token=" + java.net.URLEncoder.encode(forged, StandardCharsets.UTF_8));
        String signature = crc.statusCode() == 200 ? json.readTree(crc.body()).get("response_token").asText() : "sha256=none";
        HttpResponse<String> event = post("/webhooks/x", forged.getBytes(StandardCharsets.UTF_8),
                "x-twitter-webhooks-signature", signature);

        assertThat(crc.statusCode()).as(crc.body()).isEqualTo(400);
        assertThat(json.readTree(crc.body()).get("error").asText()).isEqualTo("bad_request");
        assertThat(crc.body()).doesNotContain("response_token");
        assertThat(event.statusCode()).as(event.body()).isEqualTo(401);
        assertThat(ingested("x-activity")).as("nothing of the forged event queued").isEqualTo(before);
        assertThat(get("/webhooks/x?crc_token=" + "a".repeat(257)).statusCode()).as("too long").isEqualTo(400);
        assertThat(get("/webhooks/x?crc_token=" + WebhookSignaturesTest.X_CRC_TOKEN).statusCode()).as("X's vector")
                .isEqualTo(200);
    }

    @Test
    void aSignedXBodyIsAcceptedAndItsBadItemsGoToTheDlq() throws Exception {
        byte[] body = Fixtures.bytes("x-activity/tweet_create_events.json");

        HttpResponse<String> response = post("/webhooks/x", body, "x-twitter-webhooks-signature",
                WebhookSignatures.xSignature(WebhookSignaturesTest.X_SECRET, body));

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = json.readTree(response.body());
        assertThat(answer.get("accepted").asInt()).isEqualTo(4);
        assertThat(answer.get("rejected").asInt()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(30)).until(() -> processedIds().containsAll(List.of(
                "x:1991000000000000001", "x:1991000000000000002", "x:1991000000000000003", "x:1991000000000000004")));
        await().atMost(Duration.ofSeconds(30)).until(() -> reasonsIn("DLQ.social.inbound").containsAll(List.of(
                "tweet_create_events[4]: missing field 'created_at'", "tweet_create_events[5]: missing object 'user'")));
    }

    @Test
    void unsignedOrWronglySignedXBodiesAre401() throws Exception {
        byte[] body = Fixtures.bytes("x-activity/tweet_create_events.json");
        double before = ingested("x-activity");

        assertThat(post("/webhooks/x", body, null, null).statusCode()).isEqualTo(401);
        assertThat(post("/webhooks/x", body, "x-twitter-webhooks-signature",
                WebhookSignatures.xSignature("wrong", body)).statusCode()).isEqualTo(401);
        assertThat(post("/webhooks/x", body, "x-twitter-webhooks-signature",
                WebhookSignatures.metaSignature(WebhookSignaturesTest.X_SECRET, body)).statusCode()).as("hex, not base64").isEqualTo(401);
        assertThat(ingested("x-activity")).isEqualTo(before);
    }

    // ---- both ------------------------------------------------------------------------------------

    @Test
    void enabledWebhookSourcesShowAsRunningInHealth() throws Exception {
        JsonNode health = json.readTree(get("/actuator/health").body());
        JsonNode sources = health.at("/components/sources/details/sources");

        assertThat(sources.at("/meta/route").asText()).isEqualTo("Started");
        assertThat(sources.at("/meta/status").asText()).isEqualTo("UP");
        assertThat(sources.at("/x-webhook/route").asText()).isEqualTo("Started");
    }

    @Test
    void forumFeedsReplayThroughTheIngestApiWhichStillNeedsItsKey() throws Exception {
        byte[] feed = Fixtures.bytes("forum/rss_missing_dates.xml");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/ingest/forum"))
                .header("Content-Type", "application/rss+xml").POST(HttpRequest.BodyPublishers.ofByteArray(feed));

        assertThat(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode()).as("no key").isEqualTo(401);
        HttpResponse<String> accepted = http.send(request.header("Authorization", "Bearer webhook-test-key").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
        assertThat(json.readTree(accepted.body())).isEqualTo(json.readTree(
                "{\"accepted\":1,\"rejected\":3,\"channel\":\"forum\"}"));
        await().atMost(Duration.ofSeconds(30)).until(() -> processedIds().contains("forum:forum-example-1"));
        await().atMost(Duration.ofSeconds(30)).until(() -> reasonsIn("DLQ.social.inbound").contains("item[1]: missing <pubDate>"));
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private double ingested(String channel) {
        Counter counter = meters.find("hearth.ingest.mentions").tags("channel", channel, "via", "webhook").counter();
        return counter == null ? 0 : counter.count();
    }

    /** Mentions the enrich stage has processed (the end of the pipeline for any author). */
    private List<String> processedIds() {
        return QueueProbe.processedMentionIds(context);
    }

    private List<String> reasonsIn(String queue) throws Exception {
        List<String> reasons = new ArrayList<>();
        for (Message m : probe.browse(queue)) {
            reasons.add(m.getStringProperty("HearthFailureReason"));
        }
        return reasons;
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (path.startsWith("/actuator")) {
            request.header("Authorization", "Bearer webhook-test-key");   // health details need the key
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path, byte[] body, String header, String value) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (header != null) {
            request.header(header, value);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
