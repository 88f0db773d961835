package io.hearth.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.identity.AuthorKeys;
import io.hearth.privacy.PrivacyKeys;
import io.hearth.support.HubHttp;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 6 acceptance 3 and 4, and deleted posts, against the hub over HTTP with its sandbox: mentions enter through
 * /api/ingest (X Account Activity payloads), the whole pipeline and the CRM writer run, SOQL and SQL check the result.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
@DirtiesContext
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PrivacyAcceptanceIT extends CrmHub {

    static final int SANDBOX_PORT = SandboxClient.freePort();
    static final String KEY = "privacy-test-key";
    static final String ALICE = "003000000000001AAA";
    static final String BOB = "003000000000002AAA";
    static final DateTimeFormatter X_TIME = DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss Z yyyy", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    @TempDir
    static Path dataDir;

    /** The clock the hub's jobs read; tests move it. */
    static final class MovableClock extends Clock {
        volatile Duration offset = Duration.ZERO;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.now().plus(offset);
        }
    }

    static final MovableClock CLOCK = new MovableClock();

    @TestConfiguration
    static class Clocks {
        @Bean
        @Primary
        Clock movableClock() {
            return CLOCK;
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        hub(registry, dataDir, SANDBOX_PORT, 0);
        registry.add("hearth.api-key", () -> KEY);
        Path seed = dataDir.resolve("privacy-seed.json");
        Files.writeString(seed, """
                {"Contact": [
                  {"Id": "%s", "LastName": "Alice", "Social_Consent__c": true, "Advocate__c": true, "Advocate_Tier__c": "Gold",
                   "Advocate_Since__c": "2026-01-15", "Social_Points__c": 120},
                  {"Id": "%s", "LastName": "Bob", "Social_Consent__c": true}],
                 "Social_Identity__c": [
                  {"Contact__c": "%1$s", "Channel__c": "x", "Handle__c": "Alice_A", "External_Id__c": "x:alice_a", "Verified__c": true},
                  {"Contact__c": "%1$s", "Channel__c": "bluesky", "Handle__c": "alice.bsky.social", "External_Id__c": "bluesky:alice.bsky.social", "Verified__c": true},
                  {"Contact__c": "%2$s", "Channel__c": "x", "Handle__c": "bob_b", "External_Id__c": "x:bob_b", "Verified__c": true}],
                 "Social_Reward__c": [
                  {"Contact__c": "%1$s", "External_Id__c": "reward-alice-1", "Points__c": 20, "Rule__c": "first-mention"}],
                 "Case": [
                  {"ContactId": "%1$s", "Origin": "Social", "Subject": "Social complaint on x: my order never came",
                   "Description": "2026-11-20 · x · @Alice_A · complaint\\nmy order never came", "Social_Conversation_Id__c": "case:x:6990"},
                  {"ContactId": "%2$s", "Origin": "Social", "Subject": "Social question on x: opening hours?",
                   "Social_Conversation_Id__c": "case:x:6991"}]}
                """.formatted(ALICE, BOB));
        registry.add("hearth.sandbox.seed", seed::toString);
        registry.add("hearth.privacy.erasure.enabled", () -> "true");
        registry.add("hearth.privacy.erasure.interval", () -> "300");
        registry.add("hearth.privacy.erasure.initial-delay", () -> "300");
        registry.add("hearth.privacy.retention.interval", () -> "300");
        registry.add("hearth.privacy.retention.initial-delay", () -> "300");
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;

    final SandboxClient sandbox = new SandboxClient(SANDBOX_PORT);

    @Test
    @Order(1)
    void erasureRemovesEveryTraceAndLaterMentionsAreNotLinked() throws Exception {
        producer.requestBody("direct:job-directory-sync", "");
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT COUNT(*) FROM hearth_contact_directory") == 3);

        ingest(tweets(tweet("7001", "alice_a", "Love the new @brand app"), tweet("7002", "Alice_A", "@brand support was quick"),
                tweet("7003", "bob_b", "@brand nice")));
        await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.count(
                "SELECT COUNT() FROM Social_Mention__c WHERE External_Id__c IN ('x:7001', 'x:7002', 'x:7003')") == 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> sandbox.records("SELECT Social_Mentions_30d__c FROM Contact WHERE Id = '"
                + ALICE + "'").get(0).path("Social_Mentions_30d__c").asInt() == 2);
        assertThat(sandbox.count("SELECT COUNT() FROM Social_Reward__c WHERE Contact__c = '" + ALICE + "'")).isEqualTo(1);

        // dead letters about Alice (a refused reward of hers) and about Bob wait in the DLQ
        producer.sendBody("queue:DLQ.crm.outbound", commands.toJson(CrmCommand.upsert("Social_Reward__c", "External_Id__c",
                "reward-alice-dlq", Map.of("Contact__c", ALICE, "Points__c", 5))));
        producer.sendBody("queue:DLQ.crm.outbound", commands.toJson(CrmCommand.upsert("Social_Reward__c", "External_Id__c",
                "reward-bob-dlq", Map.of("Contact__c", BOB, "Points__c", 5))));

        HttpResponse<String> accepted = post("/api/erasure", "{\"contactId\":\"" + ALICE + "\"}");
        assertThat(accepted.statusCode()).isEqualTo(202);
        String erasureId = SandboxClient.JSON.readTree(accepted.body()).get("erasureId").asText();
        JsonNode status = awaitDone(erasureId);
        assertThat(status.get("subject").asText()).isEqualTo("contact");
        // issue 18 item 10: her case keeps no post text or handle (hearth.privacy.erasure.cases: redact), Bob's is untouched;
        // her dead letter is gone, Bob's stays
        assertThat(status.get("counts").get("crmCases").asInt()).isEqualTo(1);
        assertThat(status.get("counts").get("deadLetters").asInt()).isEqualTo(1);
        JsonNode aliceCase = sandbox.records("SELECT Subject, Description, ContactId FROM Case WHERE Social_Conversation_Id__c = 'case:x:6990'").get(0);
        assertThat(aliceCase.get("Subject").asText()).isEqualTo("Social case (personal data erased)");
        assertThat(aliceCase.get("Description").isNull()).isTrue();
        assertThat(sandbox.records("SELECT Subject FROM Case WHERE Social_Conversation_Id__c = 'case:x:6991'").get(0)
                .get("Subject").asText()).isEqualTo("Social question on x: opening hours?");
        assertThat(bodies("DLQ.crm.outbound")).singleElement().asString().contains("reward-bob-dlq");
        assertThat(status.get("counts").get("crmMentions").asInt()).isEqualTo(2);
        assertThat(status.get("counts").get("crmIdentities").asInt()).isEqualTo(2);
        assertThat(status.get("counts").get("crmRewards").asInt()).isEqualTo(1);
        assertThat(status.toString()).doesNotContainIgnoringCase("alice").doesNotContain(ALICE);

        // CRM: no mention, identity or reward of Alice; her Contact keeps no social data; Bob is untouched.
        assertThat(sandbox.count("SELECT COUNT() FROM Social_Mention__c WHERE Contact__c = '" + ALICE + "'")).isZero();
        assertThat(sandbox.count("SELECT COUNT() FROM Social_Identity__c WHERE Contact__c = '" + ALICE + "'")).isZero();
        assertThat(sandbox.count("SELECT COUNT() FROM Social_Reward__c WHERE Contact__c = '" + ALICE + "'")).isZero();
        // Issue 16 item 4: gone for good, not in the Recycle Bin (queryAll would see them there for 15 days)
        for (String object : List.of("Social_Mention__c", "Social_Identity__c", "Social_Reward__c")) {
            assertThat(sandbox.countAll("SELECT Id FROM " + object + " WHERE Contact__c = '" + ALICE + "'")).as(object).isZero();
        }
        JsonNode alice = sandbox.records("SELECT Social_Mentions_30d__c, Social_Last_Mention_At__c, Social_Sentiment__c,"
                + " Social_Influence__c, Social_Interests__c, Advocate__c, Advocate_Since__c, Advocate_Tier__c, Social_Points__c"
                + " FROM Contact WHERE Id = '" + ALICE + "'").get(0);
        for (String f : List.of("Social_Mentions_30d__c", "Social_Last_Mention_At__c", "Social_Sentiment__c", "Social_Influence__c",
                "Social_Interests__c", "Advocate_Since__c", "Advocate_Tier__c", "Social_Points__c")) {
            assertThat(alice.get(f).isNull()).as(f).isTrue();
        }
        assertThat(alice.get("Advocate__c").asBoolean()).isFalse();
        assertThat(sandbox.count("SELECT COUNT() FROM Social_Mention__c WHERE External_Id__c = 'x:7003'")).isEqualTo(1);
        assertThat(sandbox.count("SELECT COUNT() FROM Social_Identity__c WHERE Contact__c = '" + BOB + "'")).isEqualTo(1);

        // Hub: no directory row, no mention-log row; the handles are suppressed as hashes; the audit record is there.
        assertThat(count("SELECT COUNT(*) FROM hearth_contact_directory WHERE contact_id = '" + ALICE + "'")).isZero();
        assertThat(count("SELECT COUNT(*) FROM hearth_mention_log WHERE contact_id = '" + ALICE + "' OR author_key IN ('"
                + AuthorKeys.of("x", "alice_a") + "')")).isZero();
        assertThat(count("SELECT COUNT(*) FROM hearth_suppressed_author WHERE author_key IN ('" + AuthorKeys.of("x", "alice_a")
                + "', '" + AuthorKeys.of("bluesky", "alice.bsky.social") + "')")).isEqualTo(2);
        List<Map<String, Object>> audit = jdbc.queryForList("SELECT * FROM hearth_privacy_audit WHERE reference = ?", erasureId);
        assertThat(audit).hasSize(1);
        assertThat(audit.get(0).get("ACTION")).isEqualTo("erasure");
        assertThat(audit.get(0).get("ACTOR")).isEqualTo("api");
        assertThat(audit.get(0).get("SUBJECT_KEY")).isEqualTo(PrivacyKeys.contact(ALICE));
        assertThat(audit.get(0).toString()).doesNotContainIgnoringCase("alice").doesNotContain(ALICE);
        assertThat(jdbc.queryForMap("SELECT contact_id, handle FROM hearth_erasure_request WHERE erasure_id = ?", erasureId).values())
                .containsOnlyNulls();

        // Later: Alice posts again; the mention is not linked (no Social_Mention__c, no directory match, no text kept).
        double consumed = consumed();
        ingest(tweets(tweet("7004", "alice_a", "@brand hello again")));
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT COUNT(*) FROM hearth_mention_log WHERE mention_id = 'x:7004'") == 1);
        Map<String, Object> row = jdbc.queryForMap("SELECT contact_id, handle, text FROM hearth_mention_log WHERE mention_id = 'x:7004'");
        assertThat(row.values()).containsOnlyNulls();
        // Commands still queued for Alice from before the erasure are dropped by the writer, not written.
        send(List.of(CrmCommand.update("Contact", ALICE, Map.of("Social_Mentions_30d__c", 5)),
                CrmCommand.upsert("Social_Mention__c", "External_Id__c", "x:7005", Map.of("Contact__c", ALICE, "Channel__c", "x")),
                CrmCommand.upsert("Case", "Social_Conversation_Id__c", "case:x:6990", Map.of("ContactId", ALICE,
                        "Subject", "Social complaint on x: my order never came"))));
        awaitConsumed(consumed, 3, Duration.ofSeconds(20));
        assertThat(sandbox.records("SELECT Subject FROM Case WHERE Social_Conversation_Id__c = 'case:x:6990'").get(0)
                .get("Subject").asText()).as("a queued Case upsert of hers is dropped").isEqualTo("Social case (personal data erased)");
        assertThat(sandbox.count("SELECT COUNT() FROM Social_Mention__c WHERE External_Id__c IN ('x:7004', 'x:7005')")).isZero();
        assertThat(sandbox.records("SELECT Social_Mentions_30d__c FROM Contact WHERE Id = '" + ALICE + "'").get(0)
                .get("Social_Mentions_30d__c").isNull()).isTrue();
    }

    @Test
    @Order(2)
    void erasureOfAnUnlinkedHandlePurgesItsMentionLogAndSuppressesIt() throws Exception {
        ingest(tweets(tweet("7101", "stranger_z", "@brand who are you")));
        String key = AuthorKeys.of("x", "stranger_z");
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT COUNT(*) FROM hearth_mention_log WHERE author_key = '" + key + "'") == 1);
        // Accepted while the job is stopped (as if the hub went down): the stored request is picked up when it runs again.
        camel.getRouteController().stopRoute("job-erasure");
        HttpResponse<String> accepted = post("/api/erasure", "{\"channel\":\"x\",\"handle\":\"@Stranger_Z\"}");
        assertThat(accepted.statusCode()).isEqualTo(202);
        String erasureId = SandboxClient.JSON.readTree(accepted.body()).get("erasureId").asText();
        // the thing under test is a window: pending at every look for 700 ms (the job's interval is 300 ms)
        await().during(Duration.ofMillis(700)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(
                () -> SandboxClient.JSON.readTree(get("/api/erasure/" + erasureId).body()).get("status").asText().equals("pending"));
        assertThat(jdbc.queryForObject("SELECT status FROM hearth_erasure_request WHERE erasure_id = ?", String.class, erasureId))
                .isEqualTo("pending");
        camel.getRouteController().startRoute("job-erasure");
        JsonNode status = awaitDone(erasureId);
        assertThat(status.get("counts").get("mentionLogRows").asInt()).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM hearth_mention_log WHERE author_key = '" + key + "'")).isZero();
        assertThat(count("SELECT COUNT(*) FROM hearth_suppressed_author WHERE author_key = '" + key + "'")).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM hearth_privacy_audit WHERE action = 'erasure' AND subject_kind = 'handle'"
                + " AND subject_key = '" + key + "'")).isEqualTo(1);

        assertThat(post("/api/erasure", "{\"contactId\":\"nope\"}").statusCode()).isEqualTo(400);
        assertThat(post("/api/erasure", "{}").statusCode()).isEqualTo(400);
        assertThat(api().as(null).post("/api/erasure", "{\"contactId\":\"" + BOB + "\"}").statusCode()).as("no API key")
                .isEqualTo(401);
        assertThat(get("/api/erasure/00000000-0000-0000-0000-000000000000").statusCode()).isEqualTo(404);
    }

    @Test
    @Order(3)
    void anXDeleteEventRemovesTheMentionFromTheHubAndTheCrm() throws Exception {
        ingest(tweets(tweet("7201", "bob_b", "@brand a post I will regret")));
        await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.count("SELECT COUNT() FROM Social_Mention__c WHERE External_Id__c = 'x:7201'") == 1);
        await().atMost(Duration.ofSeconds(10)).until(() -> sandbox.records("SELECT Social_Mentions_30d__c FROM Contact WHERE Id = '"
                + BOB + "'").get(0).path("Social_Mentions_30d__c").asInt() == 2);
        ingest("{\"for_user_id\":\"1\",\"tweet_delete_events\":[{\"status\":{\"id\":\"7201\",\"user_id\":\"22\"},"
                + "\"timestamp_ms\":\"" + System.currentTimeMillis() + "\"}]}");
        await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.count("SELECT COUNT() FROM Social_Mention__c WHERE External_Id__c = 'x:7201'") == 0);
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT COUNT(*) FROM hearth_mention_log WHERE mention_id = 'x:7201'") == 0);
        // the audit row is written last, just after the purge
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT COUNT(*) FROM hearth_privacy_audit WHERE action = 'post-deletion'"
                + " AND actor = 'channel:x-activity' AND subject_key = '" + PrivacyKeys.post("x:7201") + "'") == 1);
        assertThat(sandbox.count("SELECT COUNT() FROM Social_Mention__c WHERE External_Id__c = 'x:7003'")).as("other posts stay").isEqualTo(1);
        await("Bob's aggregates without the deleted post").atMost(Duration.ofSeconds(20)).until(() -> sandbox.records(
                "SELECT Social_Mentions_30d__c FROM Contact WHERE Id = '" + BOB + "'").get(0).path("Social_Mentions_30d__c").asInt() == 1);

        // A deletion arriving before the post itself: the late create is neither kept nor written.
        HttpResponse<String> r = api().delete("/api/mentions/x:7202");
        assertThat(r.statusCode()).isEqualTo(202);
        ingest(tweets(tweet("7202", "bob_b", "@brand deleted already"), tweet("7203", "bob_b", "@brand kept")));
        await().atMost(Duration.ofSeconds(30)).until(() -> sandbox.count("SELECT COUNT() FROM Social_Mention__c WHERE External_Id__c = 'x:7203'") == 1);
        assertThat(sandbox.count("SELECT COUNT() FROM Social_Mention__c WHERE External_Id__c = 'x:7202'")).isZero();
        assertThat(jdbc.queryForList("SELECT text FROM hearth_mention_log WHERE mention_id = 'x:7202'", String.class))
                .allMatch(t -> t == null);
    }

    @Test
    @Order(4)
    void retentionPurgesOldRawTextAndHandlesOnly() throws Exception {
        ingest(tweets(tweet("7301", "passer_by", "@brand old news")));
        await().atMost(Duration.ofSeconds(20)).until(() -> count("SELECT COUNT(*) FROM hearth_mention_log WHERE mention_id = 'x:7301'") == 1);
        // two ticks of the job done after the row exists (the first may have started before it): a fresh row is not purged
        NotifyBuilder ticks = new NotifyBuilder(camel).fromRoute("job-retention").whenDone(2).create();
        assertThat(ticks.matches(10, TimeUnit.SECONDS)).as("job-retention ran").isTrue();
        assertThat(jdbc.queryForObject("SELECT text FROM hearth_mention_log WHERE mention_id = 'x:7301'", String.class)).isEqualTo("@brand old news");

        CLOCK.offset = Duration.ofDays(31);
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc.queryForMap(
                "SELECT text_purged_at FROM hearth_mention_log WHERE mention_id = 'x:7301'").get("TEXT_PURGED_AT") != null);
        Map<String, Object> row = jdbc.queryForMap("SELECT handle, text, author_key, sentiment FROM hearth_mention_log WHERE mention_id = 'x:7301'");
        assertThat(row.get("HANDLE")).isNull();
        assertThat(row.get("TEXT")).isNull();
        assertThat(row.get("AUTHOR_KEY")).as("the pseudonym stays for counts").isEqualTo(AuthorKeys.of("x", "passer_by"));
        assertThat(count("SELECT COUNT(*) FROM hearth_mention_log WHERE text IS NOT NULL")).isZero();
        assertThat(count("SELECT COUNT(*) FROM hearth_privacy_audit WHERE action = 'retention'")).isPositive();
    }

    @Test
    @Order(5)
    void aRecordTheIntegrationUserMayNotPurgeFailsTheErasureWithTheReasonAndWhatToDo() throws Exception {
        // Bob's identity was created by staff (seeded: another owner); without Modify All the org refuses to delete it.
        Path noModifyAll = dataDir.resolve("no-modify-all.permissionset-meta.xml");
        Path shipped = Path.of("salesforce/force-app/main/default/permissionsets/Hearth_Integration.permissionset-meta.xml");
        Files.writeString(noModifyAll, Files.readString(shipped).replace("<modifyAllRecords>true</modifyAllRecords>",
                "<modifyAllRecords>false</modifyAllRecords>"));
        sandboxServer.restrictTo(noModifyAll);
        try {
            HttpResponse<String> accepted = post("/api/erasure", "{\"contactId\":\"" + BOB + "\"}");
            String erasureId = SandboxClient.JSON.readTree(accepted.body()).get("erasureId").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> SandboxClient.JSON.readTree(get("/api/erasure/" + erasureId).body())
                    .path("status").asText().equals("failed"));
            JsonNode status = SandboxClient.JSON.readTree(get("/api/erasure/" + erasureId).body());
            assertThat(status.get("lastError").asText()).contains("INSUFFICIENT_ACCESS_OR_READONLY", "Modify All", "Operator");
            assertThat(status.get("attempts").asInt()).as("refusals are not retried for ever").isLessThanOrEqualTo(10);
            assertThat(sandbox.count("SELECT COUNT() FROM Social_Identity__c WHERE Contact__c = '" + BOB + "'")).isEqualTo(1);
        } finally {
            sandboxServer.restrictTo(shipped.toAbsolutePath());
        }
    }

    @Autowired
    io.hearth.sandbox.SalesforceSandbox sandboxServer;

    private JsonNode awaitDone(String erasureId) throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            String s = SandboxClient.JSON.readTree(get("/api/erasure/" + erasureId).body()).path("status").asText();
            assertThat(s).isNotEqualTo("failed");
            return s.equals("done");
        });
        JsonNode status = SandboxClient.JSON.readTree(get("/api/erasure/" + erasureId).body());
        assertThat(status.get("finishedAt").isNull()).isFalse();
        return status;
    }

    private long count(String sql) {
        Long n = jdbc.queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }

    private static String tweets(String... tweets) {
        return "{\"for_user_id\":\"1\",\"tweet_create_events\":[" + String.join(",", tweets) + "]}";
    }

    private static String tweet(String id, String handle, String text) {
        return "{\"id_str\":\"" + id + "\",\"created_at\":\"" + X_TIME.format(Instant.now().minusSeconds(60)) + "\",\"text\":\""
                + text + "\",\"lang\":\"en\",\"user\":{\"id_str\":\"u-" + handle + "\",\"screen_name\":\"" + handle
                + "\",\"name\":\"N\",\"followers_count\":10}}";
    }

    private void ingest(String payload) throws Exception {
        HttpResponse<String> r = post("/api/ingest/x-activity", payload);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    private HubHttp api() {
        return HubHttp.at(port, KEY);
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return api().post(path, body);
    }

    private HttpResponse<String> get(String path) throws Exception {
        return api().get(path);
    }
}
