package io.hearth.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

class SandboxStoreTest {

    @TempDir
    Path dir;

    @Test
    void idsAre18CharactersWithSalesforcesCaseSafeSuffix() {
        // the example id from Salesforce's docs
        assertThat(SalesforceIds.to18("001D000000IqhSL")).isEqualTo("001D000000IqhSLIAZ");
        assertThat(SalesforceIds.normalise("001D000000IqhSL")).isEqualTo("001D000000IqhSLIAZ");
        assertThat(SalesforceIds.normalise("001D000000IqhSLIAZ")).isEqualTo("001D000000IqhSLIAZ");
        assertThat(SalesforceIds.normalise("001D000000IqhSLAAA")).as("wrong suffix").isNull();
        assertThat(SalesforceIds.normalise("x' OR 1=1")).isNull();
        String id = SalesforceIds.of("003", 1);
        assertThat(id).hasSize(18).startsWith("003HS").isEqualTo(SalesforceIds.to18(id.substring(0, 15)));
    }

    @Test
    void keyPrefixesFollowTheObject() throws Exception {
        try (SandboxFixture sf = new SandboxFixture(dir)) {
            sf.login();
            assertThat(sf.post(SandboxFixture.V + "/sobjects/Contact", Map.of("LastName", "Ng")).body().get("id").asText()).startsWith("003");
            assertThat(sf.post(SandboxFixture.V + "/sobjects/Case", Map.of("Subject", "Broken kettle")).body().get("id").asText()).startsWith("500");
            assertThat(sf.post(SandboxFixture.V + "/sobjects/Social_Identity__c", Map.of("Handle__c", "a")).body().get("id").asText())
                    .matches("a0[0-9][A-Za-z0-9]{15}");
        }
    }

    @Test
    void recordsSurviveARestart() throws Exception {
        String id;
        try (SandboxFixture sf = new SandboxFixture(dir)) {
            sf.login();
            id = sf.post(SandboxFixture.V + "/sobjects/Contact", Map.of("LastName", "Okoye", "Social_Consent__c", true)).body().get("id").asText();
        }
        try (SandboxFixture sf = new SandboxFixture(dir)) {
            sf.login();
            JsonNode c = sf.get(SandboxFixture.V + "/sobjects/Contact/" + id).body();
            assertThat(c.get("LastName").asText()).isEqualTo("Okoye");
            assertThat(c.get("Social_Consent__c").asBoolean()).isTrue();
            String second = sf.post(SandboxFixture.V + "/sobjects/Contact", Map.of("LastName", "Two")).body().get("id").asText();
            assertThat(second).as("the id sequence survives too").isNotEqualTo(id);
        }
    }

    @Test
    void seedLoadsOnlyIntoAnEmptyStoreAndKeepsGivenIds() throws Exception {
        Path seed = dir.resolve("seed.json");
        Files.writeString(seed, """
                {"Social_Identity__c": [{"Contact__c": "003000000000001AAA", "Channel__c": "x", "Handle__c": "jane_ng",
                                         "External_Id__c": "x:jane_ng", "Verified__c": true}],
                 "Contact": [{"Id": "003000000000001AAA", "LastName": "Ng", "Social_Consent__c": true}, {"LastName": "Other"}]}
                """);
        try (SandboxFixture sf = new SandboxFixture(dir, s -> s.withSeed(seed))) {
            sf.login();
            assertThat(sf.get(SandboxFixture.V + "/sobjects/Contact/003000000000001AAA").body().get("LastName").asText()).isEqualTo("Ng");
            assertThat(sf.query("SELECT COUNT() FROM Contact").body().get("totalSize").asInt()).isEqualTo(2);
            sf.delete(SandboxFixture.V + "/sobjects/Contact/003000000000001AAA");
        }
        try (SandboxFixture sf = new SandboxFixture(dir, s -> s.withSeed(seed))) {
            sf.login();
            assertThat(sf.query("SELECT COUNT() FROM Contact").body().get("totalSize").asInt()).as("not seeded again").isEqualTo(1);
        }
    }

    @Test
    void theDefaultSeedHoldsDemoContactsWithIdentities() throws Exception {
        try (SandboxFixture sf = new SandboxFixture(dir, s -> s.withSeed(Path.of("config/sandbox-seed.json")))) {
            sf.login();
            JsonNode contacts = sf.query("SELECT Id, Social_Consent__c FROM Contact").body();
            assertThat(contacts.get("totalSize").asInt()).isEqualTo(30);
            long consenting = 0;
            for (JsonNode c : contacts.get("records")) {
                consenting += c.get("Social_Consent__c").asBoolean() ? 1 : 0;
            }
            assertThat(consenting).isBetween(20L, 28L);
            JsonNode channels = sf.query("SELECT Channel__c FROM Social_Identity__c").body();
            assertThat(channels.findValuesAsText("Channel__c")).contains("x", "mastodon", "bluesky", "reddit", "youtube");
        }
    }
}
