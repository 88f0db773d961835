package io.hearth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.channel.ChannelMapper;
import io.hearth.channel.MappedPayload;
import io.hearth.mention.MentionValidator;
import io.hearth.mention.Mention;
import io.hearth.queue.QueueDepths;
import io.hearth.support.HubHttp;
import io.hearth.support.Mentions;
import io.hearth.support.QueueProbe;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 2 acceptance 1, 2 and 5 against the real hub: HTTP ingest, embedded persistent Artemis,
 * the YAML routes in routes/, the H2 state database.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
// Its hub lives in a data directory of this class only: closed with the class, before that directory is deleted
// (TestLayersTest)
@org.springframework.test.annotation.DirtiesContext
class PipelineAcceptanceIT {

    static final String KEY = "acceptance-key";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("hearth.data-dir", () -> dataDir.toString());
        // H2 in the data directory, or PostgreSQL with -Dhearth.test.state-db=postgresql (profile postgres-state)
        io.hearth.support.StateDb.properties("pipeline").forEach((k, v) -> registry.add(k, () -> v));
        registry.add("hearth.api-key", () -> KEY);
        registry.add("hearth.sources.inbox.enabled", () -> "false");
        registry.add("hearth.queues.redelivery.max-redeliveries", () -> "2");
        registry.add("hearth.queues.redelivery.initial-delay", () -> "10");
    }

    /** A channel whose mapper always fails, to make poison messages. Counts its calls. */
    @TestConfiguration
    static class PoisonChannel {
        static final AtomicInteger CALLS = new AtomicInteger();

        @Bean
        ChannelMapper poisonMapper() {
            return new ChannelMapper() {
                @Override
                public String channel() {
                    return "poison";
                }

                @Override
                public MappedPayload mapPayload(String payload) {
                    CALLS.incrementAndGet();
                    throw new IllegalStateException("poison payload cannot be mapped");
                }
            };
        }
    }

    /** A channel whose payloads are JSON arrays of ids; an id "bad" is an item the mapper rejects. */
    @TestConfiguration
    static class PartlyBadChannel {
        @Bean
        ChannelMapper partlyBadMapper(ObjectMapper json) {
            return new ChannelMapper() {
                @Override
                public String channel() {
                    return "partly";
                }

                @Override
                public MappedPayload mapPayload(String payload) {
                    List<Mention> mentions = new java.util.ArrayList<>();
                    List<MappedPayload.Rejection> rejections = new java.util.ArrayList<>();
                    try {
                        JsonNode ids = json.readTree(payload);
                        for (int i = 0; i < ids.size(); i++) {
                            String id = ids.get(i).asText();
                            if (id.equals("bad")) {
                                rejections.add(new MappedPayload.Rejection("\"bad\"", "[" + i + "]: not a post"));
                            } else {
                                mentions.add(MentionValidator.validate(Mention.builder().channel("partly")
                                        .nativeId(id).text("text")
                                        .createdAt(java.time.Instant.parse("2026-11-20T10:00:00Z")).build()));
                            }
                        }
                    } catch (Exception e) {
                        throw new io.hearth.mention.InvalidMentionException("not a JSON array", e);
                    }
                    return new MappedPayload(mentions, rejections);
                }
            };
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    io.hearth.queue.BrokerConfiguration.EmbeddedBroker broker;
    @Autowired
    QueueDepths queueDepths;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    ObjectMapper objectMapper;
    @Autowired
    javax.sql.DataSource dataSource;
    @Autowired
    org.springframework.context.ApplicationContext context;
    @Autowired
    io.micrometer.core.instrument.MeterRegistry meters;


    final HttpClient http = io.hearth.support.TestHttp.client();
    QueueProbe probe;

    @BeforeEach
    void setUp() {
        probe = QueueProbe.of(broker);
    }

    @Test
    void thousandMentionsReachCrmOutboundExactlyOnceAndAReplayAddsNone() throws Exception {
        // Their authors are consenting contacts: each mention becomes its Social_Mention__c upsert and its contact's
        // aggregates update on crm.outbound (the writer is off here, so they stay to be counted).
        io.hearth.support.StateSeed.consentingContacts(dataSource, "x",
                java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "fan_t" + i).toList(), 0);
        long before = queueDepths.depth("crm.outbound");
        int mentionsBefore = mentionIdsOnOutbound().size();
        double mentionsConsumedBefore = consumed("social.mentions");
        for (int page = 0; page < 10; page++) {
            HttpResponse<String> response = post("mention", Mentions.jsonl(page * 100, page * 100 + 100), "application/x-ndjson", KEY);
            assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
            assertThat(objectMapper.readTree(response.body()).get("accepted").asInt()).isEqualTo(100);
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> freshDepth("crm.outbound") == before + 2000);
        assertThat(mentionIdsOnOutbound()).hasSize(1000 + mentionsBefore)
                .containsAll(java.util.stream.IntStream.range(0, 1000).mapToObj(i -> "x:t" + i).toList());

        // The same 1,000 again, as one JSON array this time: all accepted, none enters the pipeline.
        StringBuilder array = new StringBuilder("[");
        for (int i = 0; i < 1000; i++) {
            array.append(i == 0 ? "" : ",").append(Mentions.json("x", "t" + i));
        }
        // Waits on the consumed counters, not on a browser (which does not show prefetched or in-transaction messages):
        // first the enrich stage has committed the 1,000, then the normalise stage the replayed payload.
        await().atMost(Duration.ofSeconds(60)).until(() -> consumed("social.mentions") >= mentionsConsumedBefore + 1000);
        double inboundBefore = consumed("social.inbound");
        double mentionsConsumed = consumed("social.mentions");
        HttpResponse<String> replay = post("mention", array.append("]").toString(), "application/json", KEY);
        assertThat(replay.statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).until(() -> consumed("social.inbound") >= inboundBefore + 1);
        // its batch committed what it forwarded with it: nothing reached social.mentions, queued or consumed (the counts
        // are asked of the broker now, not of QueueDepths's 1 s cache)
        assertThat(QueueProbe.messageCount(broker, "social.mentions")).isZero();
        assertThat(consumed("social.mentions")).isEqualTo(mentionsConsumed);
        assertThat(QueueProbe.messageCount(broker, "crm.outbound")).isEqualTo(before + 2000);
        assertThat(mentionIdsOnOutbound()).hasSize(1000 + mentionsBefore);
    }

    @Test
    void poisonPayloadEndsInItsStageDlqWithTheReasonWhileTheRestFlowsOn() throws Exception {
        int callsBefore = PoisonChannel.CALLS.get();
        producer.sendBodyAndHeader("queue:social.inbound", "{\"anything\":true}", "HearthChannel", "poison");
        HttpResponse<String> good = post("mention", Mentions.jsonl(5000, 5050), "application/x-ndjson", KEY);
        assertThat(good.statusCode()).isEqualTo(202);

        await().atMost(Duration.ofSeconds(30)).until(() -> probe.browse("DLQ.social.inbound").stream()
                .anyMatch(m -> bodyOf(m).equals("{\"anything\":true}")));
        Message dead = probe.browse("DLQ.social.inbound").stream()
                .filter(m -> bodyOf(m).equals("{\"anything\":true}")).findFirst().orElseThrow();
        // An unforeseen mapper failure is reported by its type only (its message may quote the payload):
        // ChannelRegistry.normalise.
        assertThat(dead.getStringProperty("HearthFailureReason"))
                .contains("channel 'poison' could not read the payload (java.lang.IllegalStateException)")
                .doesNotContain("poison payload cannot be mapped");
        assertThat(dead.getStringProperty("HearthFailedStage")).isEqualTo("social.inbound");
        assertThat(dead.getStringProperty("HearthFailedRoute")).isEqualTo("pipeline-normalise");
        assertThat(dead.getStringProperty("HearthFailedAt")).isNotBlank();
        // First attempt plus the two configured redeliveries, then dead-lettered.
        assertThat(PoisonChannel.CALLS.get() - callsBefore).isEqualTo(3);

        // the mention log fills row by row (a batch's rows become visible before its commit): wait for all 50
        await().atMost(Duration.ofSeconds(30)).until(() -> processedIds().stream().filter(id -> id.matches("x:t50[0-4]\\d")).count() == 50);
    }

    @Test
    void aRejectedItemGoesToTheDlqWithItsReasonWhileTheGoodItemsOfThePayloadGoOn() throws Exception {
        HttpResponse<String> response = post("partly", "[\"p1\", \"bad\", \"p2\"]", "application/json", KEY);
        assertThat(response.statusCode()).isEqualTo(202);
        JsonNode answer = objectMapper.readTree(response.body());
        assertThat(answer.get("accepted").asInt()).isEqualTo(2);
        assertThat(answer.get("rejected").asInt()).isEqualTo(1);

        await().atMost(Duration.ofSeconds(30)).until(() -> processedIds().containsAll(List.of("partly:p1", "partly:p2")));
        await().atMost(Duration.ofSeconds(30)).until(() -> probe.browse("DLQ.social.inbound").stream()
                .anyMatch(m -> bodyOf(m).equals("\"bad\"")));
        Message dead = probe.browse("DLQ.social.inbound").stream().filter(m -> bodyOf(m).equals("\"bad\"")).findFirst().orElseThrow();
        assertThat(dead.getStringProperty("HearthFailureReason")).isEqualTo("[1]: not a post");
        assertThat(dead.getStringProperty("HearthFailureException")).isEqualTo("RejectedItem");
        assertThat(dead.getStringProperty("HearthFailedRoute")).isEqualTo("pipeline-normalise");
    }

    private static String bodyOf(Message message) {
        try {
            return message.getBody(String.class);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void malformedMentionOnTheMentionsQueueIsDeadLetteredThere() throws Exception {
        producer.sendBodyAndHeader("queue:social.mentions", "{\"channel\":\"x\",\"nativeId\":", "HearthMentionId", "x:broken");
        await().atMost(Duration.ofSeconds(30)).until(() -> probe.browse("DLQ.social.mentions").size() == 1);
        Message dead = probe.browse("DLQ.social.mentions").get(0);
        assertThat(dead.getStringProperty("HearthFailedStage")).isEqualTo("social.mentions");
        assertThat(dead.getStringProperty("HearthFailedRoute")).isEqualTo("pipeline-enrich");
        assertThat(dead.getStringProperty("HearthFailureReason")).isNotBlank();
        assertThat(freshDepth("social.mentions")).isZero();
    }

    @Test
    void badInputGetsClearErrors() throws Exception {
        HttpResponse<String> malformed = post("mention", "{\"channel\":\"x\",", "application/json", KEY);
        assertThat(malformed.statusCode()).isEqualTo(400);
        JsonNode error = objectMapper.readTree(malformed.body());
        assertThat(error.get("error").asText()).isEqualTo("invalid_payload");
        assertThat(error.get("message").asText()).contains("malformed JSON");

        HttpResponse<String> missingField = post("mention", "{\"channel\":\"x\",\"text\":\"hi\",\"createdAt\":\"2026-11-20T10:00:00Z\"}",
                "application/json", KEY);
        assertThat(missingField.statusCode()).isEqualTo(400);
        assertThat(missingField.body()).contains("nativeId");

        HttpResponse<String> noKey = post("mention", Mentions.jsonl(0, 1), "application/x-ndjson", null);
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(noKey.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(post("mention", Mentions.jsonl(0, 1), "application/x-ndjson", "wrong-key").statusCode()).isEqualTo(401);

        HttpResponse<String> unknown = post("nosuch", "{}", "application/json", KEY);
        assertThat(unknown.statusCode()).isEqualTo(404);
        JsonNode unknownBody = objectMapper.readTree(unknown.body());
        assertThat(unknownBody.get("error").asText()).isEqualTo("unknown_channel");
        assertThat(unknownBody.get("channels").toString()).contains("mention");

        assertThat(post("mention", Mentions.jsonl(0, 1), "application/x-www-form-urlencoded", KEY).statusCode()).isEqualTo(415);
        assertThat(post("mention", "   ", "application/json", KEY).statusCode()).isEqualTo(400);
    }

    /**
     * With the defaults of config/application.yml both webhook sources are off: their paths answer 404 (was
     * WebhookDisabledIT, a whole hub of its own for this; this hub keeps the webhook defaults).
     */
    @Test
    void disabledWebhooksAnswer404() throws Exception {
        HubHttp anonymous = HubHttp.at(port, null);
        for (String path : new String[] {"/webhooks/meta?hub.mode=subscribe&hub.challenge=1&hub.verify_token=", "/webhooks/x?crc_token=t"}) {
            HttpResponse<String> response = anonymous.get(path);
            assertThat(response.statusCode()).isEqualTo(404);
            assertThat(response.body()).contains("webhook_disabled").contains("is not enabled");
        }
        assertThat(anonymous.post("/webhooks/meta", "{}").statusCode()).isEqualTo(404);
    }

    @Test
    void healthAndPrometheusShowTheQueues() throws Exception {
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                        .header("Authorization", "Bearer " + KEY).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode components = objectMapper.readTree(health.body()).get("components");
        assertThat(components.get("broker").get("status").asText()).isEqualTo("UP");
        assertThat(components.get("broker").get("details").get("queues").has("DLQ.crm.outbound")).isTrue();
        assertThat(components.get("db").get("status").asText()).isEqualTo("UP");
        assertThat(components.has("sources")).isTrue();

        HttpResponse<String> prometheus = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                        .header("Authorization", "Bearer " + KEY).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(prometheus.body())
                .contains("hearth_queue_depth{application=\"hearth\",queue=\"crm.outbound\"}")
                .contains("hearth_dead_letters{application=\"hearth\",stage=\"social.inbound\"}")
                .contains("camel_exchanges_total")
                .contains("routeId=\"pipeline-normalise\"");
    }

    private double consumed(String queue) {
        return QueueProbe.consumed(meters, queue);
    }

    private long freshDepth(String queue) throws Exception {
        return probe.browse(queue).size();
    }

    /** The mentions the enrich stage has processed (its mention log), whoever their authors are. */
    private Set<String> processedIds() {
        return new HashSet<>(QueueProbe.processedMentionIds(context));
    }

    /** External ids of the Social_Mention__c upserts on crm.outbound, each at most once. */
    private Set<String> mentionIdsOnOutbound() throws Exception {
        Set<String> ids = new HashSet<>();
        for (String body : probe.bodies("crm.outbound")) {
            JsonNode command = objectMapper.readTree(body);
            if ("Social_Mention__c".equals(command.path("object").asText())) {
                String id = command.path("externalId").asText();
                assertThat(ids.add(id)).as("duplicate %s on crm.outbound", id).isTrue();
            }
        }
        return ids;
    }

    private HttpResponse<String> post(String channel, String body, String contentType, String key) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/ingest/" + channel))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (key != null) {
            request.header("Authorization", "Bearer " + key);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
