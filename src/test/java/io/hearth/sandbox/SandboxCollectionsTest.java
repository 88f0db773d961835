package io.hearth.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

class SandboxCollectionsTest {

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

    private static Map<String, Object> rec(String type, Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("attributes", Map.of("type", type));
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private int count(String object) throws Exception {
        return sf.query("SELECT COUNT() FROM " + object).body().get("totalSize").asInt();
    }

    @Test
    void createMixedTypesWithPartialFailure() throws Exception {
        SandboxFixture.Reply r = sf.post(V + "/composite/sobjects", Map.of("allOrNone", false, "records", List.of(
                rec("Account", "Name", "example.com"), rec("Contact", "FirstName", "Erica"), rec("Contact", "LastName", "Johnson"))));
        assertThat(r.status()).isEqualTo(200);
        JsonNode results = r.body();
        assertThat(results).hasSize(3);
        assertThat(results.get(0).get("id").asText()).startsWith("001");
        assertThat(results.get(0).get("success").asBoolean()).isTrue();
        assertThat(results.get(1)).isEqualTo(SandboxFixture.parse("{\"success\":false,\"errors\":[{\"statusCode\":\"REQUIRED_FIELD_MISSING\","
                + "\"message\":\"Required fields are missing: [LastName]\",\"fields\":[\"LastName\"]}]}"));
        assertThat(results.get(2).get("id").asText()).startsWith("003");
        assertThat(count("Contact")).isEqualTo(1);
    }

    @Test
    void allOrNoneRollsEverythingBack() throws Exception {
        SandboxFixture.Reply r = sf.post(V + "/composite/sobjects", Map.of("allOrNone", true, "records", List.of(
                rec("Contact", "LastName", "Ok"), rec("Contact", "LastName", "Bad", "Nope__c", 1))));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get(0).get("errors").get(0).get("statusCode").asText()).isEqualTo("ALL_OR_NONE_OPERATION_ROLLED_BACK");
        assertThat(r.body().get(0).get("errors").get(0).get("message").asText())
                .isEqualTo("Record rolled back because not all records were valid and the request was using AllOrNone header");
        assertThat(r.body().get(0).has("id")).isFalse();
        assertThat(r.body().get(1).get("errors").get(0).get("statusCode").asText()).isEqualTo("INVALID_FIELD");
        assertThat(count("Contact")).isZero();
    }

    @Test
    void updateByIdWithPerRecordErrors() throws Exception {
        String a = sf.post(V + "/sobjects/Contact", Map.of("LastName", "A")).body().get("id").asText();
        String acct = sf.post(V + "/sobjects/Account", Map.of("Name", "Acme")).body().get("id").asText();
        SandboxFixture.Reply r = sf.patch(V + "/composite/sobjects", Map.of("allOrNone", false, "records", List.of(
                rec("Contact", "id", a, "Title", "Lead Engineer"), rec("Contact", "id", acct, "Title", "x"))));
        assertThat(r.body().get(0).get("success").asBoolean()).isTrue();
        assertThat(r.body().get(1).get("errors").get(0).get("statusCode").asText()).isEqualTo("MALFORMED_ID");
        assertThat(r.body().get(1).get("errors").get(0).get("fields").get(0).asText()).isEqualTo("Id");
        assertThat(sf.get(V + "/sobjects/Contact/" + a).body().get("Title").asText()).isEqualTo("Lead Engineer");
    }

