package io.hearth.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.crm.SandboxClient;
import io.hearth.crm.salesforce.Soql;
import io.hearth.queue.BrokerConfiguration;
import io.hearth.support.HubHttp;
import io.hearth.support.MutableClock;
import io.hearth.support.QueueProbe;
import io.hearth.crm.CrmWriterControl;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
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
 * Issue 6, acceptance 1 (verified linking), 2 (consent gate) and 5 (log hygiene), end to end: HTTP into the hub
 * (POST /api/links, POST /api/ingest/mention), the whole pipeline with the CRM writer on, the built-in sandbox as the
 * CRM, checked with SOQL against the sandbox and SQL against the state database. Time is a clock the test moves.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@DirtiesContext
class IdentityAcceptanceIT {

    static final String KEY = "hk-identity-test-Qv93xT";
    static final String C1 = "003000000000001AAA";   // consents, loyalty number HL-0001
    static final String C2 = "003000000000002AAA";   // consents, loyalty number HL-0002
    static final String QUIET = "003000000000003AAA"; // never consented; identity x:quiet_quokka
    static final String LOUD = "003000000000004AAA";  // consents; identity x:loud_lark
    static final int MAX_WRONG = 3;

    @TempDir
    static Path dataDir;
    static final int SANDBOX_PORT = SandboxClient.freePort();
    static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
    /** Everything the scenario sends that must never reach a log line at INFO or above. */
    static final List<String> SECRETS = new ArrayList<>(List.of(KEY));

    @TestConfiguration
    static class Clocks {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock();
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        Path seed = dataDir.resolve("seed.json");
        Files.writeString(seed, """
                {"Contact": [
                  {"Id": "003000000000001AAA", "LastName": "Ng", "Social_Consent__c": true, "Loyalty_Number__c": "HL-0001"},
                  {"Id": "003000000000002AAA", "LastName": "Sam", "Social_Consent__c": true, "Loyalty_Number__c": "HL-0002"},
                  {"Id": "003000000000003AAA", "LastName": "Quiet", "Social_Consent__c": false},
                  {"Id": "003000000000004AAA", "LastName": "Loud", "Social_Consent__c": true}],
                 "Social_Identity__c": [
                  {"Contact__c": "003000000000003AAA", "Channel__c": "x", "Handle__c": "Quiet_Quokka", "External_Id__c": "x:quiet_quokka"},
                  {"Contact__c": "003000000000004AAA", "Channel__c": "x", "Handle__c": "Loud_Lark", "External_Id__c": "x:loud_lark"}]}
                """);
        registry.add("hearth.data-dir", dataDir::toString);
        registry.add("hearth.api-key", () -> KEY);
        registry.add("hearth.sources.inbox.enabled", () -> "false");
        registry.add("hearth.sandbox.port", () -> String.valueOf(SANDBOX_PORT));
        registry.add("hearth.sandbox.seed", seed::toString);
        registry.add("hearth.crm.writer.enabled", () -> "true");
        registry.add("hearth.crm.writer.batch-window", () -> "50");
        registry.add("hearth.linking.code-ttl", () -> "10m");
        registry.add("hearth.linking.max-wrong-codes", () -> String.valueOf(MAX_WRONG));
        registry.add("hearth.linking.lockout-window", () -> "1h");
    }

    @AfterAll
    static void cleanUp() {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
    }

    @LocalServerPort
    int port;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MutableClock clock;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    DirectoryStore directoryStore;
    @Autowired
    CamelContext camel;
    @Autowired
    BrokerConfiguration.EmbeddedBroker broker;

    final SandboxClient sandbox = new SandboxClient(SANDBOX_PORT);
    final ObjectMapper json = new ObjectMapper();

    @BeforeEach
    void captureLogs() {
        // After the context started (Spring Boot sets logging up anew then), once for the whole class.
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (!LOGS.isStarted()) {
            LOGS.start();
            root.addAppender(LOGS);
        }
    }

    // ---- acceptance 1: linking --------------------------------------------------------------------------------------

