package io.hearth.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import io.hearth.crm.CrmCommand;
import io.hearth.crm.CrmMapping;
import io.hearth.identity.AuthorKeys;
import io.hearth.enrich.JudgedMention;
import io.hearth.enrich.MentionLog;
import io.hearth.identity.ContactDirectory;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionKind;

/**
 * The judge with a catalogue, on the real schema: the item chosen by the contact's interests reaches the reward
 * record with its reason; stock runs out into the fallback; every reward, advocate flag and case carries its rule key
 * and a one-line reason; a replay sends exactly the same.
 */
class RulesJudgeCatalogueTest {

    static final String RULES = """
            programme: test
            brand: { handles: [brand], keywords: [brand] }
            catalogue:
              - { key: film-poster, name: Signed film poster, interests: [film, "#cinema"], stock: 1 }
              - { key: hiking-flask, interests: [hiking] }
              - { key: tote-bag }
            advocates:
              window-days: 90
              tiers:
                - name: advocate
                  enter: { positive-mentions: 3, average-sentiment: 0.3 }
                  leave: { positive-mentions: 1 }
            rewards:
              - key: fan-gift
                action: mention
                per: contact
                item: { fallback: tote-bag }
              - key: brand-mention
                action: mention
                points: 10
                cap: { per-day: 15 }
            cases:
              intents: [complaint]
            """;

    static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
    static final String C1 = "003000000000001AAA";
    static final String C2 = "003000000000002AAA";

    JdbcTemplate jdbc;
    MentionLog log;
    RulesJudge judge;
    int seq;

    @BeforeEach
    void setUp() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:judge-catalogue-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(ds);
        log = new MentionLog(jdbc);
        Rules rules = new RulesLoader().parse("rules.yml", RULES);
        judge = new RulesJudge(() -> rules, new RulesStore(jdbc, log::reader), log, new CrmMapping(),
                new CatalogueStore(log::reader));
    }

    /** Logs the post as the enrich stage does, then judges it (first seen, or again as a replay). */
    List<CrmCommand> post(String contact, String handle, String text, double sentiment, String intent,
                          List<String> interests, boolean firstSeen, String id) {
        Instant at = NOW.minusSeconds(3600 - seq++);
        Mention m = Mention.v1("x", id).id("x:" + id).kind(MentionKind.POST).text(text).lang("en").createdAt(at)
                .author(new Mention.Author(handle, null, null, 500L, false, null))
                .hashtags(List.of()).mentions(List.of()).links(List.of())
                .sentiment(sentiment).intent(intent).influence(30).build();
        if (firstSeen) {
            log.record(new MentionLog.Entry(m.id(), "x", AuthorKeys.of("x", handle), contact, true, "post", at, NOW,
                    sentiment, intent, 30, 500L, 0L, interests, null, handle, text));
        }
        ContactDirectory.Entry identity = new ContactDirectory.Entry("id-" + contact, "x", handle, handle, null, contact,
                true, true, NOW);
        return judge.judge(new JudgedMention(m, null, identity, firstSeen, NOW));
    }

    static Map<String, Object> record(List<CrmCommand> out, String object, String externalId) {
        return out.stream().filter(c -> c.object().equals(object)
                        && (externalId == null || externalId.equals(c.externalId())))
                .findFirst().map(CrmCommand::fields).orElseThrow(() -> new AssertionError(object + " " + externalId + " in " + out));
    }

    @Test
    void theItemFitsTheInterestsAndEveryResultSaysWhy() {
        List<CrmCommand> first = post(C1, "cinephile", "Saw a great film last night @brand", 0.6, "praise", List.of("film"),
                true, "1");
        List<CrmCommand> second = post(C1, "cinephile", "Another film tip from @brand", 0.5, "praise",
                List.of("film", "hiking"), true, "2");
        List<CrmCommand> third = post(C1, "cinephile", "Loving the #cinema season @brand", 0.7, "praise",
                List.of("#cinema", "film"), true, "3");

        Map<String, Object> gift = record(first, "Social_Reward__c", "fan-gift:" + C1);
        assertThat(third).as("the gift is the first post's to send").noneMatch(c -> ("fan-gift:" + C1).equals(c.externalId()));
        // granted with the first post: film was then the contact's only interest
        assertThat(gift).containsEntry("Item__c", "film-poster")
                .containsEntry("Item_Reason__c", "item film-poster for interest film (profile: film)")
                .containsEntry("Rule__c", "fan-gift")
                .containsEntry("Reason__c", "mention of the brand on x, 0 points, once per contact;"
                        + " item film-poster for interest film (profile: film)");
        Map<String, Object> points = record(second, "Social_Reward__c", "brand-mention:" + C1 + ":x:2");
        assertThat(points).containsEntry("Reason__c", "mention of the brand on x, 5 points of 10 (cap 15/day: 10 before)")
                .doesNotContainKey("Item__c");
        assertThat(third).as("cap reached").noneMatch(c -> ("brand-mention:" + C1 + ":x:3").equals(c.externalId()));
        Map<String, Object> flag = third.stream().filter(c -> c.object().equals("Contact") && c.fields().containsKey("Advocate__c"))
                .findFirst().orElseThrow().fields();
        assertThat(flag).containsEntry("Advocate__c", true).containsEntry("Advocate_Rule__c", "advocates:advocate")
                .containsEntry("Advocate_Reason__c", "3 positive mentions, average sentiment 0.60, influence 30 in 90 days"
                        + " ≥ advocate tier (3 positive, sentiment 0.30)");

        // the replay of the third post repeats every record as it was
        assertThat(post(C1, "cinephile", "Loving the #cinema season @brand", 0.7, "praise", List.of(), false, "3"))
                .containsAll(third.stream().filter(c -> !c.object().equals("Contact")
                        || !c.fields().containsKey("Social_Points__c")).toList());
    }

    @Test
    void stockRunsOutIntoTheFallbackAndNoOneGetsTwo() {
        post(C1, "cinephile", "film night @brand", 0.6, "praise", List.of("film"), true, "1");
        List<CrmCommand> second = post(C2, "filmbuff", "best film @brand", 0.6, "praise", List.of("film"), true, "2");

        assertThat(record(second, "Social_Reward__c", "fan-gift:" + C2)).containsEntry("Item__c", "tote-bag")
                .containsEntry("Item_Reason__c", "fallback item tote-bag: no catalogue item matched interests film");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hearth_catalogue_grant WHERE item_key = 'film-poster'",
                Long.class)).isEqualTo(1);
    }

    @Test
    void aCaseSaysWhichRuleOpenedItAndWhy() {
        List<CrmCommand> out = post(C2, "filmbuff", "My order never arrived, @brand", -0.5, "complaint", List.of(),
                true, "9");
        Map<String, Object> c = record(out, "Case", null);
        assertThat(c).containsEntry("Social_Rule__c", "cases:complaint")
                .containsEntry("Social_Reason__c", "complaint on x by a known contact, influence 30");
    }
}
