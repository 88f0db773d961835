package io.hearth.sandbox;

import static io.hearth.sandbox.SandboxFixture.V;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 items 5 to 9 on the sandbox's side: an active Case assignment rule (Sforce-Auto-Assign), a Contact duplicate
 * rule (Sforce-Duplicate-Rule-Header), concurrent inserts (DUPLICATE_VALUE), second-precision stamps and late commits,
 * datetimes with more than milliseconds refused; and (issue 18) a validation rule that refuses chosen records.
 */
class SandboxOrgRulesTest {

    @TempDir
    Path tmp;

    SandboxFixture.Reply patch(SandboxFixture org, String path, Object body, String header, String value) throws Exception {
        return org.send(HttpRequest.newBuilder(URI.create(org.base() + path)).header("Authorization", "Bearer " + org.token)
                .header("Content-Type", "application/json").header(header, value)
                .method("PATCH", HttpRequest.BodyPublishers.ofString(SandboxFixture.JSON.writeValueAsString(body))));
    }

    @Test
    void theAssignmentRuleRunsOnEveryWriteUnlessSforceAutoAssignIsFalse() throws Exception {
        try (SandboxFixture org = new SandboxFixture(tmp).login()) {
            String id = org.post(V + "/sobjects/Case", Map.of("Subject", "s")).body().get("id").asText();
            assertThat(org.get(V + "/sobjects/Case/" + id).body().get("OwnerId").asText()).isEqualTo(SandboxOrg.CASE_QUEUE);
            assertThat(patch(org, V + "/sobjects/Case/" + id, Map.of("OwnerId", "005HS0000000009AAA"), "Sforce-Auto-Assign", "FALSE")
                    .status()).isEqualTo(204);
            // an update without the header re-runs the rule: the case leaves its agent
            assertThat(org.patch(V + "/sobjects/Case/" + id, Map.of("Description", "more")).status()).isEqualTo(204);
            assertThat(org.get(V + "/sobjects/Case/" + id).body().get("OwnerId").asText()).isEqualTo(SandboxOrg.CASE_QUEUE);
            patch(org, V + "/sobjects/Case/" + id, Map.of("OwnerId", "005HS0000000009AAA"), "Sforce-Auto-Assign", "FALSE");
            assertThat(patch(org, V + "/sobjects/Case/" + id, Map.of("Description", "again"), "Sforce-Auto-Assign", "FALSE").status())
                    .isEqualTo(204);
            assertThat(org.get(V + "/sobjects/Case/" + id).body().get("OwnerId").asText()).isEqualTo("005HS0000000009AAA");
        }
    }

    @Test
    void aDuplicateRuleBlocksUnlessAllowSave() throws Exception {
        try (SandboxFixture org = new SandboxFixture(tmp).login()) {
            String a = org.post(V + "/sobjects/Contact", Map.of("LastName", "A", "Email", "same@example.com")).body().get("id").asText();
            String b = org.post(V + "/sobjects/Contact", Map.of("LastName", "B", "Email", "same@example.com")).body().get("id").asText();
            org.admin(Map.of("duplicateRule", true));
            SandboxFixture.Reply blocked = org.patch(V + "/sobjects/Contact/" + a, Map.of("Social_Points__c", 1));
            assertThat(blocked.status()).isEqualTo(400);
            assertThat(blocked.body().get(0).get("errorCode").asText()).isEqualTo("DUPLICATES_DETECTED");
            assertThat(patch(org, V + "/sobjects/Contact/" + b, Map.of("Social_Points__c", 1), "Sforce-Duplicate-Rule-Header",
                    "allowSave=true").status()).isEqualTo(204);
        }
    }

    @Test
    void concurrentInsertsOfOneExternalIdCanBeMadeToFailWithDuplicateValue() throws Exception {
        try (SandboxFixture org = new SandboxFixture(tmp).login()) {
            org.admin(Map.of("duplicateValueFailures", 1));
            SandboxFixture.Reply first = org.patch(V + "/sobjects/Social_Mention__c/External_Id__c/x:race", Map.of("Text__c", "a"));
            assertThat(first.status()).isEqualTo(400);
            assertThat(first.body().get(0).get("errorCode").asText()).isEqualTo("DUPLICATE_VALUE");
            assertThat(org.patch(V + "/sobjects/Social_Mention__c/External_Id__c/x:race", Map.of("Text__c", "a")).status()).isEqualTo(201);
        }
    }