    @Test
    void upsertByExternalIdReportsCreatedAndKeepsGoodRecordsOfABadBatch() throws Exception {
        String contact = sf.post(V + "/sobjects/Contact", Map.of("LastName", "Ng")).body().get("id").asText();
        List<Object> records = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            records.add(rec("Social_Mention__c", "External_Id__c", "x:" + i, "Contact__c", contact, "Text__c", "post " + i));
        }
        SandboxFixture.Reply first = sf.patch(V + "/composite/sobjects/Social_Mention__c/External_Id__c",
                Map.of("allOrNone", false, "records", records.subList(0, 1)));
        assertThat(first.body().get(0).get("created").asBoolean()).isTrue();
        // 3 bad records among 200: the 197 others are written
        records.set(10, rec("Social_Mention__c", "External_Id__c", "x:10", "Contact__c", "003HS00000099zz"));
        records.set(20, rec("Social_Mention__c", "External_Id__c", "x:20", "Channel__c", "c".repeat(41)));
        records.set(30, rec("Social_Mention__c", "External_Id__c", "x:30", "Unknown__c", 1));
        SandboxFixture.Reply r = sf.patch(V + "/composite/sobjects/Social_Mention__c/External_Id__c",
                Map.of("allOrNone", false, "records", records));
        assertThat(r.status()).isEqualTo(200);
        JsonNode results = r.body();
        assertThat(results).hasSize(200);
        assertThat(results.get(0).get("created").asBoolean()).isFalse();
        assertThat(results.get(1).get("created").asBoolean()).isTrue();
        assertThat(results.get(10).get("errors").get(0).get("statusCode").asText()).isEqualTo("INVALID_CROSS_REFERENCE_KEY");
        assertThat(results.get(20).get("errors").get(0).get("statusCode").asText()).isEqualTo("STRING_TOO_LONG");
        assertThat(results.get(30).get("errors").get(0).get("statusCode").asText()).isEqualTo("INVALID_FIELD");
        assertThat(count("Social_Mention__c")).isEqualTo(197);
        // replaying the same batch creates nothing new
        sf.patch(V + "/composite/sobjects/Social_Mention__c/External_Id__c", Map.of("allOrNone", false, "records", records));
        assertThat(count("Social_Mention__c")).isEqualTo(197);
    }

    @Test
    void theSameExternalIdTwiceInOneRequestFailsBoth() throws Exception {
        SandboxFixture.Reply r = sf.patch(V + "/composite/sobjects/Social_Identity__c/External_Id__c", Map.of("records", List.of(
                rec("Social_Identity__c", "External_Id__c", "x:a"), rec("Social_Identity__c", "External_Id__c", "X:A"),
                rec("Social_Identity__c", "External_Id__c", "x:b"))));
        assertThat(r.body().get(0).get("errors").get(0).get("statusCode").asText()).isEqualTo("DUPLICATE_VALUE");
        assertThat(r.body().get(1).get("errors").get(0).get("statusCode").asText()).isEqualTo("DUPLICATE_VALUE");
        assertThat(r.body().get(2).get("success").asBoolean()).isTrue();
    }

    @Test
    void moreThan200RecordsIsRefused() throws Exception {
        List<Object> records = new ArrayList<>();
        for (int i = 0; i < 201; i++) {
            records.add(rec("Contact", "LastName", "n" + i));
        }
        SandboxFixture.Reply r = sf.post(V + "/composite/sobjects", Map.of("records", records));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body().get(0).get("errorCode").asText()).isEqualTo("EXCEEDED_ID_LIMIT");
        assertThat(count("Contact")).isZero();
    }

    @Test
    void deleteByIdsOfMixedTypesWithPerRecordErrors() throws Exception {
        String a = sf.post(V + "/sobjects/Contact", Map.of("LastName", "A")).body().get("id").asText();
        String acct = sf.post(V + "/sobjects/Account", Map.of("Name", "Acme")).body().get("id").asText();
        String b = sf.post(V + "/sobjects/Contact", Map.of("LastName", "B")).body().get("id").asText();
        sf.delete(V + "/sobjects/Contact/" + b);
        SandboxFixture.Reply r = sf.delete(V + "/composite/sobjects?ids=" + a + "," + acct + "," + b + ",nonsense&allOrNone=false");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).hasSize(4);
        assertThat(r.body().get(0).get("success").asBoolean()).isTrue();
        assertThat(r.body().get(0).get("id").asText()).isEqualTo(a);
        assertThat(r.body().get(1).get("success").asBoolean()).isTrue();
        assertThat(r.body().get(2).get("errors").get(0).get("statusCode").asText()).isEqualTo("ENTITY_IS_DELETED");
        assertThat(r.body().get(3).get("errors").get(0).get("statusCode").asText()).isEqualTo("MALFORMED_ID");
        assertThat(count("Contact")).isZero();
        assertThat(count("Account")).isZero();
    }

    @Test
    void deleteAllOrNoneKeepsEverythingWhenOneFails() throws Exception {
        String a = sf.post(V + "/sobjects/Contact", Map.of("LastName", "A")).body().get("id").asText();
        SandboxFixture.Reply r = sf.delete(V + "/composite/sobjects?ids=" + a + ",003000000000000AAA&allOrNone=true");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().get(0).get("errors").get(0).get("statusCode").asText()).isEqualTo("ALL_OR_NONE_OPERATION_ROLLED_BACK");
        assertThat(count("Contact")).isEqualTo(1);
        assertThat(sf.delete(V + "/composite/sobjects").status()).isEqualTo(400);
    }
}
