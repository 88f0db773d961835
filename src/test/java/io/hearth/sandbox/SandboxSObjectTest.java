package io.hearth.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

class SandboxSObjectTest {

    static final String V = SandboxFixture.V;
    @TempDir
    Path dir;
    SandboxFixture sf;

    @BeforeEach
    void start() throws Exception {
        sf = new SandboxFixture(dir).login();
    }

    @AfterEach
    void stop() {
        sf.close();
    }

    private String contact(String lastName) throws Exception {
        return sf.post(V + "/sobjects/Contact", Map.of("LastName", lastName)).body().get("id").asText();
    }

    @Test
    void createReadUpdateDelete() throws Exception {
        SandboxFixture.Reply created = sf.post(V + "/sobjects/Contact", Map.of("FirstName", "Jane", "LastName", "Ng",
                "Social_Sentiment__c", 0.456, "Social_Last_Mention_At__c", "2026-11-20T10:00:00Z"));
        assertThat(created.status()).isEqualTo(201);
        String id = created.body().get("id").asText();
        assertThat(created.body()).isEqualTo(SandboxFixture.parse("{\"id\":\"" + id + "\",\"success\":true,\"errors\":[]}"));
        JsonNode c = sf.get(V + "/sobjects/Contact/" + id).body();
        assertThat(c.get("attributes").get("type").asText()).isEqualTo("Contact");
        assertThat(c.get("attributes").get("url").asText()).isEqualTo(V + "/sobjects/Contact/" + id);
        assertThat(c.get("Name").asText()).isEqualTo("Jane Ng");
        assertThat(c.get("Social_Sentiment__c").asDouble()).as("scale 2").isEqualTo(0.46);
        assertThat(c.get("Social_Last_Mention_At__c").asText()).isEqualTo("2026-11-20T10:00:00.000+0000");
        assertThat(c.get("Social_Consent__c").asBoolean()).as("checkbox default").isFalse();
        assertThat(c.get("CreatedDate").asText()).isEqualTo("2026-11-20T10:00:00.000+0000");
        assertThat(sf.get(V + "/sobjects/Contact/" + id.substring(0, 15)).status()).as("15-character id").isEqualTo(200);

        sf.clock.advance(java.time.Duration.ofMinutes(5));
        assertThat(sf.patch(V + "/sobjects/Contact/" + id, Map.of("Social_Consent__c", true)).status()).isEqualTo(204);
        c = sf.get(V + "/sobjects/Contact/" + id + "?fields=Social_Consent__c,SystemModstamp").body();
        assertThat(c.get("Social_Consent__c").asBoolean()).isTrue();
        assertThat(c.get("SystemModstamp").asText()).isEqualTo("2026-11-20T10:05:00.000+0000");
        assertThat(c.has("LastName")).as("only the fields asked for").isFalse();

        assertThat(sf.delete(V + "/sobjects/Contact/" + id).status()).isEqualTo(204);
        SandboxFixture.Reply gone = sf.get(V + "/sobjects/Contact/" + id);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(gone.body().get(0).get("errorCode").asText()).isEqualTo("NOT_FOUND");
        assertThat(sf.patch(V + "/sobjects/Contact/" + id, Map.of("LastName", "x")).status()).isEqualTo(404);
        assertThat(sf.get(V + "/sobjects/Nope__c/" + id).status()).isEqualTo(404);
    }

    @Test
    void upsertByExternalIdCreatesThenUpdates() throws Exception {
        String contact = contact("Ng");
        SandboxFixture.Reply first = sf.patch(V + "/sobjects/Social_Identity__c/External_Id__c/x:jane_ng",
                Map.of("Contact__c", contact, "Channel__c", "x", "Handle__c", "jane_ng"));
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.body().get("created").asBoolean()).isTrue();
        String id = first.body().get("id").asText();
        SandboxFixture.Reply second = sf.patch(V + "/sobjects/Social_Identity__c/External_Id__c/X:JANE_NG", Map.of("Verified__c", true));
        assertThat(second.status()).as("case-insensitive external id").isEqualTo(200);
        assertThat(second.body()).isEqualTo(SandboxFixture.parse("{\"id\":\"" + id + "\",\"success\":true,\"errors\":[],\"created\":false}"));
        JsonNode r = sf.get(V + "/sobjects/Social_Identity__c/External_Id__c/x:jane_ng").body();
        assertThat(r.get("Verified__c").asBoolean()).isTrue();
        assertThat(r.get("External_Id__c").asText()).isEqualTo("x:jane_ng");
        assertThat(r.get("Name").asText()).startsWith("SI-");

