package io.hearth.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The sandbox run out of the box: the shipped config/rules.yml, the shipped seed (30 demo contacts) and the 300 bundled
 * sample mentions through HTTP ingest and the whole pipeline. The org then shows all of it at once — rewards, a
 * challenge, badges, cases — and a replay of every mention changes nothing. The samples are moved to the test's date as
 * the sandbox replay moves them (newest an hour ago), so the 30/90-day windows and the rolling campaign hold whatever
 * the date ({@link io.hearth.support.TestClock}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
@DirtiesContext
@org.springframework.context.annotation.Import(io.hearth.support.TestClock.Config.class)
class DefaultRulesSandboxIT extends CampaignHub {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        hub(registry, dataDir, Path.of("config/rules.yml").toAbsolutePath(),
                Path.of("config/sandbox-seed.json").toAbsolutePath());
    }

    @Test
    void theShippedRulesShowEverythingOnTheSampleTraffic() throws Exception {
        syncDirectory();
        List<String> samples = Files.readAllLines(Path.of("config/sandbox-sample-mentions.jsonl")).stream()
                .filter(l -> !l.isBlank()).toList();
        ingest("mention", String.join("\n", io.hearth.sandbox.SampleMentionReplay.movedBefore(samples,
                io.hearth.support.TestClock.now())));

        assertThat(deadLetterReasons()).isEmpty();
        Map<String, Integer> byRule = new TreeMap<>();
        for (JsonNode r : soql("SELECT Rule__c FROM Social_Reward__c")) {
            String rule = r.get("Rule__c").asText();
            byRule.merge(rule.startsWith("badge:") ? "badge" : rule, 1, Integer::sum);
        }
        List<JsonNode> cases = soql("SELECT ContactId, Priority FROM Case WHERE Origin = 'Social'");
        List<JsonNode> advocates = soql("SELECT Id, Advocate_Tier__c FROM Contact WHERE Advocate_Tier__c IN"
                + " ('advocate', 'multiplier')");
        System.out.printf("default rules on the sample traffic: rewards %s, %d cases, %d advocates by the rules%n",
                byRule, cases.size(), advocates.size());
        assertThat(byRule).containsKeys("brand-mention", "campaign-post", "campaign-share", "film-quiz", "badge");
        assertThat(byRule.get("film-quiz")).as("first three right answers only").isBetween(1, 3);
        assertThat(cases).as("complaints and questions of known contacts").isNotEmpty()
                .allSatisfy(c -> assertThat(c.get("ContactId").isNull()).isFalse());
        assertThat(advocates).isNotEmpty();

        int rewards = soql("SELECT Id FROM Social_Reward__c").size();
        String points = soql("SELECT Id, Social_Points__c, Advocate_Tier__c FROM Contact ORDER BY Id").toString();
        replay();
        assertThat(soql("SELECT Id FROM Social_Reward__c")).hasSize(rewards);
        assertThat(soql("SELECT ContactId, Priority FROM Case WHERE Origin = 'Social'")).hasSize(cases.size());
        assertThat(soql("SELECT Id, Social_Points__c, Advocate_Tier__c FROM Contact ORDER BY Id").toString()).isEqualTo(points);
        assertThat(deadLetterReasons()).isEmpty();
    }
}
