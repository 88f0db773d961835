package io.hearth.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.enrich.MentionLog;
import io.hearth.identity.ContactDirectory;
import io.hearth.support.QueueProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 3, acceptance 1 and 2 end to end: mentions posted to the ingest API travel social.inbound → normalise →
 * social.mentions → enrich (directory match, scores, mention log) → crm.outbound → the writer → the sandbox over HTTP.
 * 1,000 mentions of 300 consenting contacts become exactly 1,000 Social_Mention__c with each contact's aggregates right,
 * in at most 1.25 × the minimum API calls; a non-consenting contact's and unknown authors' mentions write nothing; a
 * replay writes nothing new. Issue 10: the mentions are posted the moment health first answers, before the first
 * directory sync: health is not UP and the enrich stage holds them until the directory is there, so all land.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
@DirtiesContext
class EnrichToCrmAcceptanceIT extends CrmHub {

    static final int SANDBOX_PORT = SandboxClient.freePort();
    static final int CONTACTS = 300;
    static final int MENTIONS = 1000;
    static final String KEY = "crm-writer-test-key";
    /** Mentions are dated relative to now: most within the last 30 days, every 7th 40 days ago (outside the window). */
    static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        knownContactsHub(registry, dataDir, SANDBOX_PORT, CONTACTS, 1);
        // The first sync comes some seconds after the start (in production 5 s after Camel starts, ~10 s after health
        // first answers); here late enough that the test's context has started and its mentions are all posted
        // before that sync has run (the timer counts from Camel's start, before the test method runs).
        registry.add("hearth.directory.initial-delay", () -> "15000");
    }

    @LocalServerPort
    int port;
    @Autowired
    ContactDirectory directory;
    @Autowired
    MentionLog mentionLog;

    final SandboxClient sandbox = new SandboxClient(SANDBOX_PORT);
    final HttpClient http = io.hearth.support.TestHttp.client();

    @Test
    void mentionsOfKnownConsentingAuthorsBecomeSocialMentionsAndAggregates() throws Exception {
        // Issue 10: the traffic is posted the moment health first answers, whatever it answers (a new user's start):
        // the hub must hold it until it can recognise the authors (the first directory sync), not judge it as unknown.
        HttpResponse<String> firstHealth = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .ignoreExceptions().until(() -> http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/actuator/health")).GET().build(),
                        HttpResponse.BodyHandlers.ofString()), r -> r != null);
        long entriesAtFirstHealth = directory.size();
        System.out.printf("Enrich to CRM: health first answered %d %s; directory has %d entries%n",
                firstHealth.statusCode(), firstHealth.body(), entriesAtFirstHealth);
        if (entriesAtFirstHealth == 0) {
            // Readiness tells the truth: without a directory the hub is not UP (503 OUT_OF_SERVICE), nor ready.
            assertThat(firstHealth.statusCode()).as(firstHealth.body()).isEqualTo(503);
            assertThat(firstHealth.body()).contains("OUT_OF_SERVICE");
            assertThat(health("/actuator/health/readiness").statusCode()).isEqualTo(503);
        }

        // The writer waits while the stages turn 1,000 mentions into commands: it then finds a backlog, the case in
        // which the call count can be compared with the minimum (a trickle is measured by the benchmark).
        camel.getRouteController().stopRoute(CrmWriterControl.ROUTE_ID);
        List<String> lines = new ArrayList<>();
        Map<Integer, List<Instant>> byContact = new TreeMap<>();
        for (int i = 0; i < MENTIONS; i++) {
            int contact = i % CONTACTS + 1;
            Instant at = NOW.minus(i % 7 == 0 ? 40 : i % 20, ChronoUnit.DAYS).minusSeconds(i);
            byContact.computeIfAbsent(contact, c -> new ArrayList<>()).add(at);
            String text = i % 3 == 0 ? "Terrible delay again, really bad service #travel" : "I love the new app, great service #travel";
            lines.add(mention("e2e-" + i, "fan" + contact, text, at));
        }
        lines.add(mention("refusing-1", "fan" + (CONTACTS + 1), "great, love it", NOW));
        lines.add(mention("stranger-1", "someone_else", "great, love it", NOW));
        lines.add(mention("stranger-2", "another_one", "awful", NOW));
        long logBefore = mentionLog.size();
        for (int from = 0; from < lines.size(); from += 250) {
            HttpResponse<String> r = post(String.join("\n", lines.subList(from, Math.min(lines.size(), from + 250))));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        }
        await().atMost(Duration.ofSeconds(90)).until(() -> mentionLog.size() == logBefore + lines.size());
        // (the overall status is not looked at here: the test stopped the writer's route, which Camel's check reports)
        assertThat(health("/actuator/health/readiness").statusCode()).as("ready once the directory is synced").isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> QueueProbe.of(broker).browse("crm.outbound").size() == 2 * MENTIONS);

        long usageBefore = sandbox.apiUsage();
        double consumedBefore = consumed();
        camel.getRouteController().startRoute(CrmWriterControl.ROUTE_ID);
        awaitConsumed(consumedBefore, 2 * MENTIONS, Duration.ofSeconds(90));
        long calls = sandbox.apiUsage() - usageBefore;
        int minimum = (int) (Math.ceil(MENTIONS / 200.0) + Math.ceil(CONTACTS / 200.0));
        System.out.printf("Enrich to CRM: %d mentions of %d contacts -> %d API calls (minimum %d)%n", MENTIONS, CONTACTS,
                calls, minimum);
        assertThat(calls).as("API calls against the minimum %d", minimum).isLessThanOrEqualTo((long) Math.floor(1.25 * minimum));

        assertThat(sandbox.count("SELECT COUNT() FROM Social_Mention__c WHERE External_Id__c LIKE 'x:e2e-%'")).isEqualTo(MENTIONS);
        assertThat(sandbox.count("SELECT COUNT() FROM Social_Mention__c WHERE External_Id__c IN"
                + " ('x:refusing-1', 'x:stranger-1', 'x:stranger-2')")).as("no consent, unknown: nothing written").isZero();
        assertThat(deadLetters()).as("nothing dead-lettered").isEmpty();
        assertMentionRecords();
        assertAggregates(byContact);
        JsonNode refusing = sandbox.records("SELECT Social_Mentions_30d__c FROM Contact WHERE Id = '"
                + SandboxClient.contactId(CONTACTS + 1) + "'").get(0);
        assertThat(refusing.get("Social_Mentions_30d__c").isNull()).as("the refusing contact is not enriched").isTrue();

        // Acceptance 2: the same input again: the stages drop every mention, nothing new reaches the org.
        long replayUsage = sandbox.apiUsage();
        // Waits on the consumed counters, not on browsers (they do not show prefetched or in-transaction messages):
        // the normalise stage has committed every replayed payload; what it forwarded went with that commit.
        double inboundBefore = QueueProbe.consumed(meters, "social.inbound");
        double mentionsBefore = QueueProbe.consumed(meters, "social.mentions");
        double outboundBefore = consumed();
        int payloads = 0;
        for (int from = 0; from < lines.size(); from += 250) {
            assertThat(post(String.join("\n", lines.subList(from, Math.min(lines.size(), from + 250)))).statusCode()).isEqualTo(202);
            payloads++;
        }
        int replayed = payloads;
        await().atMost(Duration.ofSeconds(60)).until(() -> QueueProbe.consumed(meters, "social.inbound") >= inboundBefore + replayed);
        // the counts are asked of the broker now, not of QueueDepths's 1 s cache
        assertThat(QueueProbe.messageCount(broker, "social.mentions")).as("nothing forwarded by the replay").isZero();
        assertThat(QueueProbe.consumed(meters, "social.mentions")).isEqualTo(mentionsBefore);
        assertThat(QueueProbe.messageCount(broker, "crm.outbound")).isZero();
        assertThat(consumed()).isEqualTo(outboundBefore);
        assertThat(sandbox.apiUsage() - replayUsage).as("a replay costs no API call").isZero();
        assertThat(sandbox.count("SELECT COUNT() FROM Social_Mention__c WHERE External_Id__c LIKE 'x:e2e-%'")).isEqualTo(MENTIONS);
        assertAggregates(byContact);
    }

    /** Every record carries its contact, channel, text, time and scores. */
    private void assertMentionRecords() throws Exception {
        List<JsonNode> records = sandbox.records("SELECT External_Id__c, Contact__c, Channel__c, Author_Handle__c, Text__c,"
                + " Posted_At__c, Sentiment__c, Intent__c, Influence__c, Hashtags__c FROM Social_Mention__c"
                + " WHERE External_Id__c LIKE 'x:e2e-%'");
        assertThat(records).hasSize(MENTIONS);
        for (JsonNode r : records) {
            int i = Integer.parseInt(r.get("External_Id__c").asText().substring("x:e2e-".length()));
            int contact = i % CONTACTS + 1;
            assertThat(r.get("Contact__c").asText()).isEqualTo(SandboxClient.contactId(contact));
            assertThat(r.get("Channel__c").asText()).isEqualTo("x");
            assertThat(r.get("Author_Handle__c").asText()).isEqualTo("fan" + contact);
            assertThat(r.get("Hashtags__c").asText()).isEqualTo("#travel");
            assertThat(r.get("Intent__c").isNull()).isFalse();
            double sentiment = r.get("Sentiment__c").asDouble();
            if (i % 3 == 0) {
                assertThat(sentiment).as("complaint %d", i).isNegative();
            } else {
                assertThat(sentiment).as("praise %d", i).isPositive();
            }
        }
    }

    /** Each contact's 30-day count and last mention are exact; its sentiment is the mean of its 30-day mentions. */
    private void assertAggregates(Map<Integer, List<Instant>> byContact) throws Exception {
        Map<String, JsonNode> contacts = new HashMap<>();
        for (JsonNode c : sandbox.records("SELECT Id, Social_Mentions_30d__c, Social_Last_Mention_At__c, Social_Sentiment__c,"
                + " Social_Influence__c, Social_Interests__c FROM Contact WHERE Social_Mentions_30d__c > 0")) {
            contacts.put(c.get("Id").asText(), c);
        }
        assertThat(contacts).hasSize(CONTACTS);
        Instant windowStart = Instant.now().minus(30, ChronoUnit.DAYS);
        byContact.forEach((contact, times) -> {
            JsonNode c = contacts.get(SandboxClient.contactId(contact));
            long in30 = times.stream().filter(t -> !t.isBefore(windowStart)).count();
            assertThat(c.get("Social_Mentions_30d__c").asLong()).as("contact %d", contact).isEqualTo(in30);
            Instant last = times.stream().max(Instant::compareTo).orElseThrow();
            assertThat(instant(c.get("Social_Last_Mention_At__c").asText())).as("contact %d", contact).isEqualTo(last);
            assertThat(c.get("Social_Interests__c").asText()).isEqualTo("#travel");
            assertThat(c.get("Social_Sentiment__c").asDouble()).isBetween(-1.0, 1.0);
        });
    }

    private static String mention(String nativeId, String handle, String text, Instant at) {
        return "{\"channel\":\"x\",\"nativeId\":\"" + nativeId + "\",\"text\":\"" + text + "\",\"createdAt\":\"" + at
                + "\",\"author\":{\"handle\":\"" + handle + "\",\"followers\":1200},\"hashtags\":[\"travel\"]}";
    }

    private HttpResponse<String> health(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String jsonl) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/ingest/mention"))
                .header("Content-Type", "application/x-ndjson").header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString(jsonl)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
