package io.hearth.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.channel.ChannelMapper;
import io.hearth.channel.MappedPayload;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionValidator;
import io.hearth.queue.BrokerConfiguration;
import io.hearth.support.HubHttp;
import io.hearth.support.Mentions;
import io.hearth.support.QueueProbe;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Issue 11, dead-letter operations over REST against the real hub (embedded Artemis, the YAML routes, H2): list, look,
 * replay one (back with a fresh reason while the cause lasts, through dedup exactly once when it is gone), bulk replay
 * with a filter, discard, the audit log, the roles; the DLQs' address settings; the OpenAPI description.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Its hub lives in a data directory of this class only: closed with the class, before that directory is deleted
// (TestLayersTest)
@org.springframework.test.annotation.DirtiesContext
class DeadLetterApiIT {

    static final String KEY = "hk-dlq-test-admin-4Fv";
    static final String OPERATOR_KEY = "hk-dlq-test-operator-9Lw";
    static final String VIEWER_KEY = "hk-dlq-test-viewer-2Tq";
    /** ChannelRegistry turns an unforeseen mapper failure into this reason (no payload text in it). */
    static final String REASON = "InvalidMentionException: channel 'flaky' could not read the payload (java.lang.IllegalStateException)";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("hearth.data-dir", dataDir::toString);
        registry.add("hearth.api-key", () -> KEY);
        registry.add("hearth.security.operator-key", () -> OPERATOR_KEY);
        registry.add("hearth.security.viewer-key", () -> VIEWER_KEY);
        registry.add("hearth.sources.inbox.enabled", () -> "false");
        registry.add("hearth.sandbox.replay", () -> "false");
        registry.add("hearth.directory.enabled", () -> "false");
        registry.add("hearth.crm.writer.enabled", () -> "false");   // crm.outbound keeps what a replay puts there
        registry.add("hearth.rules.enabled", () -> "true");         // the rules' report endpoints are mapped (OpenAPI test)
        registry.add("hearth.queues.redelivery.max-redeliveries", () -> "1");
        registry.add("hearth.queues.redelivery.initial-delay", () -> "10");
    }

    /** A channel whose mapper fails while {@link #BROKEN}; otherwise it reads JSON Lines of canonical mentions. */
    @TestConfiguration
    static class FlakyChannel {
        static final AtomicBoolean BROKEN = new AtomicBoolean();

        @Bean
        ChannelMapper flakyMapper(ObjectMapper json) {
            return new ChannelMapper() {
                @Override
                public String channel() {
                    return "flaky";
                }

                @Override
                public MappedPayload mapPayload(String payload) {
                    if (BROKEN.get()) {
                        throw new IllegalStateException("flaky mapper is down");
                    }
                    List<Mention> mentions = new ArrayList<>();
                    for (String line : payload.split("\n")) {
                        try {
                            mentions.add(MentionValidator.validate(json.readValue(line, Mention.class)));
                        } catch (java.io.IOException e) {
                            throw new io.hearth.mention.InvalidMentionException("not a mention", e);
                        }
                    }
                    return new MappedPayload(mentions, List.of());
                }
            };
        }
    }

    @LocalServerPort
    int port;
    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    BrokerConfiguration.EmbeddedBroker broker;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    ApplicationContext context;

    final ObjectMapper json = new ObjectMapper();
    QueueProbe probe;

    @BeforeEach
    void setUp() {
        probe = QueueProbe.of(broker);
        FlakyChannel.BROKEN.set(false);
    }

    @Test
    void aReplayComesBackWithAFreshReasonWhileTheCauseLastsAndPassesDedupOnceItIsGone() throws Exception {
        FlakyChannel.BROKEN.set(true);
        String payload = Mentions.json("x", "dlq1-a") + "\n" + Mentions.json("x", "dlq1-b") + "\n";
        producer.sendBodyAndHeader("queue:social.inbound", payload, "HearthChannel", "flaky");

        JsonNode first = await("the payload in DLQ.social.inbound").atMost(Duration.ofSeconds(30))
                .until(() -> messages("DLQ.social.inbound"), m -> m.size() == 1).get(0);
        HttpResponse<String> list = get("/api/dead-letters", OPERATOR_KEY);
        assertThat(list.statusCode()).isEqualTo(200);
        assertThat(list.body()).as("no personal data in the list").doesNotContain("fan_dlq1").doesNotContain("lounge");
        JsonNode queues = json.readTree(list.body()).get("queues");
        assertThat(queues).extracting(q -> q.get("queue").asText())
                .containsExactly("DLQ.social.inbound", "DLQ.social.mentions", "DLQ.crm.outbound", "DLQ.service.replies",
                        "DLQ.rewards.triggers");
        assertThat(queues.get(0).get("count").asInt()).isEqualTo(1);
        assertThat(queues.get(0).get("oldest").asText()).isEqualTo(first.get("firstFailedAt").asText());
        assertThat(first.get("stage").asText()).isEqualTo("social.inbound");
        assertThat(first.get("failedRoute").asText()).isEqualTo("pipeline-normalise");
        assertThat(first.get("reason").asText()).isEqualTo(REASON);
        assertThat(first.get("channel").asText()).isEqualTo("flaky");
        assertThat(first.get("attempts").asInt()).as("first delivery + 1 redelivery").isEqualTo(2);
        assertThat(first.get("replays").asInt()).isZero();
        assertThat(first.has("body")).isFalse();
        String id = first.get("id").asText();

        HttpResponse<String> one = get("/api/dead-letters/DLQ.social.inbound/" + id + "?include=body", OPERATOR_KEY);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(json.readTree(one.body()).get("body").asText()).isEqualTo(payload);
        assertThat(json.readTree(get("/api/dead-letters/DLQ.social.inbound/" + id, OPERATOR_KEY).body()).has("body")).isFalse();

        // the cause lasts: the replay goes to social.inbound and comes back with a fresh failure, its history kept
        HttpResponse<String> replay = post("/api/dead-letters/DLQ.social.inbound/" + id + "/replay", null, OPERATOR_KEY);
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        JsonNode did = json.readTree(replay.body());
        assertThat(did.get("replayed").asInt()).isEqualTo(1);
        assertThat(did.get("to").asText()).isEqualTo("social.inbound");
        assertThat(did.get("outcome").asText()).isEqualTo("done");
        JsonNode again = await("back in DLQ.social.inbound").atMost(Duration.ofSeconds(30))
                .until(() -> messages("DLQ.social.inbound"), m -> m.size() == 1 && !m.get(0).get("id").asText().equals(id))
                .get(0);
        assertThat(again.get("replays").asInt()).isEqualTo(1);
        assertThat(again.get("attempts").asInt()).isEqualTo(4);
        assertThat(again.get("firstFailedAt").asText()).isEqualTo(first.get("firstFailedAt").asText());
        assertThat(Instant.parse(again.get("lastFailedAt").asText())).isAfter(Instant.parse(first.get("lastFailedAt").asText()));
        assertThat(again.get("reason").asText()).isEqualTo(REASON);

        // The dedup trap: the payload's first mention was recorded by a delivery of the same payload that then failed
        // (its key commits before the JMS commit). A replay is a new JMS message; it must not meet its own key as a
        // duplicate. (Without HearthOriginalMessageId the replay's source ref differs and x:dlq1-a would be dropped.)
        Message dead = probe.browse("DLQ.social.inbound").get(0);
        String original = dead.getStringProperty("HearthOriginalMessageId");
        assertThat(original).startsWith("ID:");
        jdbc.update("INSERT INTO hearth_processed_mention (mention_id, source_ref, first_seen_at) VALUES (?, ?, ?)",
                "x:dlq1-a", original + "#0", Timestamp.from(Instant.now()));

        FlakyChannel.BROKEN.set(false);
        String againId = again.get("id").asText();
        assertThat(post("/api/dead-letters/DLQ.social.inbound/" + againId + "/replay", null, KEY).statusCode()).isEqualTo(200);
        await("both mentions enriched").atMost(Duration.ofSeconds(30))
                .until(() -> QueueProbe.processedMentionIds(context).containsAll(List.of("x:dlq1-a", "x:dlq1-b")));
        assertThat(QueueProbe.processedMentionIds(context).stream().filter(m -> m.startsWith("x:dlq1-"))).hasSize(2);
        assertThat(messages("DLQ.social.inbound")).isEmpty();
        // replaying it once more: it is gone
        HttpResponse<String> gone = post("/api/dead-letters/DLQ.social.inbound/" + againId + "/replay", null, OPERATOR_KEY);
        assertThat(gone.statusCode()).isEqualTo(404);
        assertThat(json.readTree(gone.body()).get("error").asText()).isEqualTo("message_not_found");

        JsonNode audit = json.readTree(get("/api/dead-letters/audit", OPERATOR_KEY).body()).get("entries");
        assertThat(audit.get(0).get("outcome").asText()).isEqualTo("not_found");
        assertThat(audit.get(1).get("actor").asText()).isEqualTo("api-key");
        assertThat(audit.get(1).get("done").asInt()).isEqualTo(1);
        assertThat(audit.get(2).get("actor").asText()).isEqualTo("operator");
        assertThat(audit.get(2).get("roles").asText()).isEqualTo("OPERATOR,VIEWER");
        assertThat(audit.get(2).get("action").asText()).isEqualTo("replay");
        assertThat(audit.get(2).get("messageId").asText()).isEqualTo(id);
        assertThat(audit.get(2).get("target").asText()).isEqualTo("social.inbound");
        assertThat(audit.get(2).get("outcome").asText()).isEqualTo("done");
    }

    @Test
    void aBulkReplayTakesWhatTheFilterMatchesAndADiscardRemovesOne() throws Exception {
        Instant t0 = Instant.parse("2026-12-01T10:00:00Z");
        List<String> bodies = new ArrayList<>();
        // reason, channel, failed at: lock-row on x at t0, t0+1h, t0+2h; lock-row on mastodon; invalid field on x
        Object[][] letters = {
                {"Salesforce UNABLE_TO_LOCK_ROW: unable to obtain exclusive access", "x", t0},
                {"Salesforce UNABLE_TO_LOCK_ROW: unable to obtain exclusive access", "x", t0.plusSeconds(3600)},
                {"Salesforce UNABLE_TO_LOCK_ROW: unable to obtain exclusive access", "x", t0.plusSeconds(7200)},
                {"Salesforce UNABLE_TO_LOCK_ROW: unable to obtain exclusive access", "mastodon", t0.plusSeconds(60)},
                {"Salesforce INVALID_FIELD: No such column", "x", t0.plusSeconds(120)}};
        for (int i = 0; i < letters.length; i++) {
            String body = "{\"schema\":\"hearth.crm-command/v1\",\"n\":\"bulk-" + i + "\"}";
            bodies.add(body);
            sendDeadLetter("DLQ.crm.outbound", body, (String) letters[i][0], (String) letters[i][1], (Instant) letters[i][2]);
        }
        List<JsonNode> listed = messages("DLQ.crm.outbound");
        assertThat(listed).hasSize(5);

        // lock-row on x, failed in [t0, t0+2h): the first two
        HttpResponse<String> bulk = post("/api/dead-letters/DLQ.crm.outbound/replay", "{\"reason\":\"unable_to_lock_row\","
                + "\"channel\":\"x\",\"from\":\"" + t0 + "\",\"to\":\"" + t0.plusSeconds(7200) + "\"}", OPERATOR_KEY);
        assertThat(bulk.statusCode()).as(bulk.body()).isEqualTo(200);
        JsonNode did = json.readTree(bulk.body());
        assertThat(did.get("selected").asInt()).isEqualTo(2);
        assertThat(did.get("replayed").asInt()).isEqualTo(2);
        assertThat(did.get("to").asText()).isEqualTo("crm.outbound");
        assertThat(did.get("filter").get("channel").asText()).isEqualTo("x");
        List<Message> outbound = probe.browse("crm.outbound");
        assertThat(outbound).extracting(m -> ((TextMessage) m).getText()).containsExactlyInAnyOrder(bodies.get(0), bodies.get(1));
        for (Message m : outbound) {
            assertThat(m.getStringProperty("HearthFailureReason")).as("failure marks cleared").isNull();
            assertThat(m.getStringProperty("HearthFailedAt")).isNull();
            assertThat(m.getStringProperty("HearthFirstFailedAt")).isNotNull();
            assertThat(m.getIntProperty("HearthReplays")).isEqualTo(1);
            assertThat(m.getStringProperty("HearthMentionId")).startsWith("x:");
        }
        assertThat(bodies(probe.browse("DLQ.crm.outbound"))).containsExactlyInAnyOrder(bodies.get(2), bodies.get(3), bodies.get(4));

        // discard one; a second discard finds nothing
        String invalid = listed.stream().filter(m -> m.get("reason").asText().contains("INVALID_FIELD")).findFirst()
                .orElseThrow().get("id").asText();
        HttpResponse<String> discard = delete("/api/dead-letters/DLQ.crm.outbound/" + invalid, OPERATOR_KEY);
        assertThat(discard.statusCode()).as(discard.body()).isEqualTo(200);
        assertThat(json.readTree(discard.body()).get("discarded").asInt()).isEqualTo(1);
        assertThat(delete("/api/dead-letters/DLQ.crm.outbound/" + invalid, OPERATOR_KEY).statusCode()).isEqualTo(404);
        assertThat(bodies(probe.browse("DLQ.crm.outbound"))).containsExactlyInAnyOrder(bodies.get(2), bodies.get(3));

        // everything that is left
        JsonNode rest = json.readTree(post("/api/dead-letters/DLQ.crm.outbound/replay", null, OPERATOR_KEY).body());
        assertThat(rest.get("replayed").asInt()).isEqualTo(2);
        assertThat(probe.browse("DLQ.crm.outbound")).isEmpty();
        assertThat(bodies(probe.browse("crm.outbound"))).containsExactlyInAnyOrder(bodies.get(0), bodies.get(1),
                bodies.get(2), bodies.get(3));
        drain("crm.outbound");

        JsonNode audit = json.readTree(get("/api/dead-letters/audit?limit=4", OPERATOR_KEY).body()).get("entries");
        assertThat(audit).extracting(a -> a.get("action").asText() + " " + a.get("done").asInt() + " " + a.get("outcome").asText())
                .containsExactly("replay-bulk 2 done", "discard 0 not_found", "discard 1 done", "replay-bulk 2 done");
        assertThat(audit.get(3).get("filter").asText()).contains("\"reason\":\"unable_to_lock_row\"").contains("\"channel\":\"x\"");

        // clear errors for bad input
        assertThat(json.readTree(post("/api/dead-letters/DLQ.nope/replay", null, OPERATOR_KEY).body()).get("error").asText())
                .isEqualTo("unknown_queue");
        assertThat(get("/api/dead-letters?queue=social.inbound", OPERATOR_KEY).statusCode()).isEqualTo(404);
        HttpResponse<String> badId = delete("/api/dead-letters/DLQ.crm.outbound/1'%20OR%20'1'='1", OPERATOR_KEY);
        assertThat(badId.statusCode()).isEqualTo(400);
        HttpResponse<String> badFilter = post("/api/dead-letters/DLQ.crm.outbound/replay", "{\"from\":\"yesterday\"}", OPERATOR_KEY);
        assertThat(badFilter.statusCode()).isEqualTo(400);
        assertThat(json.readTree(badFilter.body()).get("error").asText()).isEqualTo("invalid_filter");
        assertThat(post("/api/dead-letters/DLQ.crm.outbound/replay", "{\"stage\":\"x\"}", OPERATOR_KEY).statusCode()).isEqualTo(400);
        assertThat(get("/api/dead-letters?limit=0", OPERATOR_KEY).statusCode()).isEqualTo(400);
    }

    @Test
    void deadLettersAreTheOperatorsTheDescriptionTheViewers() throws Exception {
        for (String path : List.of("/api/dead-letters", "/api/dead-letters/audit", "/api/dead-letters/DLQ.crm.outbound/abc")) {
            assertThat(get(path, null).statusCode()).as(path).isEqualTo(401);
            assertThat(get(path, VIEWER_KEY).statusCode()).as(path).isEqualTo(403);
        }
        assertThat(post("/api/dead-letters/DLQ.crm.outbound/replay", null, VIEWER_KEY).statusCode()).isEqualTo(403);
        assertThat(post("/api/dead-letters/DLQ.crm.outbound/abc/replay", null, VIEWER_KEY).statusCode()).isEqualTo(403);
        assertThat(delete("/api/dead-letters/DLQ.crm.outbound/abc", VIEWER_KEY).statusCode()).isEqualTo(403);
        assertThat(post("/api/dead-letters/DLQ.crm.outbound/replay", null, null).statusCode()).isEqualTo(401);
        assertThat(get("/api/openapi.json", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/openapi.json", VIEWER_KEY).statusCode()).isEqualTo(200);
    }

    /**
     * Every handler mapping under /api (every controller's, with each of its HTTP methods) is in the OpenAPI description.
     */
    @Test
    void theOpenApiDescriptionHasEveryApiEndpoint() throws Exception {
        HttpResponse<String> answer = get("/api/openapi.json", VIEWER_KEY);
        assertThat(answer.statusCode()).isEqualTo(200);
        JsonNode paths = json.readTree(answer.body()).get("paths");
        Set<String> expected = new LinkedHashSet<>();
        RequestMappingHandlerMapping mapping = context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
        for (RequestMappingInfo info : mapping.getHandlerMethods().keySet()) {
            for (String pattern : info.getPatternValues()) {
                if (!pattern.startsWith("/api/") || pattern.startsWith("/api/openapi.json")) {
                    continue;
                }
                Set<RequestMethod> methods = info.getMethodsCondition().getMethods();
                for (RequestMethod method : methods.isEmpty() ? Set.of(RequestMethod.GET, RequestMethod.POST) : methods) {
                    expected.add(method.name().toLowerCase() + " " + pattern);
                }
            }
        }
        Set<String> described = new HashSet<>();
        paths.fields().forEachRemaining(p -> p.getValue().fieldNames().forEachRemaining(m -> described.add(m + " " + p.getKey())));
        System.out.println("OpenAPI: " + expected.size() + " operations under /api mapped, " + described.size() + " described");
        assertThat(expected).as("the enumeration sees the controllers").contains("post /api/ingest/{channel}",
                "get /api/dead-letters", "post /api/dead-letters/{queue}/{messageId}/replay",
                "post /api/dead-letters/{queue}/replay", "delete /api/dead-letters/{queue}/{messageId}", "post /api/erasure",
                "post /api/links", "get /api/rules/prospects");
        assertThat(described).as("operations missing from /api/openapi.json").containsAll(expected);
    }

    /** A stage passes on a message without its failure history; the way to a DLQ keeps it. */
    @Test
    void theNextStageGetsNoFailureHistoryADlqKeepsIt() throws Exception {
        Map<String, Object> headers = Map.of("HearthFirstFailedAt", "2026-12-04T09:00:00Z", "HearthFailedAttempts", 4,
                "HearthOriginalMessageId", "ID:1", "HearthReplays", 1, "HearthReplayedAt", "2026-12-04T10:00:00Z",
                "HearthMentionId", "x:history");
        producer.sendBodyAndHeaders("queue:crm.outbound", "{\"n\":\"history\"}", headers);
        producer.sendBodyAndHeaders("queue:DLQ.crm.outbound", "{\"n\":\"history\"}", headers);
        Message forwarded = probe.browse("crm.outbound").get(0);
        assertThat(forwarded.getStringProperty("HearthMentionId")).isEqualTo("x:history");
        for (String h : io.hearth.queue.DeadLetterPublisher.HISTORY_HEADERS) {
            assertThat(forwarded.propertyExists(h)).as(h).isFalse();
        }
        Message dead = probe.browse("DLQ.crm.outbound").get(0);
        assertThat(dead.getIntProperty("HearthFailedAttempts")).isEqualTo(4);
        assertThat(dead.getStringProperty("HearthOriginalMessageId")).isEqualTo("ID:1");
        drain("crm.outbound");
        drain("DLQ.crm.outbound");
    }

    /** A DLQ never drops a message however often a client receives it and rolls back (max-delivery-attempts -1). */
    @Test
    void aDeadLetterSurvivesAnyNumberOfRolledBackDeliveries() throws Exception {
        String body = "{\"n\":\"rollback-test\"}";
        sendDeadLetter("DLQ.social.mentions", body, "IllegalStateException: test", "x", Instant.now());
        try (Connection connection = connectionFactory.createConnection()) {
            connection.start();
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = session.createConsumer(session.createQueue("DLQ.social.mentions"));
            for (int i = 0; i < 15; i++) {
                Message m = consumer.receive(5000);
                assertThat(m).as("delivery %d", i + 1).isNotNull();
                session.rollback();
            }
        }
        assertThat(bodies(probe.browse("DLQ.social.mentions"))).containsExactly(body);
        String id = messages("DLQ.social.mentions").get(0).get("id").asText();
        assertThat(delete("/api/dead-letters/DLQ.social.mentions/" + id, OPERATOR_KEY).statusCode()).isEqualTo(200);
    }

    // ------------------------------------------------------------------ helpers

    void sendDeadLetter(String queue, String body, String reason, String channel, Instant failedAt) throws Exception {
        try (Connection connection = connectionFactory.createConnection()) {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            TextMessage m = session.createTextMessage(body);
            m.setStringProperty("HearthFailureReason", reason);
            m.setStringProperty("HearthFailureException", "io.hearth.crm.CrmRecordException");
            m.setStringProperty("HearthFailedStage", queue.substring(4));
            m.setStringProperty("HearthFailedRoute", "crm-writer");
            m.setStringProperty("HearthFailedAt", failedAt.toString());
            m.setStringProperty("HearthFirstFailedAt", failedAt.toString());
            m.setIntProperty("HearthFailedAttempts", 1);
            m.setStringProperty("HearthChannel", channel);
            m.setStringProperty("HearthMentionId", channel + ":" + Math.abs(body.hashCode()));
            m.setStringProperty("HearthCrmErrorCode", "UNABLE_TO_LOCK_ROW");
            producer.send(m);
            session.commit();
        }
    }

    void drain(String queue) throws Exception {
        try (Connection connection = connectionFactory.createConnection()) {
            connection.start();
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            while (consumer.receive(500) != null) {
                // drop
            }
            session.commit();
        }
    }

    static List<String> bodies(List<Message> messages) throws Exception {
        List<String> out = new ArrayList<>();
        for (Message m : messages) {
            out.add(((TextMessage) m).getText());
        }
        return out;
    }

    List<JsonNode> messages(String queue) throws Exception {
        HttpResponse<String> answer = get("/api/dead-letters?queue=" + queue, OPERATOR_KEY);
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        List<JsonNode> out = new ArrayList<>();
        json.readTree(answer.body()).get("queues").get(0).get("messages").forEach(out::add);
        return out;
    }

    HttpResponse<String> get(String path, String key) throws Exception {
        return HubHttp.at(port, key).get(path);
    }

    HttpResponse<String> delete(String path, String key) throws Exception {
        return HubHttp.at(port, key).delete(path);
    }

    HttpResponse<String> post(String path, String body, String key) throws Exception {
        return HubHttp.at(port, key).post(path, body);
    }

}
