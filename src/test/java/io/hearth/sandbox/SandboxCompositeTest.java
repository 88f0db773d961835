package io.hearth.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** POST /composite: subrequests in order, references to earlier results, allOrNone, the 25-subrequest limit. */
class SandboxCompositeTest {

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

    private static Map<String, Object> sub(String ref, String method, String url, Object body) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("url", url);
        m.put("referenceId", ref);
        if (body != null) {
            m.put("body", body);
        }
        return m;
    }

    private int count(String soql) throws Exception {
        return sf.query(soql).body().get("totalSize").asInt();
    }

    private long usage(SandboxFixture.Reply r) {
        String info = r.header("Sforce-Limit-Info");
        return Long.parseLong(info.substring("api-usage=".length(), info.indexOf('/')));
    }

    @Test
    void laterSubrequestsUseEarlierResultsAndTheWholeRequestIsOneApiCall() throws Exception {
        long before = usage(sf.get(V + "/limits"));
        SandboxFixture.Reply r = sf.post(V + "/composite", Map.of("allOrNone", true, "compositeRequest", List.of(
                sub("NewContact", "POST", V + "/sobjects/Contact", Map.of("LastName", "Ng", "Social_Consent__c", true)),
                sub("NewIdentity", "POST", V + "/sobjects/Social_Identity__c", Map.of("Contact__c", "@{NewContact.id}",
                        "Channel__c", "x", "Handle__c", "jane_ng", "External_Id__c", "x:jane_ng", "Verified__c", true)),
                sub("ReadBack", "GET", V + "/sobjects/Contact/@{NewContact.id}?fields=LastName,Social_Consent__c", null),
                sub("Rename", "PATCH", V + "/sobjects/Contact/@{NewContact.id}", Map.of("LastName", "Ng-Smith")))));

        assertThat(r.status()).isEqualTo(200);
        JsonNode responses = r.body().get("compositeResponse");
        assertThat(responses).as(responses.toString()).hasSize(4);
        assertThat(responses.findValues("httpStatusCode").toString()).as(responses.toString()).isEqualTo("[201, 201, 200, 204]");
        assertThat(responses.get(0).get("referenceId").asText()).isEqualTo("NewContact");
        assertThat(responses.get(0).get("httpStatusCode").asInt()).isEqualTo(201);
        String contactId = responses.get(0).get("body").get("id").asText();
        assertThat(responses.get(0).get("httpHeaders").get("Location").asText()).isEqualTo(V + "/sobjects/Contact/" + contactId);
        assertThat(responses.get(1).get("httpStatusCode").asInt()).isEqualTo(201);
        assertThat(responses.get(2).get("httpStatusCode").asInt()).isEqualTo(200);
        assertThat(responses.get(2).get("body").get("LastName").asText()).isEqualTo("Ng");
        assertThat(responses.get(3).get("httpStatusCode").asInt()).isEqualTo(204);

        JsonNode identity = sf.query("SELECT Contact__c, Contact__r.LastName FROM Social_Identity__c WHERE External_Id__c = 'x:jane_ng'")
                .body().get("records").get(0);
        assertThat(identity.get("Contact__c").asText()).isEqualTo(contactId);
        assertThat(identity.get("Contact__r").get("LastName").asText()).isEqualTo("Ng-Smith");
        // the first /limits, the composite (one call for four subrequests) and the query
        long after = usage(sf.get(V + "/limits"));
        assertThat(after - before).as("limits, composite, query").isEqualTo(3);
    }

    @Test
    void allOrNoneRollsBackEveryWriteWhenOneSubrequestFails() throws Exception {
        SandboxFixture.Reply r = sf.post(V + "/composite", Map.of("allOrNone", true, "compositeRequest", List.of(
                sub("First", "POST", V + "/sobjects/Contact", Map.of("LastName", "Kept?")),
                sub("Second", "POST", V + "/sobjects/Social_Mention__c", Map.of("Contact__c", "@{First.id}", "No_Such__c", 1)),
                sub("Third", "POST", V + "/sobjects/Contact", Map.of("LastName", "Never run")))));

        assertThat(r.status()).isEqualTo(200);
        JsonNode responses = r.body().get("compositeResponse");
        assertThat(responses.get(0).get("httpStatusCode").asInt()).isEqualTo(400);
        assertThat(responses.get(0).get("body").get(0).get("errorCode").asText()).isEqualTo("PROCESSING_HALTED");
        assertThat(responses.get(0).get("body").get(0).get("message").asText())
                .isEqualTo("The transaction was rolled back since another operation in the same transaction failed.");
        assertThat(responses.get(1).get("httpStatusCode").asInt()).isEqualTo(400);
        assertThat(responses.get(1).get("body").get(0).get("errorCode").asText()).isEqualTo("INVALID_FIELD");
        assertThat(responses.get(2).get("body").get(0).get("errorCode").asText()).isEqualTo("PROCESSING_HALTED");
        assertThat(count("SELECT COUNT() FROM Contact")).as("the first create was rolled back").isZero();
    }

    @Test
    void withoutAllOrNoneEachSubrequestStandsAlone() throws Exception {
        SandboxFixture.Reply r = sf.post(V + "/composite", Map.of("allOrNone", false, "compositeRequest", List.of(
                sub("Good", "POST", V + "/sobjects/Contact", Map.of("LastName", "Kept")),
                sub("Bad", "POST", V + "/sobjects/Contact", Map.of("FirstName", "No last name")),
                sub("Dangling", "PATCH", V + "/sobjects/Contact/@{Bad.id}", Map.of("LastName", "x")))));

        JsonNode responses = r.body().get("compositeResponse");
        assertThat(responses.get(0).get("httpStatusCode").asInt()).isEqualTo(201);
        assertThat(responses.get(1).get("body").get(0).get("errorCode").asText()).isEqualTo("REQUIRED_FIELD_MISSING");
        assertThat(responses.get(2).get("httpStatusCode").asInt()).isEqualTo(400);
        assertThat(responses.get(2).get("body").get(0).get("message").asText()).contains("Invalid reference specified");
        assertThat(count("SELECT COUNT() FROM Contact")).isEqualTo(1);
    }

    @Test
    void moreThanTwentyFiveSubrequestsOrDuplicateReferencesAreRefused() throws Exception {
        List<Map<String, Object>> subs = new ArrayList<>();
        for (int i = 0; i < 26; i++) {
            subs.add(sub("C" + i, "POST", V + "/sobjects/Contact", Map.of("LastName", "N" + i)));
        }
        SandboxFixture.Reply tooMany = sf.post(V + "/composite", Map.of("compositeRequest", subs));
        assertThat(tooMany.status()).isEqualTo(400);
        assertThat(tooMany.body().get(0).get("message").asText()).contains("limit is 25");

        SandboxFixture.Reply twice = sf.post(V + "/composite", Map.of("compositeRequest", List.of(
                sub("Same", "POST", V + "/sobjects/Contact", Map.of("LastName", "A")),
                sub("Same", "POST", V + "/sobjects/Contact", Map.of("LastName", "B")))));
        assertThat(twice.status()).isEqualTo(400);
        assertThat(count("SELECT COUNT() FROM Contact")).isZero();
    }
}