    @Test
    void datetimesCarryMillisecondsAtMostAndStampsHaveSecondPrecision() throws Exception {
        try (SandboxFixture org = new SandboxFixture(tmp).login()) {
            org.clock.now = java.time.Instant.parse("2026-11-20T10:00:00.789Z");
            SandboxFixture.Reply nanos = org.patch(V + "/sobjects/Social_Mention__c/External_Id__c/x:t",
                    Map.of("Posted_At__c", "2026-11-20T10:00:00.123456789Z"));
            assertThat(nanos.status()).isEqualTo(400);
            assertThat(nanos.body().get(0).get("errorCode").asText()).isEqualTo("JSON_PARSER_ERROR");
            assertThat(org.patch(V + "/sobjects/Social_Mention__c/External_Id__c/x:t", Map.of("Posted_At__c", "2026-11-20T10:00:00.123Z"))
                    .status()).isEqualTo(201);
            assertThat(org.get(V + "/sobjects/Social_Mention__c/External_Id__c/x:t").body().get("SystemModstamp").asText())
                    .isEqualTo("2026-11-20T10:00:00.000+0000");
            // a transaction that commits late carries an older stamp
            org.admin(Map.of("commitLate", Map.of("writes", 1, "seconds", 30)));
            org.patch(V + "/sobjects/Social_Mention__c/External_Id__c/x:late", Map.of("Text__c", "l"));
            assertThat(org.get(V + "/sobjects/Social_Mention__c/External_Id__c/x:late").body().get("SystemModstamp").asText())
                    .isEqualTo("2026-11-20T09:59:30.000+0000");
        }
    }

    @Test
    void aValidationRuleRefusesChosenRecordsWithTheRecordErrorOfSalesforce() throws Exception {
        try (SandboxFixture org = new SandboxFixture(tmp).login()) {
            SandboxFixture.Reply set = org.admin(Map.of("refuseRecords", Map.of("object", "Social_Mention__c",
                    "field", "External_Id__c", "matching", "^x:refused-")));
            assertThat(set.status()).isEqualTo(200);
            assertThat(set.body().get("refuseRecords").get(0).get("code").asText()).isEqualTo("FIELD_CUSTOM_VALIDATION_EXCEPTION");

            // sObject Collections upsert (allOrNone false): only the chosen record fails, in its own result
            SandboxFixture.Reply upsert = org.patch(V + "/composite/sobjects/Social_Mention__c/External_Id__c", Map.of("allOrNone", false,
                    "records", List.of(mention("x:kept-1"), mention("x:refused-1"), mention("x:kept-2"))));
            assertThat(upsert.status()).isEqualTo(200);
            JsonNode results = upsert.body();
            assertThat(results.get(0).get("success").asBoolean()).isTrue();
            assertThat(results.get(2).get("success").asBoolean()).isTrue();
            assertThat(results.get(1)).isEqualTo(SandboxFixture.parse("{\"success\":false,\"errors\":[{\"statusCode\":"
                    + "\"FIELD_CUSTOM_VALIDATION_EXCEPTION\",\"message\":\"Refused by the sandbox's validation rule on External_Id__c\","
                    + "\"fields\":[\"External_Id__c\"]}]}"));
            assertThat(org.query("SELECT COUNT() FROM Social_Mention__c").body().get("totalSize").asInt()).isEqualTo(2);

            // another object is not affected; a rule with its own code and message; Composite answers the same error
            assertThat(org.patch(V + "/sobjects/Social_Identity__c/External_Id__c/x:refused-1", Map.of("Channel__c", "x", "Handle__c", "h"))
                    .status()).isEqualTo(201);
            org.admin(Map.of("refuseRecords", List.of(Map.of("field", "Text__c", "matching", "(?i)forbidden", "code", "FIELD_FILTER_VALIDATION_EXCEPTION",
                    "message", "Text__c: not allowed"))));
            SandboxFixture.Reply composite = org.post(V + "/composite", Map.of("allOrNone", false, "compositeRequest", List.of(
                    sub("Refused", "PATCH", V + "/sobjects/Social_Mention__c/External_Id__c/x:c-1", Map.of("Text__c", "a FORBIDDEN word")),
                    sub("Kept", "PATCH", V + "/sobjects/Social_Mention__c/External_Id__c/x:c-2", Map.of("Text__c", "fine")))));
            JsonNode responses = composite.body().get("compositeResponse");
            assertThat(responses.get(0).get("httpStatusCode").asInt()).isEqualTo(400);
            assertThat(responses.get(0).get("body").get(0)).isEqualTo(SandboxFixture.parse("{\"message\":\"Text__c: not allowed\","
                    + "\"errorCode\":\"FIELD_FILTER_VALIDATION_EXCEPTION\",\"fields\":[\"Text__c\"]}"));
            assertThat(responses.get(1).get("httpStatusCode").asInt()).isEqualTo(201);
            // the earlier rule was replaced: x:refused-2 goes through now; reset clears the rules
            assertThat(org.patch(V + "/sobjects/Social_Mention__c/External_Id__c/x:refused-2", Map.of("Text__c", "ok")).status()).isEqualTo(201);
            org.admin(Map.of("reset", true));
            assertThat(org.patch(V + "/sobjects/Social_Mention__c/External_Id__c/x:c-1", Map.of("Text__c", "forbidden")).status())
                    .isEqualTo(201);
            // an invalid rule is refused and changes nothing
            assertThat(org.admin(Map.of("refuseRecords", Map.of("field", "Text__c", "matching", "(unclosed"))).status()).isEqualTo(400);
            assertThat(org.admin(Map.of()).body().get("refuseRecords")).isEmpty();
        }
    }

