package io.hearth.sandbox;

import static io.hearth.sandbox.SandboxFixture.V;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 items 5 to 9 on the sandbox's side: an active Case assignment rule (Sforce-Auto-Assign), a Contact duplicate
 * rule (Sforce-Duplicate-Rule-Header), concurrent inserts (DUPLICATE_VALUE), second-precision stamps and late commits,
 * datetimes with more than milliseconds refused.
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
}
