package io.hearth.crm.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.hearth.identity.ContactDirectory;
import io.hearth.identity.DirectorySyncStatus;
import io.hearth.state.SourceCheckpoints;

/**
 * The contact directory sync (route job-directory-sync) against the sandbox over HTTP, through camel-salesforce:
 * full load, incremental by SystemModstamp, consent changes, paging past 2,000 records, deletions, failures, and what
 * each sync costs in API calls (the sandbox's Sforce-Limit-Info counter).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT, properties = {"server.port=0",
        "hearth.api-key=hk_directory_sync_test_key_0123456789", "hearth.sources.inbox.enabled=false",
        "hearth.directory.enabled=true", "hearth.directory.initial-delay=3600000", "hearth.directory.sync-interval=3600000"})
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
// Its hub lives in a data directory of this class only: closed with the class, before that directory is deleted
// (TestLayersTest)
@org.springframework.test.annotation.DirtiesContext
class DirectorySyncIT {

    static final String HOSTILE = "x' OR Name != '";
    static final String IDENTITY = "Social_Identity__c";
    @org.junit.jupiter.api.io.TempDir
    static Path dataDir;
    static int sandboxPort;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            sandboxPort = socket.getLocalPort();
        }
        Path seed = dataDir.resolve("seed.json");
        Files.writeString(seed, """
                {"Contact": [
                  {"Id": "003000000000001AAA", "LastName": "Ng", "Social_Consent__c": true},
                  {"Id": "003000000000002AAA", "LastName": "Sam", "Social_Consent__c": false},
                  {"Id": "003000000000003AAA", "LastName": "Lee"}],
                 "Social_Identity__c": [
                  {"Contact__c": "003000000000001AAA", "Channel__c": "x", "Handle__c": "Jane_NG", "External_Id__c": "x:jane_ng", "Verified__c": true},
                  {"Contact__c": "003000000000002AAA", "Channel__c": "mastodon", "Handle__c": "@Sam@Fosstodon.org", "External_Id__c": "mastodon:sam@fosstodon.org"},
                  {"Contact__c": "003000000000003AAA", "Channel__c": "bluesky", "Handle__c": "lee.bsky.social", "External_Id__c": "bluesky:lee.bsky.social", "Verified__c": true},
                  {"Contact__c": "003000000000001AAA", "Channel__c": "x", "Handle__c": "x' OR Name != '", "External_Id__c": "x:hostile"}]}
                """);
        registry.add("hearth.data-dir", dataDir::toString);
        registry.add("hearth.sandbox.port", () -> sandboxPort);
        registry.add("hearth.sandbox.seed", seed::toString);
    }

    @Autowired
    ProducerTemplate producer;
    @Autowired
    CamelContext camel;
    @Autowired
    ContactDirectory directory;
    @Autowired
    DirectorySyncStatus status;
    @Autowired
    SourceCheckpoints checkpoints;
    @Autowired
    JdbcTemplate jdbc;
    @Autowired
    MeterRegistry meters;
    @LocalServerPort
    int port;

    SandboxRest org() {
        return new SandboxRest("http://127.0.0.1:" + sandboxPort);
    }

    /** Runs one sync now (what the timer does) and returns it. */
    DirectorySyncStatus.Sync sync() {
        DirectorySyncStatus.Sync before = status.last();
        producer.requestBody("direct:job-directory-sync", (Object) "");
        DirectorySyncStatus.Sync after = status.last();
        assertThat(after).as("a new successful sync (last error: %s)", status.lastError()).isNotSameAs(before).isNotNull();
        return after;
    }

    /** API calls one sync costs, read from the org's counter (minus the reading call itself). */
    long callsOf(Runnable action) throws Exception {
        SandboxRest org = org();
        long before = org.usage();
        action.run();
        return org.usage() - before - 1;
    }

    @Test
    @Order(1)
    void fullLoadFillsTheDirectory() throws Exception {
        assertThat(camel.getRouteController().getRouteStatus("job-directory-sync")).isEqualTo(ServiceStatus.Started);
        long calls = callsOf(this::sync);
        DirectorySyncStatus.Sync sync = status.last();
        assertThat(sync.full()).isTrue();
        assertThat(sync.records()).isEqualTo(4);
        assertThat(calls).as("one query, one page").isEqualTo(1);
        assertThat(directory.size()).isEqualTo(4);

        ContactDirectory.Entry jane = directory.lookup("twitter", "@JANE_ng").orElseThrow();
        assertThat(jane.contactId()).isEqualTo("003000000000001AAA");
        assertThat(jane.consented()).isTrue();
        assertThat(jane.verified()).isTrue();
        assertThat(jane.externalId()).isEqualTo("x:jane_ng");
        ContactDirectory.Entry sam = directory.lookup("mastodon", "https://fosstodon.org/@sam").orElseThrow();
        assertThat(sam.contactId()).isEqualTo("003000000000002AAA");
        assertThat(sam.consent()).isFalse();
        ContactDirectory.Entry lee = directory.lookup("bluesky", "@Lee.bsky.social").orElseThrow();
        assertThat(lee.consent()).as("a checkbox never set is false, as in Salesforce").isFalse();
        assertThat(lee.consented()).isFalse();
        assertThat(directory.lookup("x", "nobody")).isEmpty();
        assertThat(directory.lookup("mastodon", "jane_ng")).as("handles are per channel").isEmpty();

        HttpResponse<String> health = io.hearth.support.TestHttp.client().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                .header("Authorization", "Bearer hk_directory_sync_test_key_0123456789").build(), HttpResponse.BodyHandlers.ofString());
        JsonNode details = SandboxRest.JSON.readTree(health.body()).path("components").path("directory").path("details");
        assertThat(details.path("lastSyncMode").asText()).isEqualTo("full");
        assertThat(details.path("lastSyncRecords").asLong()).isEqualTo(4);
        assertThat(details.path("entries").asLong()).isEqualTo(4);
        assertThat(details.has("lastSyncAt")).isTrue();
        assertThat(details.path("orgApiUsage").asText()).as("from Sforce-Limit-Info").matches("\\d+/15000");
        assertThat(meters.get("hearth.directory.records.synced").counter().count()).isEqualTo(4.0);
        assertThat(meters.get("hearth.directory.syncs").tag("result", "ok").counter().count()).isEqualTo(1.0);
        assertThat(meters.get("hearth.directory.last.sync.timestamp").gauge().value()).isPositive();
        assertThat(meters.get("hearth.directory.entries").gauge().value()).isEqualTo(4.0);
    }

    @Test
    @Order(2)
    void aHostileHandleIsMatchedLiterally() throws Exception {
        String exact = Soql.select("Id", "Handle__c").from(IDENTITY).where("Handle__c", "=", HOSTILE).build();
        JsonNode page = SandboxRest.JSON.readTree(producer.requestBody("salesforce:query?rawPayload=true", exact, String.class));
        assertThat(page.get("totalSize").asInt()).isEqualTo(1);
        assertThat(page.get("records").get(0).get("Handle__c").asText()).isEqualTo(HOSTILE);
        String other = Soql.select("Id").from(IDENTITY).where("Handle__c", "=", "nobody' OR Name != '").build();
        JsonNode none = SandboxRest.JSON.readTree(producer.requestBody("salesforce:query?rawPayload=true", other, String.class));
        assertThat(none.get("totalSize").asInt()).as("pasted, it would match every identity").isZero();
        assertThat(directory.lookup("x", HOSTILE).orElseThrow().contactId()).isEqualTo("003000000000001AAA");
    }

    @Test
    @Order(3)
    void steadyStateCostsOnlyTheIncrementalQueries() throws Exception {
        long calls = callsOf(this::sync);
        DirectorySyncStatus.Sync sync = status.last();
        assertThat(sync.full()).isFalse();
        assertThat(sync.records()).isZero();
        assertThat(calls).as("identities changed since + contacts changed since").isEqualTo(2);
        assertThat(sync.apiCalls()).isEqualTo(2);
        assertThat(directory.size()).isEqualTo(4);
    }

    @Test
    @Order(4)
    void anIncrementalSyncPicksUpOnlyTheChangedIdentity() throws Exception {
        SandboxRest org = org();
        String janeId = directory.lookup("x", "jane_ng").orElseThrow().identityId();
        Map<String, Object> syncedAtBefore = syncedAt();
        assertThat(org.call("PATCH", SandboxRest.V + "/sobjects/Social_Identity__c/" + janeId,
                Map.of("Verified__c", false, "Handle__c", "Jane_Ng2")).status()).isEqualTo(204);

        DirectorySyncStatus.Sync sync = sync();
        assertThat(sync.full()).isFalse();
        assertThat(sync.records()).isEqualTo(1);
        assertThat(directory.lookup("x", "jane_ng")).isEmpty();
        ContactDirectory.Entry jane = directory.lookup("x", "@jane_ng2").orElseThrow();
        assertThat(jane.identityId()).isEqualTo(janeId);
        assertThat(jane.verified()).isFalse();
        Map<String, Object> syncedAtAfter = syncedAt();
        syncedAtBefore.remove(janeId);
        syncedAtAfter.remove(janeId);
        assertThat(syncedAtAfter).as("the other rows were not rewritten").isEqualTo(syncedAtBefore);
    }

    @Test
    @Order(5)
    void aConsentChangeOnTheContactReachesItsIdentities() throws Exception {
        assertThat(org().call("PATCH", SandboxRest.V + "/sobjects/Contact/003000000000003AAA",
                Map.of("Social_Consent__c", true)).status()).isEqualTo(204);
        long calls = callsOf(this::sync);
        assertThat(calls).isEqualTo(2);
        assertThat(directory.lookup("bluesky", "lee.bsky.social").orElseThrow().consented()).isTrue();
        assertThat(directory.lookup("mastodon", "sam@fosstodon.org").orElseThrow().consented()).isFalse();
    }

    @Test
    @Order(6)
    void moreThan2000IdentitiesArePaged() throws Exception {
        SandboxRest org = org();
        for (int batch = 0; batch < 11; batch++) {
            List<Map<String, Object>> records = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = batch * 200 + i;
                records.add(Map.of("attributes", Map.of("type", IDENTITY), "Contact__c", "003000000000002AAA",
                        "Channel__c", "reddit", "Handle__c", "Fan_" + n, "External_Id__c", "reddit:fan_" + n));
            }
            SandboxRest.Reply reply = org.call("POST", SandboxRest.V + "/composite/sobjects", Map.of("allOrNone", true, "records", records));
            assertThat(reply.status()).isEqualTo(200);
        }
        long calls = callsOf(this::sync);
        DirectorySyncStatus.Sync sync = status.last();
        assertThat(sync.full()).isFalse();
        assertThat(sync.records()).isEqualTo(2200);
        assertThat(calls).as("query + queryMore for the identities, one contacts query").isEqualTo(3);
        assertThat(directory.size()).isEqualTo(2204);
        assertThat(directory.lookup("reddit", "u/fan_2199").orElseThrow().contactId()).isEqualTo("003000000000002AAA");
    }

    @Test
    @Order(7)
    void aFullLoadDropsIdentitiesDeletedInTheCrm() throws Exception {
        SandboxRest org = org();
        // A delete moves the record to the Recycle Bin: the incremental sync (queryAll) sees IsDeleted = true.
        String binned = directory.lookup("reddit", "fan_8").orElseThrow().identityId();
        assertThat(org.call("DELETE", SandboxRest.V + "/sobjects/Social_Identity__c/" + binned, null).status()).isEqualTo(204);
        String fan = directory.lookup("reddit", "fan_7").orElseThrow().identityId();
        org.hardDelete("Social_Identity__c", fan);
        sync();
        assertThat(directory.lookup("reddit", "fan_8")).as("a delete to the Recycle Bin reaches an incremental sync").isEmpty();
        assertThat(directory.lookup("reddit", "fan_7")).as("a hard delete is invisible to an incremental sync").isPresent();

        // The full load is due (hearth.directory.full-sync-interval has passed).
        String cp = checkpoints.load("directory").orElseThrow();
        checkpoints.save("directory", cp.replaceAll("\"lastFullAt\":\"[^\"]+\"", "\"lastFullAt\":\"2020-01-01T00:00:00Z\""));
        long calls = callsOf(this::sync);
        assertThat(status.last().full()).isTrue();
        assertThat(calls).as("2,202 identities: two pages").isEqualTo(2);
        assertThat(directory.lookup("reddit", "fan_7")).isEmpty();
        assertThat(directory.size()).isEqualTo(2202);
        assertThat(directory.lookup("x", "jane_ng2")).isPresent();
    }

    @Test
    @Order(8)
    void aFailedSyncKeepsItsCheckpointAndTheNextOneCatchesUp() throws Exception {
        SandboxRest org = org();
        String checkpoint = checkpoints.load("directory").orElseThrow();
        String samId = directory.lookup("mastodon", "sam@fosstodon.org").orElseThrow().identityId();
        assertThat(org.call("PATCH", SandboxRest.V + "/sobjects/Social_Identity__c/" + samId, Map.of("Verified__c", true)).status())
                .isEqualTo(204);
        DirectorySyncStatus.Sync before = status.last();
        org.faults("{\"requestLimitExceeded\":true}");
        try {
            producer.requestBody("direct:job-directory-sync", (Object) "");
        } finally {
            org.faults("{\"reset\":true}");
        }
        assertThat(status.last()).isSameAs(before);
        assertThat(status.lastError()).contains("REQUEST_LIMIT_EXCEEDED");
        assertThat(meters.get("hearth.directory.syncs").tag("result", "failed").counter().count()).isEqualTo(1.0);
        assertThat(checkpoints.load("directory")).contains(checkpoint);
        assertThat(directory.lookup("mastodon", "sam@fosstodon.org").orElseThrow().verified()).isFalse();

        DirectorySyncStatus.Sync sync = sync();
        assertThat(sync.records()).isEqualTo(1);
        assertThat(status.lastError()).isNull();
        assertThat(directory.lookup("mastodon", "sam@fosstodon.org").orElseThrow().verified()).isTrue();
    }

    /**
     * Issue 16 item 8: SystemModstamp has second precision and a transaction can commit after a later one was read with an
     * older stamp. The incremental sync re-reads an overlap window, so the late record is not missed.
     */
    @Test
    @Order(10)
    void aLateCommitWithAnOlderStampIsNotMissed() throws Exception {
        SandboxRest org = org();
        String jane = directory.lookup("x", "@jane_ng2").orElseThrow().identityId();
        assertThat(org.call("PATCH", SandboxRest.V + "/sobjects/Social_Identity__c/" + jane, Map.of("Verified__c", true)).status())
                .isEqualTo(204);
        sync();  // the checkpoint is now Jane's fresh stamp
        org.faults("{\"commitLate\":{\"writes\":1,\"seconds\":30}}");
        assertThat(org.call("POST", SandboxRest.V + "/sobjects/Social_Identity__c", Map.of("Contact__c", "003000000000001AAA",
                "Channel__c", "x", "Handle__c", "late_one", "External_Id__c", "x:late_one")).status()).isEqualTo(201);
        sync();
        assertThat(directory.lookup("x", "late_one")).as("committed late, stamped 30 s before the checkpoint").isPresent();
        DirectorySyncStatus.Sync again = sync();
        assertThat(again.records()).as("the overlap re-reads unchanged records without rewriting them").isZero();
    }

    @Test
    @Order(9)
    void anExpiredTokenIsRenewedByCamelSalesforce() throws Exception {
        org().faults("{\"expireTokens\":true}");
        DirectorySyncStatus.Sync sync = sync();
        assertThat(sync.full()).isFalse();
        assertThat(status.lastError()).isNull();
    }

    private Map<String, Object> syncedAt() {
        Map<String, Object> rows = new java.util.HashMap<>();
        jdbc.query("SELECT identity_id, synced_at FROM hearth_contact_directory", rs -> {
            rows.put(rs.getString(1), rs.getTimestamp(2));
        });
        return rows;
    }
}