        SandboxFixture.Reply badField = sf.patch(V + "/sobjects/Social_Identity__c/Namez/1", Map.of());
        assertThat(badField.status()).isEqualTo(404);
        assertThat(badField.body()).isEqualTo(SandboxFixture.parse(
                "[{\"message\":\"Provided external ID field does not exist or is not accessible: Namez\",\"errorCode\":\"NOT_FOUND\"}]"));
    }

    private void assertError(SandboxFixture.Reply r, String code, String field) {
        assertThat(r.status()).as(r.body().toString()).isEqualTo(400);
        assertThat(r.body().get(0).get("errorCode").asText()).isEqualTo(code);
        if (field != null) {
            assertThat(r.body().get(0).get("fields").get(0).asText()).isEqualTo(field);
        }
    }

    @Test
    void validationErrorsAreSalesforces() throws Exception {
        SandboxFixture.Reply missing = sf.post(V + "/sobjects/Contact", Map.of("FirstName", "Jane"));
        assertError(missing, "REQUIRED_FIELD_MISSING", "LastName");
        assertThat(missing.body().get(0).get("message").asText()).isEqualTo("Required fields are missing: [LastName]");

        SandboxFixture.Reply unknown = sf.post(V + "/sobjects/Contact", Map.of("LastName", "Ng", "Shoe_Size__c", 42));
        assertError(unknown, "INVALID_FIELD", null);
        assertThat(unknown.body().get(0).get("message").asText()).isEqualTo("No such column 'Shoe_Size__c' on sobject of type Contact");

        assertError(sf.post(V + "/sobjects/Social_Identity__c", Map.of("Channel__c", "x".repeat(41))), "STRING_TOO_LONG", "Channel__c");
        assertError(sf.post(V + "/sobjects/Contact", Map.of("LastName", "Ng", "Name", "x")), "INVALID_FIELD_FOR_INSERT_UPDATE", "Name");
        assertError(sf.post(V + "/sobjects/Contact", Map.of("LastName", "Ng", "Social_Sentiment__c", 12)), "NUMBER_OUTSIDE_VALID_RANGE",
                "Social_Sentiment__c");
        assertError(sf.post(V + "/sobjects/Contact", Map.of("LastName", "Ng", "Email", "not-an-email")), "INVALID_EMAIL_ADDRESS", "Email");

        sf.post(V + "/sobjects/Social_Identity__c", Map.of("External_Id__c", "x:dup"));
        SandboxFixture.Reply dup = sf.post(V + "/sobjects/Social_Identity__c", Map.of("External_Id__c", "X:Dup"));
        assertError(dup, "DUPLICATE_VALUE", null);
        assertThat(dup.body().get(0).get("message").asText()).startsWith("duplicate value found: External_Id__c duplicates value on record with id: a0");
    }

    @Test
    void lookupsToMissingOrWrongRecordsFail() throws Exception {
        String contact = contact("Ng");
        assertThat(sf.post(V + "/sobjects/Social_Mention__c", Map.of("Contact__c", contact)).status()).isEqualTo(201);
        String case1 = sf.post(V + "/sobjects/Case", Map.of("Subject", "s")).body().get("id").asText();
        assertError(sf.post(V + "/sobjects/Social_Mention__c", Map.of("Contact__c", case1)), "FIELD_INTEGRITY_EXCEPTION", "Contact__c");
        assertError(sf.post(V + "/sobjects/Social_Mention__c", Map.of("Contact__c", "003HS00000099zz")), "INVALID_CROSS_REFERENCE_KEY",
                "Contact__c");
        assertError(sf.post(V + "/sobjects/Social_Mention__c", Map.of("Contact__c", "nope")), "MALFORMED_ID", "Contact__c");
        // a lookup by the parent's external id, as Salesforce resolves "Contact__r": {"Ext__c": ...}
        sf.patch(V + "/sobjects/Social_Mention__c/External_Id__c/x:1", Map.of("Contact__c", contact));
        SandboxFixture.Reply reward = sf.patch(V + "/sobjects/Social_Reward__c/External_Id__c/r1",
                Map.of("Mention__r", Map.of("External_Id__c", "x:1"), "Points__c", 10));
        assertThat(reward.status()).isEqualTo(201);
        SandboxFixture.Reply missingParent = sf.patch(V + "/sobjects/Social_Reward__c/External_Id__c/r2",
                Map.of("Mention__r", Map.of("External_Id__c", "x:404")));
        assertError(missingParent, "INVALID_FIELD", null);
        assertThat(missingParent.body().get(0).get("message").asText())
                .isEqualTo("Foreign key external ID: x:404 not found for field External_Id__c in entity Social_Mention__c");
    }

    @Test
    void caseTakesTheSocialFields() throws Exception {
        String contact = contact("Ng");
        String mention = sf.patch(V + "/sobjects/Social_Mention__c/External_Id__c/x:9", Map.of("Text__c", "my kettle broke")).body()
                .get("id").asText();
        SandboxFixture.Reply c = sf.post(V + "/sobjects/Case", Map.of("Subject", "Kettle", "Origin", "Social", "ContactId", contact,
                "Social_Mention__c", mention));
        assertThat(c.status()).isEqualTo(201);
        JsonNode kase = sf.get(V + "/sobjects/Case/" + c.body().get("id").asText()).body();
        assertThat(kase.get("Status").asText()).isEqualTo("New");
        assertThat(kase.get("CaseNumber").asText()).hasSize(8);
    }
}