    @Test
    @Order(1)
    void aCodePostedByTheAuthorLinksThemAndTheirMentionsEnrichTheContact() throws Exception {
        JsonNode link = issue(Map.of("loyaltyNumber", "HL-0001", "channel", "x"));
        String code = link.get("code").asText();
        SECRETS.add(code);
        assertThat(code).matches("HEARTH-[A-Z2-9]{10}");
        assertThat(link.get("text").asText()).contains(code);
        assertThat(Instant.parse(link.get("expiresAt").asText())).isAfter(clock.instant().plus(Duration.ofMinutes(9)));
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hearth_link_code WHERE code_hash = ?", Integer.class,
                code)).as("codes are stored hashed, never in clear").isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hearth_link_code WHERE code_hash = ?", Integer.class,
                io.hearth.identity.linking.LinkCodes.hash(code))).isEqualTo(1);

        String text = "Zanzibar lounge blueberry! " + code.toLowerCase();
        SECRETS.add("Zanzibar lounge blueberry");
        SECRETS.add("LinkFan_Zq7");
        SECRETS.add("linkfan_zq7");
        ingest(mention("link-1", "@LinkFan_Zq7", text));

        JsonNode identity = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> first("SELECT Contact__c, Channel__c, Handle__c, Verified__c FROM Social_Identity__c"
                        + " WHERE External_Id__c = 'x:linkfan_zq7'"), r -> r != null);
        assertThat(identity.get("Contact__c").asText()).isEqualTo(C1);
        assertThat(identity.get("Verified__c").asBoolean()).isTrue();
        assertThat(identity.get("Channel__c").asText()).isEqualTo("x");
        // The linking mention itself already enriches the contact (C1 consents).
        JsonNode first = awaitRecord("SELECT Contact__c FROM Social_Mention__c WHERE External_Id__c = 'x:link-1'");
        assertThat(first.get("Contact__c").asText()).isEqualTo(C1);

        // H's later mentions enrich that contact.
        ingest(mention("link-2", "linkfan_zq7", "Zanzibar lounge blueberry again, great service"));
        JsonNode later = awaitRecord("SELECT Contact__c FROM Social_Mention__c WHERE External_Id__c = 'x:link-2'");
        assertThat(later.get("Contact__c").asText()).isEqualTo(C1);
        await().atMost(Duration.ofSeconds(30)).until(() -> first("SELECT Social_Mentions_30d__c FROM Contact WHERE Id = '" + C1 + "'")
                .path("Social_Mentions_30d__c").asInt() == 2);

        // The directory sync's full load after the CRM has the identity: the CRM's record replaces the hub's own row.
        producer.requestBody("direct:job-directory-sync", (Object) null);
        List<Map<String, Object>> rows = jdbc.queryForList(
                "SELECT identity_id, contact_id, verified, linked_at FROM hearth_contact_directory WHERE channel = 'x' AND handle = 'linkfan_zq7'");
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).get("CONTACT_ID")).isEqualTo(C1);
        assertThat(rows.get(0).get("LINKED_AT")).as("now the CRM's record").isNull();
        assertThat((String) rows.get(0).get("IDENTITY_ID")).doesNotStartWith("hub-");

        // The reused code links nobody else.
        ingest(mention("reuse-1", "copycat_cat", "me too " + code));
        assertNotLinked("x:reuse-1", "copycat_cat");
    }

    @Test
    @Order(2)
    void expiredWrongAndLockedOutCodesAndLoyaltyNumbersLinkNothing() throws Exception {
        // Expired: the clock passes the code's ten minutes.
        String expired = issue(Map.of("contactId", C2, "channel", "x")).get("code").asText();
        SECRETS.add(expired);
        clock.advance(Duration.ofMinutes(11));
        ingest(mention("late-1", "late_lemur", "here it is " + expired));
        assertNotLinked("x:late-1", "late_lemur");

        // Someone else's loyalty number, no code: the "post your member number" contest.
        ingest(mention("contest-1", "contest_crow", "My member number is HL-0001, please link me! #contest"));
        assertNotLinked("x:contest-1", "contest_crow");

        // Wrong codes, then lock-out: even the right code links nothing.
        for (int i = 0; i < MAX_WRONG; i++) {
            ingest(mention("guess-" + i, "guess_gecko", "HEARTH-AAAAAAAA" + (char) ('A' + i) + "2"));
            assertNotLinked("x:guess-" + i, "guess_gecko");
        }
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hearth_link_failure", Integer.class)).isGreaterThanOrEqualTo(MAX_WRONG);
        String right = issue(Map.of("contactId", C2, "channel", "x")).get("code").asText();
        SECRETS.add(right);
        ingest(mention("guess-right", "guess_gecko", "finally " + right));
        assertNotLinked("x:guess-right", "guess_gecko");

        // A code for another channel does not link on this one.
        String mastodon = issue(Map.of("contactId", C2, "channel", "mastodon")).get("code").asText();
        SECRETS.add(mastodon);
        ingest(mention("other-channel", "channel_hopper", mastodon));
        assertNotLinked("x:other-channel", "channel_hopper");

        // The code the locked-out author could not use is still good for its member (locked attempts consume nothing).
        ingest(mention("member-2", "sam_member", "linking " + right));
        JsonNode identity = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> first("SELECT Contact__c FROM Social_Identity__c WHERE External_Id__c = 'x:sam_member'"), r -> r != null);
        assertThat(identity.get("Contact__c").asText()).isEqualTo(C2);
        // Only the two real links ever reached the CRM.
        assertThat(sandbox.count("SELECT COUNT() FROM Social_Identity__c WHERE Verified__c = true")).isEqualTo(2);
    }

    /** Issue 10: a code issued for a named handle links only that handle; another handle posting it is a wrong try. */
    @Test
    @Order(4)
    void aCodeBoundToAHandleLinksOnlyThatHandle() throws Exception {
        JsonNode link = issue(Map.of("contactId", C1, "channel", "x", "handle", "@Bound_Bison"));
        String code = link.get("code").asText();
        SECRETS.add(code);
        assertThat(link.get("handle").asText()).isEqualTo("bound_bison");

        ingest(mention("bound-1", "intruder_ibis", "first! " + code));
        assertNotLinked("x:bound-1", "intruder_ibis");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hearth_link_failure WHERE author_key = ?", Integer.class,
                io.hearth.identity.AuthorKeys.of("x", "intruder_ibis"))).as("a wrong try").isEqualTo(1);

        ingest(mention("bound-2", "Bound_Bison", "linking my account " + code));
        JsonNode identity = await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> first("SELECT Contact__c FROM Social_Identity__c WHERE External_Id__c = 'x:bound_bison'"), r -> r != null);
        assertThat(identity.get("Contact__c").asText()).isEqualTo(C1);
    }

    @Test
    @Order(3)
    void unknownContactsAndBadRequestsGetNoCode() throws Exception {
        assertThat(post("/api/links", "{\"contactId\": \"003000000000099AAA\", \"channel\": \"x\"}", KEY).statusCode()).isEqualTo(404);
        assertThat(post("/api/links", "{\"loyaltyNumber\": \"HL-9999' OR Name != '\", \"channel\": \"x\"}", KEY).statusCode())
                .as("SOQL injection finds nobody").isEqualTo(404);
        assertThat(post("/api/links", "{\"channel\": \"x\"}", KEY).statusCode()).isEqualTo(400);
        assertThat(post("/api/links", "{\"contactId\": \"" + C1 + "\", \"channel\": \"x\"}", null).statusCode()).isEqualTo(401);
    }

    @Test
    @Order(31)
    void aContactsOpenCodesAreLimited() throws Exception {
        String request = "{\"contactId\": \"" + LOUD + "\", \"channel\": \"bluesky\"}";
        for (int i = 0; i < 5; i++) {
            assertThat(post("/api/links", request, KEY).statusCode()).as("code %d", i + 1).isEqualTo(201);
        }
        HttpResponse<String> sixth = post("/api/links", request, KEY);
        assertThat(sixth.statusCode()).isEqualTo(429);
        assertThat(sixth.body()).contains("too_many_codes");
        assertThat(Long.parseLong(sixth.headers().firstValue("Retry-After").orElseThrow())).isBetween(1L, 600L);
        clock.advance(Duration.ofMinutes(11));   // the five expire (ten minutes here)
        assertThat(post("/api/links", request, KEY).statusCode()).isEqualTo(201);
    }

    @Test
    @Order(4)
    void unlinkingRemovesTheIdentityFromDirectoryAndCrm() throws Exception {
        HttpResponse<String> r = delete("/api/links/x/@LinkFan_Zq7");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(sandbox.count("SELECT COUNT() FROM Social_Identity__c WHERE External_Id__c = 'x:linkfan_zq7'")).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hearth_contact_directory WHERE handle = 'linkfan_zq7'", Integer.class)).isZero();
        ingest(mention("after-unlink", "LinkFan_Zq7", "Zanzibar lounge blueberry once more"));
        awaitLogged("x:after-unlink");
        assertThat(jdbc.queryForObject("SELECT contact_id FROM hearth_mention_log WHERE mention_id = 'x:after-unlink'", String.class))
                .as("no longer matched").isNull();
        HttpResponse<String> again = delete("/api/links/x/linkfan_zq7");
        assertThat(again.statusCode()).isEqualTo(404);
    }

    @Test
    @Order(41)
    void unlinkingALinkStillOnItsWayToTheCrmAsksToRetry() throws Exception {
        camel.getRouteController().stopRoute(CrmWriterControl.ROUTE_ID);
        String code;
        try {
            code = issue(Map.of("contactId", C1, "channel", "x")).get("code").asText();
            SECRETS.add(code);
            ingest(mention("pending-1", "pending_pika", "linking " + code));
            awaitLogged("x:pending-1");
            HttpResponse<String> early = delete("/api/links/x/pending_pika");
            assertThat(early.statusCode()).as(early.body()).isEqualTo(409);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hearth_contact_directory WHERE handle = 'pending_pika'",
                    Integer.class)).as("nothing removed").isEqualTo(1);
        } finally {
            camel.getRouteController().startRoute(CrmWriterControl.ROUTE_ID);
        }
        awaitRecord("SELECT Id FROM Social_Identity__c WHERE External_Id__c = 'x:pending_pika'");
        assertThat(delete("/api/links/x/pending_pika").statusCode()).isEqualTo(200);
        assertThat(sandbox.count("SELECT COUNT() FROM Social_Identity__c WHERE External_Id__c = 'x:pending_pika'")).isZero();
    }

    HttpResponse<String> delete(String path) throws Exception {
        return HubHttp.at(port, KEY).delete(path);
    }

    @Test
    @Order(5)
    void aFullLoadKeepsAFreshLinkTheCrmDoesNotShowYet() {
        directoryStore.insertLinked(new ContactDirectory.Entry("hub-pendingpending", "x", "pending_puffin", "pending_puffin",
                "x:pending_puffin", C1, true, true, clock.instant()));
        producer.requestBody("direct:job-directory-sync", (Object) null);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hearth_contact_directory WHERE handle = 'pending_puffin'", Integer.class))
                .as("kept through the grace period").isEqualTo(1);
        clock.advance(Duration.ofHours(25));
        producer.requestBody("direct:job-directory-sync", (Object) null);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hearth_contact_directory WHERE handle = 'pending_puffin'", Integer.class))
                .as("dropped once the grace period is over and the CRM never got it").isZero();
    }

    // ---- acceptance 2: consent ----------------------------------------------------------------------------------------

    @Test
    @Order(6)
    void onlyTheConsentingContactIsEnriched() throws Exception {
        producer.requestBody("direct:job-directory-sync", (Object) null);   // the seeded identities into the directory
        ingest("[" + mention("quiet-1", "Quiet_Quokka", "Loving the new lounge, thank you!") + ","
                + mention("loud-1", "@loud_lark", "Loving the new lounge, thank you!") + "]");
        JsonNode loud = awaitRecord("SELECT Contact__c FROM Social_Mention__c WHERE External_Id__c = 'x:loud-1'");
        assertThat(loud.get("Contact__c").asText()).isEqualTo(LOUD);
        await().atMost(Duration.ofSeconds(30)).until(() -> first("SELECT Social_Mentions_30d__c FROM Contact WHERE Id = '" + LOUD + "'")
                .path("Social_Mentions_30d__c").asInt() == 1);
        awaitLogged("x:quiet-1");
        Map<String, Object> quietLog = jdbc.queryForMap("SELECT contact_id, consent FROM hearth_mention_log WHERE mention_id = 'x:quiet-1'");
        assertThat(quietLog.get("CONTACT_ID")).as("matched...").isEqualTo(QUIET);
        assertThat(quietLog.get("CONSENT")).as("...but not consenting").isEqualTo(false);
        assertThat(sandbox.count("SELECT COUNT() FROM Social_Mention__c WHERE External_Id__c = 'x:quiet-1'")).isZero();
        assertThat(sandbox.count("SELECT COUNT() FROM Social_Mention__c WHERE Contact__c = '" + QUIET + "'")).isZero();
        JsonNode quiet = first("SELECT Social_Mentions_30d__c, Social_Last_Mention_At__c, Social_Sentiment__c FROM Contact WHERE Id = '" + QUIET + "'");
        assertThat(quiet.path("Social_Mentions_30d__c").isNull() || quiet.path("Social_Mentions_30d__c").isMissingNode()).isTrue();
        assertThat(quiet.path("Social_Last_Mention_At__c").isNull()).isTrue();
    }

    // ---- acceptance 5: log hygiene ---------------------------------------------------------------------------------

    @Test
    @Order(7)
    void noTokenHandleOrPostTextInTheLogsAtInfoOrAbove() throws Exception {
        // A message the enrich stage cannot read: the parser's error quotes the post text, the stage retries it and
        // dead-letters it. None of that may reach the log at INFO or above.
        SECRETS.add("QuixoticPorcupineMarmalade");
        int dlq = QueueProbe.of(broker).browse("DLQ.social.mentions").size();
        producer.sendBody("queue:social.mentions", "{\"schema\":\"hearth.mention/v1\",\"channel\":\"x\",\"text\": QuixoticPorcupineMarmalade}");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> QueueProbe.of(broker).browse("DLQ.social.mentions").size() > dlq);

        List<String> lines = new ArrayList<>();
        for (ILoggingEvent e : List.copyOf(LOGS.list)) {
            if (e.getLevel().isGreaterOrEqual(Level.INFO)) {
                StringBuilder line = new StringBuilder(e.getLoggerName()).append(' ').append(e.getFormattedMessage());
                for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
                    line.append(' ').append(t.getMessage());
                }
                lines.add(line.toString());
            }
        }
        assertThat(lines).as("the scenario logged at INFO").anyMatch(l -> l.contains("Linking: author"));
        for (String secret : SECRETS) {
            assertThat(lines).as("log lines carrying '%s'", secret)
                    .noneMatch(l -> l.toLowerCase().contains(secret.toLowerCase()));
        }
        for (String handle : List.of("pending_pika", "copycat_cat", "late_lemur", "bound_bison", "intruder_ibis", "contest_crow", "guess_gecko", "sam_member", "quiet_quokka", "loud_lark")) {
            assertThat(lines).noneMatch(l -> l.toLowerCase().contains(handle));
        }
    }

    // ---- helpers ------------------------------------------------------------------------------------------------------

    JsonNode issue(Map<String, String> request) throws Exception {
        HttpResponse<String> r = post("/api/links", json.writeValueAsString(request), KEY);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json.readTree(r.body());
    }

    HttpResponse<String> post(String path, String body, String key) throws Exception {
        return HubHttp.at(port, key).post(path, body);
    }

    void ingest(String payload) throws Exception {
        HttpResponse<String> r = post("/api/ingest/mention", payload, KEY);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    String mention(String nativeId, String handle, String text) throws Exception {
        return "{\"schema\":\"hearth.mention/v1\",\"channel\":\"x\",\"nativeId\":\"" + nativeId + "\",\"kind\":\"post\",\"text\":"
                + json.writeValueAsString(text) + ",\"lang\":\"en\",\"createdAt\":\"" + clock.instant() + "\",\"author\":{\"handle\":"
                + json.writeValueAsString(handle) + ",\"followers\":42}}";
    }

    JsonNode first(String soql) throws Exception {
        List<JsonNode> records = sandbox.records(soql);
        return records.isEmpty() ? null : records.get(0);
    }

    JsonNode awaitRecord(String soql) {
        return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> first(soql), r -> r != null);
    }

    void awaitLogged(String mentionId) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> jdbc.queryForObject(
                "SELECT COUNT(*) FROM hearth_mention_log WHERE mention_id = ?", Integer.class, mentionId) == 1);
    }

    /** The mention went through the enrich stage (it is in the mention log) and linked nobody, here or in the CRM. */
    void assertNotLinked(String mentionId, String handle) throws Exception {
        awaitLogged(mentionId);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hearth_contact_directory WHERE handle = ?", Integer.class, handle))
                .as("directory rows of %s", handle).isZero();
        assertThat(jdbc.queryForObject("SELECT contact_id FROM hearth_mention_log WHERE mention_id = ?", String.class, mentionId))
                .as("matched contact of %s", mentionId).isNull();
        assertThat(sandbox.count(Soql.select("Id").from("Social_Identity__c").where("External_Id__c", "=", "x:" + handle).build()))
                .isZero();
    }
}