    @Test
    void theCollectionsWriteHookSeesEachWriteBeforeItIsServedAndCanRefuseIt() throws Exception {
        try (SandboxFixture org = new SandboxFixture(tmp).login()) {
            List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
            org.sandbox.collectionsWriteHook((path, answered) -> {
                seen.add(path.substring(path.indexOf("/composite")) + " after " + answered);
                return !path.endsWith("/Social_Reward__c/External_Id__c");
            });
            String upsert = V + "/composite/sobjects/Social_Mention__c/External_Id__c";
            assertThat(org.patch(upsert, Map.of("allOrNone", false, "records", List.of(mention("x:h-1")))).status()).isEqualTo(200);
            SandboxFixture.Reply refused = org.patch(V + "/composite/sobjects/Social_Reward__c/External_Id__c", Map.of("allOrNone", false,
                    "records", List.of(Map.of("attributes", Map.of("type", "Social_Reward__c"), "External_Id__c", "r-1"))));
            assertThat(refused.status()).isEqualTo(503);
            assertThat(refused.body().get(0).get("errorCode").asText()).isEqualTo("SERVER_UNAVAILABLE");
            assertThat(org.query("SELECT COUNT() FROM Social_Reward__c").body().get("totalSize").asInt()).isZero();
            // reads and single-record writes are not Collections writes
            org.patch(V + "/sobjects/Social_Mention__c/External_Id__c/x:h-2", Map.of("Text__c", "t"));
            assertThat(seen).containsExactly("/composite/sobjects/Social_Mention__c/External_Id__c after 0",
                    "/composite/sobjects/Social_Reward__c/External_Id__c after 1");
            assertThat(org.sandbox.collectionsWritesAnswered()).isEqualTo(1);
            org.sandbox.collectionsWriteHook(null);
            assertThat(org.patch(upsert, Map.of("allOrNone", false, "records", List.of(mention("x:h-3")))).status()).isEqualTo(200);
            assertThat(org.sandbox.collectionsWritesAnswered()).isEqualTo(2);
        }
    }

    private static Map<String, Object> mention(String externalId) {
        return Map.of("attributes", Map.of("type", "Social_Mention__c"), "External_Id__c", externalId, "Text__c", "t");
    }

    private static Map<String, Object> sub(String ref, String method, String url, Object body) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("url", url);
        m.put("referenceId", ref);
        m.put("body", body);
        return m;
    }
}
