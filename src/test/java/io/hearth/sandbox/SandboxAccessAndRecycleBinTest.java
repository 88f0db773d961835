package io.hearth.sandbox;

import static io.hearth.sandbox.SandboxFixture.V;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 items 3 and 4 on the sandbox's side: the integration user's object and field permissions come from a permission
 * set and are enforced (a missing grant fails the call as a real org fails it); deletes go to the Recycle Bin (queryAll
 * sees them) until emptyRecycleBin purges them, which for records of other owners needs Modify All.
 */
class SandboxAccessAndRecycleBinTest {

    static final Path PERMISSION_SET = Path.of("salesforce/force-app/main/default/permissionsets/Hearth_Integration.permissionset-meta.xml");

    @TempDir
    Path tmp;

    private SandboxFixture restricted(Path permissionSet) throws Exception {
        SandboxFixture org = new SandboxFixture(tmp.resolve("sb"));
        org.sandbox.restrictTo(permissionSet);
        return org.login();
    }

    @Test
    void theIntegrationUserWritesWhatThePermissionSetGrantsAndNothingElse() throws Exception {
        try (SandboxFixture org = restricted(PERMISSION_SET)) {
            String contact = asAdmin(org, () -> org.post(V + "/sobjects/Contact", Map.of("LastName", "Ng", "Email", "ng@example.com")))
                    .body().get("id").asText();
            // granted: the social aggregates; a case with origin, priority, subject
            assertThat(org.patch(V + "/sobjects/Contact/" + contact, Map.of("Social_Points__c", 5)).status()).isEqualTo(204);
            assertThat(org.post(V + "/sobjects/Case", Map.of("Subject", "s", "Origin", "Social", "Priority", "High", "ContactId", contact))
                    .status()).isEqualTo(201);
            // not granted: consent is read-only, Email is invisible, contacts cannot be created, Accounts do not exist for it
            SandboxFixture.Reply consent = org.patch(V + "/sobjects/Contact/" + contact, Map.of("Social_Consent__c", true));
            assertThat(consent.status()).isEqualTo(400);
            assertThat(consent.body().get(0).get("errorCode").asText()).isEqualTo("INVALID_FIELD_FOR_INSERT_UPDATE");
            assertThat(org.patch(V + "/sobjects/Contact/" + contact, Map.of("Email", "x@example.com")).body().get(0).get("errorCode").asText())
                    .isEqualTo("INVALID_FIELD");
            assertThat(org.post(V + "/sobjects/Contact", Map.of("LastName", "New")).body().get(0).get("errorCode").asText())
                    .isEqualTo("INSUFFICIENT_ACCESS_OR_READONLY");
            assertThat(org.query("SELECT Id, Email FROM Contact").body().get(0).get("errorCode").asText()).isEqualTo("INVALID_FIELD");
            assertThat(org.query("SELECT Id FROM Account").body().get(0).get("errorCode").asText()).isEqualTo("INVALID_TYPE");
            assertThat(org.query("SELECT Id, Social_Consent__c FROM Contact").status()).isEqualTo(200);
            // the permission set grants View Setup and Configuration: /limits answers
            assertThat(org.get(V + "/limits").status()).isEqualTo(200);
        }
    }

    @Test
    void withoutViewSetupLimitsIsRefusedAndSforceLimitInfoStillComesWithEveryCall() throws Exception {
        Path noViewSetup = tmp.resolve("no-view-setup.permissionset-meta.xml");
        Files.writeString(noViewSetup, Files.readString(PERMISSION_SET).replace("<name>ViewSetup</name>", "<name>ViewAllUsers</name>"));
        try (SandboxFixture org = restricted(noViewSetup)) {
            SandboxFixture.Reply limits = org.get(V + "/limits");
            assertThat(limits.status()).isEqualTo(403);
            assertThat(limits.body().get(0).get("errorCode").asText()).isEqualTo("INSUFFICIENT_ACCESS");
            SandboxFixture.Reply resources = org.get(V + "/");
            assertThat(resources.status()).isEqualTo(200);
            assertThat(resources.header("Sforce-Limit-Info")).matches("api-usage=\\d+/15000");
        }
    }

