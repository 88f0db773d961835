package io.hearth.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Platform events (__e) of the metadata: published by an sObject create, recorded, listable through the admin API. */
class SandboxPlatformEventTest {

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

    private SandboxFixture.Reply events() throws Exception {
        return sf.send(HttpRequest.newBuilder(URI.create(sf.base() + "/sandbox/admin/events/Hearth_Reward__e"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("sandbox:sandbox"
                        .getBytes(StandardCharsets.UTF_8))).GET());
    }

    @Test
    void publishingAnEventIsACreateThatAnswers201WithAnIdAndIsRecorded() throws Exception {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("Event_Id__c", "monthly-goodie:003000000000001AAA:2026-12");
        event.put("Contact_Id__c", "003000000000001AAA");
        event.put("Rule__c", "monthly-goodie");
        event.put("Item__c", "hiking-flask");
        event.put("Item_Reason__c", "item hiking-flask for interest #hiking (profile: #hiking)");
        event.put("Points__c", 0);
        event.put("Mention_Id__c", "x:1");
        event.put("Awarded_At__c", "2026-12-05T10:00:00Z");
        SandboxFixture.Reply published = sf.post(V + "/sobjects/Hearth_Reward__e", event);
        assertThat(published.status()).as(published.raw().body()).isEqualTo(201);
        String id = published.body().get("id").asText();
        assertThat(id).startsWith("e00");
        assertThat(published.body().get("success").asBoolean()).isTrue();

        SandboxFixture.Reply listed = events();
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body().get("totalSize").asInt()).isEqualTo(1);
        assertThat(listed.body().get("records").get(0).get("Event_Id__c").asText())
                .isEqualTo("monthly-goodie:003000000000001AAA:2026-12");
        assertThat(listed.body().get("records").get(0).get("Id").asText()).isEqualTo(id);
    }

    @Test
    void eventsAreNotReadUpdatedOrDeletedAndUnknownFieldsAreRefused() throws Exception {
        String id = sf.post(V + "/sobjects/Hearth_Reward__e", Map.of("Event_Id__c", "a")).body().get("id").asText();
        assertThat(sf.get(V + "/sobjects/Hearth_Reward__e/" + id).status()).isEqualTo(405);
        assertThat(sf.patch(V + "/sobjects/Hearth_Reward__e/" + id, Map.of("Rule__c", "b")).status()).isEqualTo(405);
        assertThat(sf.delete(V + "/sobjects/Hearth_Reward__e/" + id).status()).isEqualTo(405);
        SandboxFixture.Reply bad = sf.post(V + "/sobjects/Hearth_Reward__e", Map.of("Nope__c", "x"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().get(0).get("errorCode").asText()).isEqualTo("INVALID_FIELD");
    }
}
