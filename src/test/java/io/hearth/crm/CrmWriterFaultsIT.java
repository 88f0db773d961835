package io.hearth.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 3, the writer's acceptance 3: token expiry mid-stream, a 503 window and REQUEST_LIMIT_EXCEEDED (and the budget
 * reserve) each lose nothing, duplicate nothing, and the writer resumes by itself. Issue 18: a refused login (1) and a
 * flapping limit (2) neither dead-letter nor spend delivery attempts. "Duplicate nothing" is counted in writes: the
 * sandbox counts every record it writes, so a mention written twice shows even though the upsert leaves one record.
 * The broker's delivery limit is lowered to 3 here, so a writer that rolled its batch back on every pause would lose
 * messages to the DLQ within a few pauses.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
@DirtiesContext
class CrmWriterFaultsIT extends CrmHub {

    static final int SANDBOX_PORT = SandboxClient.freePort();
    static final int CONTACTS = 50;

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        hub(registry, dataDir, SANDBOX_PORT, CONTACTS);
        registry.add("hearth.crm.writer.retry-initial-delay", () -> "100ms");
        registry.add("hearth.crm.writer.retry-max-delay", () -> "400ms");
        registry.add("hearth.crm.writer.call-retries", () -> "3");
        registry.add("hearth.crm.writer.circuit-failure-threshold", () -> "4");
        registry.add("hearth.crm.writer.circuit-open-for", () -> "1s");
        registry.add("hearth.crm.writer.resume-check-interval", () -> "500ms");
        registry.add("hearth.queues.redelivery.max-delivery-attempts", () -> "3");
        // Small calls: a backlog takes many calls, so a fault can strike between the calls of one held batch.
        registry.add("hearth.crm.writer.records-per-call", () -> "25");
        // The no-progress watchdog, quick: a stage holding messages that none leaves for 2 s is stalled.
        registry.add("hearth.queues.stall-after", () -> "2s");
        registry.add("hearth.queues.stall-check-interval", () -> "200ms");
    }

    @Autowired
    io.hearth.ops.QueuesHealthIndicator queuesHealth;
    @Autowired
    io.hearth.ops.QueueWatchdog watchdog;

    @Autowired
    CrmHealthIndicator health;

    final SandboxClient sandbox = new SandboxClient(SANDBOX_PORT);

    @AfterEach
    void clearFaults() throws Exception {
        sandbox.admin(Map.of("reset", true, "apiUsage", 0));
    }

    @Test
    void tokenExpiryMidStreamIsARelogin() throws Exception {
        CrmStream stream = CrmStream.mentions("tok", 300, CONTACTS);
        int dlqBefore = deadLetters().size();
        long writesBefore = sandbox.writes("Social_Mention__c");
        double before = consumed();
        send(stream.commands.subList(0, 300));
        awaitConsumed(before, 300, Duration.ofSeconds(60));
        assertThat(sandbox.admin(Map.of("expireTokens", true)).get("activeTokens").asInt()).isZero();
        send(stream.commands.subList(300, 600));
        awaitConsumed(before, 600, Duration.ofSeconds(60));

        assertThat(sandbox.admin(Map.of()).get("activeTokens").asInt()).as("camel-salesforce logged in again").isPositive();
        assertWritten("tok", stream, 300, writesBefore);
        assertThat(deadLetters()).hasSize(dlqBefore);
        assertThat(control.status().state()).isEqualTo(CrmWriterControl.State.RUNNING);
    }

    @Test
    void a503WindowIsRiddenOutAndTheWriterResumesByItself() throws Exception {
        CrmStream stream = CrmStream.mentions("down", 300, CONTACTS);
        int dlqBefore = deadLetters().size();
        long writesBefore = sandbox.writes("Social_Mention__c");
        double rollbacksBefore = rollbacks();
        double before = consumed();
        send(stream.commands.subList(0, 200));
        awaitConsumed(before, 200, Duration.ofSeconds(60));
        sandbox.admin(Map.of("unavailableForSeconds", 4));
        send(stream.commands.subList(200, 600));
        // The org is down for 4 s: retries with back-off, then the circuit opens and the writer waits.
        await().atMost(Duration.ofSeconds(20)).until(() -> control.status().state() == CrmWriterControl.State.PAUSED);
        Health paused = health.health();
        assertThat(paused.getDetails().get("pausedFor")).isEqualTo("CIRCUIT_OPEN");
        assertThat((String) paused.getDetails().get("reason")).contains("503");
        awaitConsumed(before, 600, Duration.ofSeconds(60));

        assertWritten("down", stream, 300, writesBefore);
        assertThat(deadLetters()).hasSize(dlqBefore);
        assertThat(rollbacks()).as("the batch was held while the circuit was open, not rolled back").isEqualTo(rollbacksBefore);
        await().atMost(Duration.ofSeconds(10)).until(() -> control.status().state() == CrmWriterControl.State.RUNNING);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void requestLimitExceededPausesWithMessagesQueuedAndResumesWhenBudgetReturns() throws Exception {
        CrmStream stream = CrmStream.mentions("limit", 200, CONTACTS);
        int dlqBefore = deadLetters().size();
        long writesBefore = sandbox.writes("Social_Mention__c");
        double before = consumed();
        sandbox.admin(Map.of("requestLimitExceeded", true));
        send(stream.commands);

        await().atMost(Duration.ofSeconds(20)).until(() -> control.status().why() == CrmWriterControl.Why.REQUEST_LIMIT_EXCEEDED);
        Health paused = health.health();
        assertThat(paused.getStatus()).isEqualTo(Status.UP);
        assertThat(paused.getDetails()).containsEntry("writer", "paused").containsEntry("pausedFor", "REQUEST_LIMIT_EXCEEDED");
        assertThat((String) paused.getDetails().get("reason")).contains("REQUEST_LIMIT_EXCEEDED");
        await().atMost(Duration.ofSeconds(20)).until(() -> depth("crm.outbound") == stream.commands.size());
        assertThat(consumed()).as("nothing committed while the limit holds").isEqualTo(before);
        // The limit holds for a while: probes keep failing, nothing is consumed meanwhile.
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> consumed() == before);
        assertThat(depth("crm.outbound")).as("every message still on crm.outbound (held, not acknowledged)").isEqualTo(stream.commands.size());
        assertThat(control.status().state()).isEqualTo(CrmWriterControl.State.PAUSED);

        sandbox.admin(Map.of("requestLimitExceeded", false));
        awaitConsumed(before, stream.commands.size(), Duration.ofSeconds(60));
        assertWritten("limit", stream, 200, writesBefore);
        assertThat(deadLetters()).hasSize(dlqBefore);
        assertThat(control.status().state()).isEqualTo(CrmWriterControl.State.RUNNING);
    }

    @Test
    void theBudgetReserveStopsWritingUntilUsageFallsBelowIt() throws Exception {
        CrmStream stream = CrmStream.mentions("budget", 100, CONTACTS);
        long writesBefore = sandbox.writes("Social_Mention__c");
        double before = consumed();
        sandbox.admin(Map.of("apiUsage", 899_999));  // budget 1,000,000, reserve 90 %
        send(stream.commands.subList(0, 2));
        awaitConsumed(before, 2, Duration.ofSeconds(30));
        // The first call took usage to 900,000: the writer pauses after committing that batch.
        await().atMost(Duration.ofSeconds(10)).until(() -> control.status().why() == CrmWriterControl.Why.BUDGET_RESERVE);
        assertThat((String) health.health().getDetails().get("reason")).contains("budget reserve").contains("90%");
        send(stream.commands.subList(2, 200));
        // Probes see usage above the reserve: nothing more is consumed.
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(() -> consumed() == before + 2);
        await().atMost(Duration.ofSeconds(5)).until(() -> depth("crm.outbound") == 198);

        sandbox.admin(Map.of("apiUsage", 1000));
        awaitConsumed(before, 200, Duration.ofSeconds(30));
        assertWritten("budget", stream, 100, writesBefore);
        assertThat(control.status().state()).isEqualTo(CrmWriterControl.State.RUNNING);
    }

    /**
     * Issue 18 item 1: the token endpoint refuses every login (400 invalid_grant: a revoked connected app). The writer
     * pauses with the reason, health says DOWN, every message stays on crm.outbound (nothing dead-lettered, nothing
     * rolled back), and when logins work again the writer resumes by itself and writes each mention once. The real
     * camel-salesforce talks to the sandbox: its token expired, the 401 makes it log in again, and that login fails.
     */
    @Test
    void aRefusedLoginPausesWithHealthDownKeepsEveryMessageAndResumesWhenLoginWorksAgain() throws Exception {
        CrmStream stream = CrmStream.mentions("login", 100, CONTACTS);
        int dlqBefore = deadLetters().size();
        long writesBefore = sandbox.writes("Social_Mention__c");
        double rollbacksBefore = rollbacks();
        double before = consumed();
        sandbox.admin(Map.of("loginFailsForSeconds", 3600, "expireTokens", true));
        send(stream.commands);

        await().atMost(Duration.ofSeconds(20)).until(() -> control.status().why() == CrmWriterControl.Why.ACCESS_REFUSED);
        Health refused = health.health();
        assertThat(refused.getStatus()).isEqualTo(Status.DOWN);
        assertThat(refused.getDetails()).containsEntry("writer", "paused").containsEntry("pausedFor", "ACCESS_REFUSED");
        assertThat((String) refused.getDetails().get("reason")).contains("invalid_grant");
        // Probes keep failing to log in: nothing consumed, nothing dead-lettered, everything still on the queue.
        await().during(Duration.ofMillis(2000)).atMost(Duration.ofSeconds(6)).until(() -> consumed() == before);
        assertThat(depth("crm.outbound")).isEqualTo(stream.commands.size());
        assertThat(deadLetters()).hasSize(dlqBefore);
        assertThat(control.status().why()).isEqualTo(CrmWriterControl.Why.ACCESS_REFUSED);
        // Held longer than the watchdog's 2 s, but on purpose and said so: the queues are not DOWN for it.
        Health queues = queuesHealth.health();
        assertThat(queues.getStatus()).isEqualTo(Status.UP);
        assertThat(queues.getDetails().get("stages").toString()).contains("ACCESS_REFUSED");

        sandbox.admin(Map.of("loginFailsForSeconds", 0));
        awaitConsumed(before, stream.commands.size(), Duration.ofSeconds(60));
        assertWritten("login", stream, 100, writesBefore);
        assertThat(deadLetters()).hasSize(dlqBefore);
        assertThat(rollbacks()).as("the batch was held, not rolled back").isEqualTo(rollbacksBefore);
        assertThat(control.status().state()).isEqualTo(CrmWriterControl.State.RUNNING);
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);
    }

    /** Issue 18 item 1: a 403 other than the limit (the API disabled for the user) pauses the same way. */
    @Test
    void aForbiddenCallIsAnAccessRefusalNotARecordRefusal() {
        org.apache.camel.component.salesforce.api.SalesforceException forbidden = new org.apache.camel.component.salesforce.api.SalesforceException(
                List.of(new org.apache.camel.component.salesforce.api.dto.RestError("API_DISABLED_FOR_ORG", "API is not enabled for this Organization or Partner")), 403);
        assertThat(io.hearth.crm.salesforce.SalesforceCollections.classify("upsert", forbidden).kind())
                .isEqualTo(io.hearth.crm.salesforce.CrmCallException.Kind.ACCESS);
    }

    /**
     * Issue 18 item 2: the limit flaps on and off while a backlog is written, pausing the writer again and again (at
     * least 12 times, 4 times the delivery limit of 3). A paused writer holds its batch instead of rolling it back, so
     * no delivery attempt is spent: no rollback, nothing in the DLQ, every mention written exactly once.
     */
    @Test
    void aFlappingLimitPausesManyTimesWithoutSpendingDeliveryAttempts() throws Exception {
        CrmStream stream = CrmStream.mentions("flap", 1500, CONTACTS);
        int dlqBefore = deadLetters().size();
        long writesBefore = sandbox.writes("Social_Mention__c");
        double rollbacksBefore = rollbacks();
        double pausesBefore = pauses();
        double before = consumed();
        sandbox.admin(Map.of("requestLimitExceeded", true));
        send(stream.commands);
        int cycles = 0;
        while (cycles < 12 && consumed() < before + stream.commands.size()) {
            await().atMost(Duration.ofSeconds(20)).until(() -> control.status().state() == CrmWriterControl.State.PAUSED
                    || consumed() >= before + stream.commands.size());
            sandbox.admin(Map.of("requestLimitExceeded", false));
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5))
                    .until(() -> control.status().state() == CrmWriterControl.State.RUNNING);
            sandbox.admin(Map.of("requestLimitExceeded", true));
            cycles++;
        }
        sandbox.admin(Map.of("requestLimitExceeded", false));
        awaitConsumed(before, stream.commands.size(), Duration.ofSeconds(90));

        assertThat(pauses() - pausesBefore).as("pause cycles").isGreaterThanOrEqualTo(12);
        assertThat(rollbacks()).as("no batch rolled back").isEqualTo(rollbacksBefore);
        assertThat(deadLetters()).as("no delivery limit reached").hasSize(dlqBefore);
        assertWritten("flap", stream, 1500, writesBefore);
    }

    /**
     * Issue 18 item 12: the writer hangs in slow calls (4 s each) with messages waiting. After 2 s without a message
     * leaving crm.outbound the watchdog says so: health component queues DOWN naming the stage and the reason,
     * hearth_queue_stalled 1, one stall counted, a diagnostics file with the writer's thread stack. When the calls are
     * fast again the queue moves and all of it clears.
     */
    @Test
    void aHungWriterIsAStallTheWatchdogReportsWithTheStageAndTheReason() throws Exception {
        CrmStream stream = CrmStream.mentions("hang", 25, CONTACTS);
        double before = consumed();
        double stallsBefore = meters.find("hearth.queue.stalls").tag("queue", "crm.outbound").counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
        sandbox.admin(Map.of("latencyMs", 4000));
        send(stream.commands);

        await().atMost(Duration.ofSeconds(15)).until(() -> queuesHealth.health().getStatus().equals(Status.DOWN));
        Health stalled = queuesHealth.health();
        @SuppressWarnings("unchecked")
        Map<String, Object> crm = (Map<String, Object>) ((Map<String, Object>) stalled.getDetails().get("stages")).get("crm.outbound");
        assertThat(crm).containsEntry("stalled", true);
        assertThat((String) crm.get("reason")).contains("crm.outbound holds").contains("crm-writer")
                .contains("its consumers are stuck");
        assertThat(meters.get("hearth.queue.stalled").tag("queue", "crm.outbound").gauge().value()).isEqualTo(1.0);
        assertThat(meters.get("hearth.queue.stalls").tag("queue", "crm.outbound").counter().count()).isGreaterThanOrEqualTo(stallsBefore + 1);
        // written right after the report: wait for it
        java.nio.file.Path dump = await().atMost(Duration.ofSeconds(5)).until(() -> {
            if (!java.nio.file.Files.isDirectory(dataDir.resolve("diagnostics"))) {
                return null;
            }
            try (var files = java.nio.file.Files.list(dataDir.resolve("diagnostics"))) {
                return files.filter(f -> f.getFileName().toString().startsWith("stall-crm.outbound-")).findFirst().orElse(null);
            }
        }, java.util.Objects::nonNull);
        await().atMost(Duration.ofSeconds(5)).until(() -> java.nio.file.Files.readString(dump).contains("Threads:"));
        assertThat(java.nio.file.Files.readString(dump)).contains("crm.outbound: depth").contains("queue-crm.outbound")
                .contains("io.hearth.crm.CrmWriter");

        sandbox.admin(Map.of("latencyMs", 0));
        awaitConsumed(before, stream.commands.size(), Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(5)).until(() -> queuesHealth.health().getStatus().equals(Status.UP));
        assertThat(meters.get("hearth.queue.stalled").tag("queue", "crm.outbound").gauge().value()).isZero();
    }

    @Autowired
    io.hearth.sandbox.SalesforceSandbox sandboxServer;

    /** Issue 16 item 3: an integration user without View Setup gets 403 from /limits; the probe still resumes the writer. */
    @Test
    void theWriterResumesAfterAPauseWhenLimitsIsRefused() throws Exception {
        Path shipped = Path.of("salesforce/force-app/main/default/permissionsets/Hearth_Integration.permissionset-meta.xml");
        Path noViewSetup = dataDir.resolve("no-view-setup.permissionset-meta.xml");
        java.nio.file.Files.writeString(noViewSetup, java.nio.file.Files.readString(shipped).replace("<name>ViewSetup</name>",
                "<name>ViewAllUsers</name>"));
        sandboxServer.restrictTo(noViewSetup);
        try {
            CrmStream stream = CrmStream.mentions("nosetup", 50, CONTACTS);
            long writesBefore = sandbox.writes("Social_Mention__c");
            double before = consumed();
            sandbox.admin(Map.of("requestLimitExceededForSeconds", 2));
            send(stream.commands);
            await().atMost(Duration.ofSeconds(20)).until(() -> control.status().why() == CrmWriterControl.Why.REQUEST_LIMIT_EXCEEDED);
            awaitConsumed(before, stream.commands.size(), Duration.ofSeconds(30));
            assertWritten("nosetup", stream, 50, writesBefore);
            assertThat(control.status().state()).isEqualTo(CrmWriterControl.State.RUNNING);
            assertThat(apiCalls("getResources")).as("the probe read Sforce-Limit-Info of a cheap call").isPositive();
        } finally {
            sandboxServer.restrictTo(shipped.toAbsolutePath());
        }
    }

    /**
     * Issue 16 items 5, 6, 7 and 9 against a sandbox that behaves as a real org: an active Case assignment rule, a Contact
     * duplicate rule, concurrent inserts of one external id, and datetimes with more than milliseconds.
     */
    @Test
    void caseAssignmentDuplicateRulesConcurrentInsertsAndPreciseDatetimes() throws Exception {
        int dlqBefore = deadLetters().size();
        double before = consumed();
        // 5: a new case gets the assignment rule once (the queue); an agent takes it; a follow-up post does not move it
        send(List.of(CrmCommand.upsert("Case", "Social_Conversation_Id__c", "conv-1", Map.of("Subject", "s", "Origin", "Social"))));
        awaitConsumed(before, 1, Duration.ofSeconds(20));
        JsonNode kase = sandbox.records("SELECT Id, OwnerId FROM Case WHERE Social_Conversation_Id__c = 'conv-1'").get(0);
        assertThat(kase.get("OwnerId").asText()).as("assigned by the rule on creation").isEqualTo("00GHS0000000001AAA");
        sandbox.patch("/sobjects/Case/" + kase.get("Id").asText(), Map.of("OwnerId", "005HS0000000009AAA"));
        send(List.of(CrmCommand.upsert("Case", "Social_Conversation_Id__c", "conv-1", Map.of("Description", "a follow-up"))));
        awaitConsumed(before, 2, Duration.ofSeconds(20));
        kase = sandbox.records("SELECT OwnerId, Description FROM Case WHERE Social_Conversation_Id__c = 'conv-1'").get(0);
        assertThat(kase.get("Description").asText()).isEqualTo("a follow-up");
        assertThat(kase.get("OwnerId").asText()).as("still the agent's").isEqualTo("005HS0000000009AAA");

        // 6: a duplicate rule flags the contact (same email as another): the hub's social update still saves
        sandbox.admin(Map.of("duplicateRule", true));
        String c1 = SandboxClient.contactId(1);
        sandbox.patch("/sobjects/Contact/" + c1, Map.of("Email", "same@example.com"));
        sandbox.admin(Map.of("duplicateRule", false));
        sandbox.patch("/sobjects/Contact/" + SandboxClient.contactId(2), Map.of("Email", "same@example.com"));
        sandbox.admin(Map.of("duplicateRule", true));
        send(List.of(CrmCommand.update("Contact", c1, Map.of("Social_Points__c", 77))));
        awaitConsumed(before, 3, Duration.ofSeconds(20));
        assertThat(sandbox.records("SELECT Social_Points__c FROM Contact WHERE Id = '" + c1 + "'").get(0).get("Social_Points__c").asInt())
                .isEqualTo(77);

        // 7: another hub inserted the same external ids a moment earlier: DUPLICATE_VALUE is retried, not dead-lettered
        sandbox.admin(Map.of("duplicateValueFailures", 3));
        // 9: Instant.toString() with nanoseconds is cut to milliseconds
        send(List.of(CrmCommand.upsert("Social_Mention__c", "External_Id__c", "x:dup-1", Map.of("Posted_At__c", "2026-11-20T10:00:00.123456789Z")),
                CrmCommand.upsert("Social_Mention__c", "External_Id__c", "x:dup-2", Map.of("Text__c", "b")),
                CrmCommand.upsert("Social_Mention__c", "External_Id__c", "x:dup-3", Map.of("Text__c", "c"))));
        awaitConsumed(before, 6, Duration.ofSeconds(30));
        assertThat(sandbox.count("SELECT COUNT() FROM Social_Mention__c WHERE External_Id__c IN ('x:dup-1', 'x:dup-2', 'x:dup-3')")).isEqualTo(3);
        assertThat(sandbox.records("SELECT Posted_At__c FROM Social_Mention__c WHERE External_Id__c = 'x:dup-1'").get(0)
                .get("Posted_At__c").asText()).isEqualTo("2026-11-20T10:00:00.123+0000");
        assertThat(deadLetters()).hasSize(dlqBefore);
    }

    private void assertWritten(String prefix, CrmStream stream, int mentions, long writesBefore) throws Exception {
        List<JsonNode> written = sandbox.records("SELECT External_Id__c FROM Social_Mention__c WHERE External_Id__c LIKE 'x:" + prefix + "-%'");
        assertThat(written).hasSize(mentions);
        assertThat(written.stream().map(m -> m.get("External_Id__c").asText()).distinct().count()).isEqualTo(mentions);
        assertThat(sandbox.writes("Social_Mention__c") - writesBefore).as("each mention written exactly once").isEqualTo(mentions);
        List<JsonNode> contacts = sandbox.records("SELECT Id, Social_Mentions_30d__c, Social_Last_Mention_At__c FROM Contact");
        Map<String, JsonNode> byId = new HashMap<>();
        contacts.forEach(c -> byId.put(c.get("Id").asText(), c));
        for (Map.Entry<String, CrmStream.Expected> e : stream.contacts.entrySet()) {
            JsonNode c = byId.get(e.getKey());
            assertThat(c.get("Social_Mentions_30d__c").asInt()).isEqualTo(e.getValue().mentions());
            assertThat(instant(c.get("Social_Last_Mention_At__c").asText())).isEqualTo(e.getValue().lastAt());
        }
    }
}