    @Test
    void deletesGoToTheRecycleBinUntilEmptied() throws Exception {
        try (SandboxFixture org = restricted(PERMISSION_SET)) {
            String id = org.post(V + "/sobjects/Social_Mention__c", Map.of("External_Id__c", "x:1", "Text__c", "hello")).body()
                    .get("id").asText();
            assertThat(org.delete(V + "/sobjects/Social_Mention__c/" + id).status()).isEqualTo(204);
            assertThat(org.query("SELECT Id FROM Social_Mention__c").body().get("totalSize").asInt()).isZero();
            SandboxFixture.Reply all = org.get(V + "/queryAll?q=" + java.net.URLEncoder.encode(
                    "SELECT Id, IsDeleted, Text__c FROM Social_Mention__c", java.nio.charset.StandardCharsets.UTF_8));
            assertThat(all.body().get("totalSize").asInt()).isEqualTo(1);
            assertThat(all.body().get("records").get(0).get("IsDeleted").asBoolean()).isTrue();
            assertThat(all.body().get("records").get(0).get("Text__c").asText()).isEqualTo("hello");
            // the external id is free again (a deleted record does not hold it)
            assertThat(org.patch(V + "/sobjects/Social_Mention__c/External_Id__c/x:2", Map.of("Text__c", "other")).status()).isEqualTo(201);

            String soap = emptyRecycleBin(org, List.of(id));
            assertThat(soap).contains("<id>" + id + "</id><success>true</success>");
            assertThat(org.get(V + "/queryAll?q=SELECT+Id+FROM+Social_Mention__c+WHERE+IsDeleted+=+true").body().get("totalSize").asInt())
                    .isZero();
            assertThat(emptyRecycleBin(org, List.of(id))).contains("ENTITY_IS_DELETED");
        }
    }

    @Test
    void purgingRecordsOfOtherOwnersNeedsModifyAll() throws Exception {
        Path noModifyAll = tmp.resolve("no-modify-all.permissionset-meta.xml");
        Files.writeString(noModifyAll, Files.readString(PERMISSION_SET).replace("<modifyAllRecords>true</modifyAllRecords>",
                "<modifyAllRecords>false</modifyAllRecords>"));
        try (SandboxFixture org = restricted(noModifyAll)) {
            String staffs = asAdmin(org, () -> org.post(V + "/sobjects/Social_Identity__c", Map.of("External_Id__c", "x:staff")))
                    .body().get("id").asText();
            SandboxFixture.Reply refused = org.delete(V + "/sobjects/Social_Identity__c/" + staffs);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.body().get(0).get("errorCode").asText()).isEqualTo("INSUFFICIENT_ACCESS_OR_READONLY");
            assertThat(refused.body().get(0).get("message").asText()).contains("owned by another user", "Modify All");
            // the admin deletes it; emptying the bin of it is still refused for the integration user
            assertThat(asAdmin(org, () -> org.delete(V + "/sobjects/Social_Identity__c/" + staffs)).status()).isEqualTo(204);
            assertThat(emptyRecycleBin(org, List.of(staffs))).contains("INSUFFICIENT_ACCESS_OR_READONLY").contains("<success>false</success>");
            // its own records it may purge
            String own = org.post(V + "/sobjects/Social_Identity__c", Map.of("External_Id__c", "x:own")).body().get("id").asText();
            assertThat(org.delete(V + "/sobjects/Social_Identity__c/" + own).status()).isEqualTo(204);
            assertThat(emptyRecycleBin(org, List.of(own))).contains("<success>true</success>");
        }
    }

    interface Call<T> {
        T run() throws Exception;
    }

    /** Runs calls with an administrator's token (password grant as admin@…, unrestricted): test set-up. */
    private static <T> T asAdmin(SandboxFixture org, Call<T> call) throws Exception {
        String restricted = org.token;
        org.token = org.form("/services/oauth2/token", "grant_type", "password", "client_id", "sandbox", "client_secret", "sandbox",
                "username", "admin@sandbox", "password", "x").body().get("access_token").asText();
        try {
            return call.run();
        } finally {
            org.token = restricted;
        }
    }

    static String emptyRecycleBin(SandboxFixture org, List<String> ids) throws Exception {
        StringBuilder body = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope"
                + " xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:urn=\"urn:partner.soap.sforce.com\"><soapenv:Header>"
                + "<urn:SessionHeader><urn:sessionId>" + org.token + "</urn:sessionId></urn:SessionHeader></soapenv:Header><soapenv:Body>"
                + "<urn:emptyRecycleBin>");
        ids.forEach(id -> body.append("<urn:ids>").append(id).append("</urn:ids>"));
        body.append("</urn:emptyRecycleBin></soapenv:Body></soapenv:Envelope>");
        return org.http.send(HttpRequest.newBuilder(URI.create(org.base() + "/services/Soap/u/62.0")).header("Content-Type", "text/xml")
                .header("SOAPAction", "\"\"").POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    }
}
