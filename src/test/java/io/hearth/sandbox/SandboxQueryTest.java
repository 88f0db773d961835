package io.hearth.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

class SandboxQueryTest {

    static final String V = SandboxFixture.V;
    @TempDir
    Path dir;
    SandboxFixture sf;
    String jane;
    String omar;

    @BeforeEach
    void start() throws Exception {
        sf = new SandboxFixture(dir).login();
        jane = sf.post(V + "/sobjects/Contact", Map.of("FirstName", "Jane", "LastName", "Ng", "Social_Consent__c", true,
                "Social_Influence__c", 42)).body().get("id").asText();
        sf.clock.advance(java.time.Duration.ofMinutes(1));
        omar = sf.post(V + "/sobjects/Contact", Map.of("FirstName", "Omar", "LastName", "Haddad", "Social_Influence__c", 7)).body()
                .get("id").asText();
        identity("x", "jane_ng", jane);
        identity("mastodon", "jane@fosstodon.org", jane);
        identity("x", "omar", omar);
        identity("bluesky", "orphan.bsky.social", null);
    }

    private void identity(String channel, String handle, String contact) throws Exception {
        sf.clock.advance(java.time.Duration.ofMinutes(1));
        Map<String, Object> body = new LinkedHashMap<>(Map.of("Channel__c", channel, "Handle__c", handle));
        if (contact != null) {
            body.put("Contact__c", contact);
        }
        sf.patch(V + "/sobjects/Social_Identity__c/External_Id__c/"
                + java.net.URLEncoder.encode(channel + ":" + handle, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"), body);
    }

    @AfterEach
    void stop() {
        sf.close();
    }

    @Test
    void selectsParentFieldsFiltersAndOrders() throws Exception {
        SandboxFixture.Reply r = sf.query("SELECT Handle__c, Contact__r.Social_Consent__c, Contact__r.LastName FROM Social_Identity__c "
                + "WHERE Channel__c IN ('x', 'mastodon', 'bluesky') ORDER BY Handle__c DESC");
        assertThat(r.status()).isEqualTo(200);
        JsonNode body = r.body();
        assertThat(body.get("totalSize").asInt()).isEqualTo(4);
        assertThat(body.get("done").asBoolean()).isTrue();
        assertThat(body.has("nextRecordsUrl")).isFalse();
        JsonNode orphan = body.get("records").get(0);
        assertThat(orphan.get("Handle__c").asText()).isEqualTo("orphan.bsky.social");
        assertThat(orphan.get("Contact__r").isNull()).isTrue();
        JsonNode first = body.get("records").get(1);
        assertThat(first.get("Handle__c").asText()).isEqualTo("omar");
        assertThat(first.get("attributes").get("type").asText()).isEqualTo("Social_Identity__c");
        assertThat(first.get("Contact__r").get("attributes").get("type").asText()).isEqualTo("Contact");
        assertThat(first.get("Contact__r").get("Social_Consent__c").asBoolean()).isFalse();
        assertThat(first.get("Contact__r").get("LastName").asText()).isEqualTo("Haddad");
    }

    @Test
    void whereWithAndOrParenthesesComparisonsAndDates() throws Exception {
        assertThat(handles("SELECT Handle__c FROM Social_Identity__c WHERE Contact__r.Social_Consent__c = true ORDER BY Handle__c"))
                .containsExactly("jane@fosstodon.org", "jane_ng");
        assertThat(handles("SELECT Handle__c FROM Social_Identity__c WHERE (Channel__c = 'X' AND Handle__c != 'jane_ng')"
                + " OR Contact__c = null ORDER BY Handle__c"))
                .as("= is case-insensitive on text").containsExactly("omar", "orphan.bsky.social");
        assertThat(handles("SELECT Handle__c FROM Social_Identity__c WHERE SystemModstamp > 2026-11-20T10:02:30Z ORDER BY SystemModstamp"))
                .containsExactly("jane@fosstodon.org", "omar", "orphan.bsky.social");
        assertThat(sf.query("SELECT Id FROM Contact WHERE Social_Influence__c < 10").body().get("records").get(0).get("Id").asText())
                .isEqualTo(omar);
        assertThat(sf.query("SELECT Id FROM Contact WHERE CreatedDate >= 2026-11-20T10:00:30Z AND Social_Influence__c > 1")
                .body().get("totalSize").asInt()).isEqualTo(1);
        assertThat(handles("SELECT Handle__c FROM Social_Identity__c ORDER BY Handle__c LIMIT 2")).containsExactly("jane@fosstodon.org", "jane_ng");
        assertThat(handles("SELECT Handle__c FROM Social_Identity__c WHERE Handle__c LIKE 'jane%' ORDER BY Handle__c"))
                .containsExactly("jane@fosstodon.org", "jane_ng");
        assertThat(sf.query("SELECT Id FROM Contact WHERE Id = '" + jane.substring(0, 15) + "'").body().get("totalSize").asInt())
                .as("15-character id literal").isEqualTo(1);
    }

    @Test
    void anEscapedHandleCannotInjectSoql() throws Exception {
        identity("x", "x' OR Name != '", jane);
        List<String> found = handles("SELECT Handle__c FROM Social_Identity__c WHERE Handle__c = 'x\\' OR Name != \\''");
        assertThat(found).containsExactly("x' OR Name != '");
    }

    private List<String> handles(String soql) throws Exception {
        SandboxFixture.Reply r = sf.query(soql);
        assertThat(r.status()).as(String.valueOf(r.body())).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.body().get("records").forEach(n -> out.add(n.get("Handle__c").asText()));
        return out;
    }

    @Test
    void errorBodiesForUnknownFieldsObjectsAndSyntax() throws Exception {
        SandboxFixture.Reply field = sf.query("SELECT Id, Shoe__c FROM Contact");
        assertThat(field.status()).isEqualTo(400);
        assertThat(field.body().get(0).get("errorCode").asText()).isEqualTo("INVALID_FIELD");
        assertThat(field.body().get(0).get("message").asText()).isEqualTo("\nSELECT Id, Shoe__c FROM Contact\n           ^\nERROR at Row:1:Column:12\n"
                + "No such column 'Shoe__c' on entity 'Contact'. If you are attempting to use a custom field, be sure to append the '__c'"
                + " after the custom field name. Please reference your WSDL or the describe call for the appropriate names.");
        assertThat(sf.query("SELECT Id FROM Nope__c").body().get(0).get("errorCode").asText()).isEqualTo("INVALID_TYPE");
        SandboxFixture.Reply malformed = sf.query("SELECT Id FROM Contact WHERE Email = liam.carter@example.com");
        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.body().get(0).get("errorCode").asText()).isEqualTo("MALFORMED_QUERY");
        assertThat(sf.query("SELECT Id FROM Contact WHERE Social_Consent__c = 'true'").body().get(0).get("errorCode").asText())
                .isEqualTo("INVALID_FIELD");
        assertThat(sf.query("SELECT Id FROM Social_Identity__c WHERE Nope__r.Name = 'a'").body().get(0).get("message").asText())
                .contains("Didn't understand relationship 'Nope__r'");
    }

    @Test
    void pagesOf2000WithNextRecordsUrl() throws Exception {
        for (int batch = 0; batch < 23; batch++) {
            List<Object> records = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                records.add(Map.of("attributes", Map.of("type", "Social_Mention__c"), "External_Id__c", "x:" + (batch * 200 + i)));
            }
            assertThat(sf.patch(V + "/composite/sobjects/Social_Mention__c/External_Id__c", Map.of("records", records)).status()).isEqualTo(200);
        }
        SandboxFixture.Reply page = sf.query("SELECT External_Id__c FROM Social_Mention__c");
        assertThat(page.body().get("totalSize").asInt()).isEqualTo(4600);
        assertThat(page.body().get("done").asBoolean()).isFalse();
        assertThat(page.body().get("records")).hasSize(2000);
        String next = page.body().get("nextRecordsUrl").asText();
        assertThat(next).matches("/services/data/v62\\.0/query/01g[0-9A-Za-z]{12}-2000");
        Set<String> seen = new HashSet<>();
        page.body().get("records").forEach(r -> seen.add(r.get("External_Id__c").asText()));
        int pages = 1;
        while (next != null) {
            page = sf.get(next);
            assertThat(page.status()).isEqualTo(200);
            page.body().get("records").forEach(r -> seen.add(r.get("External_Id__c").asText()));
            next = page.body().has("nextRecordsUrl") ? page.body().get("nextRecordsUrl").asText() : null;
            pages++;
        }
        assertThat(pages).isEqualTo(3);
        assertThat(page.body().get("done").asBoolean()).isTrue();
        assertThat(seen).hasSize(4600);
        assertThat(sf.get(V + "/query/01gnope-2000").body().get(0).get("errorCode").asText()).isEqualTo("INVALID_QUERY_LOCATOR");
    }
}
