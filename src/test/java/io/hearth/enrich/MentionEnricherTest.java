package io.hearth.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.hearth.crm.CrmCommand;
import io.hearth.crm.CrmMapping;
import io.hearth.identity.AuthorKeys;
import io.hearth.identity.ContactDirectory;
import io.hearth.identity.IdentityHooks;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionKind;
import io.hearth.scoring.MentionScorer;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

class MentionEnricherTest {

    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    static final String CONTACT = "003000000000001AAA";
    static final String REFUSING = "003000000000002AAA";

    JdbcTemplate jdbc;
    MentionLog log;
    CrmMapping mapping;
    final List<JudgedMention> judged = new ArrayList<>();
    final io.micrometer.core.instrument.simple.SimpleMeterRegistry meters = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();

    @BeforeEach
    void setUp() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:enricher-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(ds);
        identity("a1", "x", "jane_ng", CONTACT, true);
        identity("a2", "x", "no_thanks", REFUSING, false);
        log = new MentionLog(jdbc);
        mapping = new CrmMapping();
    }

    MentionEnricher enricher() {
        MentionJudge recorder = m -> {
            judged.add(m);
            return List.of();
        };
        return new MentionEnricher(new ObjectMapper().registerModule(new JavaTimeModule()), new ContactDirectory(jdbc),
                MentionScorer.defaults(), log, mapping, IdentityHooks.NONE, List.of(recorder),
                Clock.fixed(NOW, ZoneOffset.UTC), 3, meters);
    }

    @Test
    void consentingContactsMentionBecomesItsRecordAndTheContactsAggregates() {
        List<CrmCommand> commands = enricher().commands(mention("1", "@Jane_NG", "I love this, great service #Travel",
                NOW.minus(1, ChronoUnit.DAYS)));

        assertThat(commands).hasSize(2);
        CrmCommand record = commands.get(0);
        assertThat(record.op()).isEqualTo(CrmCommand.Op.upsert);
        assertThat(record.object()).isEqualTo("Social_Mention__c");
        assertThat(record.externalIdField()).isEqualTo("External_Id__c");
        assertThat(record.externalId()).isEqualTo("x:1");
        assertThat(record.fields()).containsEntry("Contact__c", CONTACT).containsEntry("Channel__c", "x")
                .containsEntry("Author_Handle__c", "@Jane_NG").containsEntry("Hashtags__c", "#Travel")
                .containsEntry("Kind__c", "post").containsEntry("Posted_At__c", "2026-11-21T12:00:00Z")
                .containsEntry("Likes__c", 3L);
        assertThat((Double) record.fields().get("Sentiment__c")).isPositive();

        CrmCommand contact = commands.get(1);
        assertThat(contact.op()).isEqualTo(CrmCommand.Op.update);
        assertThat(contact.id()).isEqualTo(CONTACT);
        assertThat(contact.fields()).containsEntry("Social_Mentions_30d__c", 1L)
                .containsEntry("Social_Last_Mention_At__c", "2026-11-21T12:00:00Z")
                .containsEntry("Social_Interests__c", "#travel");
        assertThat(judged).singleElement().satisfies(j -> {
            assertThat(j.consented()).isTrue();
            assertThat(j.firstSeen()).isTrue();
            assertThat(j.mention().match().contactId()).isEqualTo(CONTACT);
            assertThat(j.mention().match().method()).isEqualTo("verified-identity");
        });
    }

    @Test
    void aggregatesAreAbsoluteOverTheirWindowsAndARedeliveryChangesNothing() {
        MentionEnricher enricher = enricher();
        enricher.commands(mention("old", "jane_ng", "good", NOW.minus(40, ChronoUnit.DAYS)));
        enricher.commands(mention("a", "jane_ng", "great, love it #a", NOW.minus(2, ChronoUnit.DAYS)));
        List<CrmCommand> last = enricher.commands(mention("b", "jane_ng", "terrible, awful #b #a", NOW.minus(5, ChronoUnit.DAYS)));
        Map<String, Object> aggregates = last.get(1).fields();
        assertThat(aggregates).containsEntry("Social_Mentions_30d__c", 2L)
                .containsEntry("Social_Last_Mention_At__c", "2026-11-20T12:00:00Z")
                .containsEntry("Social_Interests__c", "#a;#b");

        List<CrmCommand> again = enricher.commands(mention("b", "jane_ng", "terrible, awful #b #a", NOW.minus(5, ChronoUnit.DAYS)));
        assertThat(again).isEqualTo(last);
        assertThat(judged.get(judged.size() - 1).firstSeen()).as("a redelivery is not first seen").isFalse();
        assertThat(log.size()).isEqualTo(3);
        assertThat(meters.counter("hearth.enrich.mentions", "outcome", "enriched").count()).as("first seen only").isEqualTo(3);
    }

    @Test
    void aMentionRecordedButNotJudgedBeforeACrashIsJudgedAsNewOnRedelivery() {
        MentionEnricher enricher = enricher();
        enricher.commands(mention("c1", "jane_ng", "love it", NOW));
        // the crash: the row stays, the judges' work (and the batch with the commands) is lost
        jdbc.update("UPDATE hearth_mention_log SET judged_at = NULL WHERE mention_id = 'x:c1'");
        enricher.commands(mention("c1", "jane_ng", "love it", NOW));
        enricher.commands(mention("c1", "jane_ng", "love it", NOW));
        assertThat(judged).extracting(JudgedMention::firstSeen).containsExactly(true, true, false);
    }

    @Test
    void theOutcomeCounterIsLookedUpOncePerOutcomeNotPerMention() {
        // issue 14 item 2: MeterRegistry.counter (an id built, tags sorted, a map look-up) was 1.4 % of the stage's CPU
        java.util.concurrent.atomic.AtomicInteger lookups = new java.util.concurrent.atomic.AtomicInteger();
        io.micrometer.core.instrument.simple.SimpleMeterRegistry counting = new io.micrometer.core.instrument.simple.SimpleMeterRegistry() {
            @Override
            public io.micrometer.core.instrument.Counter counter(String name, String... tags) {
                lookups.incrementAndGet();
                return super.counter(name, tags);
            }
        };
        MentionEnricher enricher = new MentionEnricher(new ObjectMapper().registerModule(new JavaTimeModule()),
                new ContactDirectory(jdbc), MentionScorer.defaults(), log, mapping, IdentityHooks.NONE, List.of(),
                Clock.fixed(NOW, ZoneOffset.UTC), 3, counting);
        for (int i = 0; i < 5; i++) {
            enricher.commands(mention("u" + i, "stranger" + i, "love it", NOW));
            enricher.commands(mention("e" + i, "jane_ng", "love it", NOW));
        }
        assertThat(lookups).hasValue(2);
        assertThat(counting.get("hearth.enrich.mentions").tag("outcome", "unknown").counter().count()).isEqualTo(5);
        assertThat(counting.get("hearth.enrich.mentions").tag("outcome", "enriched").counter().count()).isEqualTo(5);
    }

    @Test
    void unknownAndNonConsentingAuthorsCauseNoEnrichmentButAreLoggedPseudonymised() {
        assertThat(enricher().commands(mention("s1", "stranger", "love it", NOW))).isEmpty();
        assertThat(enricher().commands(mention("n1", "no_thanks", "love it", NOW))).isEmpty();

        assertThat(judged).extracting(JudgedMention::known).containsExactly(false, true);
        assertThat(meters.counter("hearth.enrich.mentions", "outcome", "unknown").count()).isEqualTo(1);
        assertThat(meters.counter("hearth.enrich.mentions", "outcome", "no_consent").count()).isEqualTo(1);
        assertThat(judged).extracting(JudgedMention::consented).containsExactly(false, false);
        Map<String, Object> row = jdbc.queryForMap("SELECT author_key, contact_id, consent FROM hearth_mention_log"
                + " WHERE mention_id = 'x:s1'");
        assertThat(row.get("AUTHOR_KEY")).isEqualTo(AuthorKeys.of("x", "stranger")).asString().hasSize(64)
                .doesNotContain("stranger");
        assertThat(row.get("CONTACT_ID")).isNull();
        assertThat(row.get("CONSENT")).isEqualTo(false);
        assertThat(jdbc.queryForObject("SELECT contact_id FROM hearth_mention_log WHERE mention_id = 'x:n1'", String.class))
                .isEqualTo(REFUSING);
    }

    @Test
    void suppressedAuthorsAreNeverMatchedNorKeptInClear() {
        IdentityHooks erased = new IdentityHooks() {
            @Override
            public boolean suppressed(Mention mention) {
                return true;
            }
        };
        MentionEnricher enricher = new MentionEnricher(new ObjectMapper().registerModule(new JavaTimeModule()),
                new ContactDirectory(jdbc), MentionScorer.defaults(), log, mapping, erased, List.of(),
                Clock.fixed(NOW, ZoneOffset.UTC), 3);
        assertThat(enricher.commands(mention("e1", "jane_ng", "love it", NOW), Rejudging.Mode.ATTRIBUTION)).isEmpty();
        Map<String, Object> row = jdbc.queryForMap("SELECT contact_id, handle, text FROM hearth_mention_log WHERE mention_id = 'x:e1'");
        assertThat(row.get("CONTACT_ID")).isNull();
        assertThat(row.get("HANDLE")).isNull();
        assertThat(row.get("TEXT")).isNull();
    }

    @Test
    void anOrgsOwnNamesComeFromTheMapping() {
        mapping.setNames(Map.of("Social_Mention__c", "Social_Post__c", "Social_Mentions_30d__c", "Mentions_Last_30_Days__c"));
        List<CrmCommand> commands = enricher().commands(mention("m1", "jane_ng", "nice", NOW));
        assertThat(commands.get(0).object()).isEqualTo("Social_Post__c");
        assertThat(commands.get(1).fields()).containsKey("Mentions_Last_30_Days__c").doesNotContainKey("Social_Mentions_30d__c");
    }

    // --- late attribution (issue 10) -------------------------------------------------------------------------------

    @Test
    void aMentionOfAnAuthorWhoBecameAConsentingContactIsAttributedAndJudgedAsNewOnce() {
        MentionEnricher enricher = enricher();
        Mention early = mention("late1", "Late_Comer", "love it #coffee", NOW.minus(3, ChronoUnit.DAYS));
        assertThat(enricher.commands(early)).as("unknown author: nothing to write").isEmpty();
        assertThat(judged.get(0).known()).isFalse();
        assertThat(jdbc.queryForObject("SELECT mention_json FROM hearth_mention_log WHERE mention_id = 'x:late1'",
                String.class)).as("the mention is kept to be judged again").contains("\"nativeId\":\"late1\"");

        identity("a9", "x", "late_comer", "003000000000009AAA", true);
        enricher.commands(early);
        assertThat(judged.get(1).firstSeen()).as("a plain redelivery does not attribute").isFalse();
        List<CrmCommand> late = enricher.commands(early, Rejudging.Mode.ATTRIBUTION);
        assertThat(late).extracting(CrmCommand::object).containsExactly("Social_Mention__c", "Contact");
        assertThat(late.get(0).fields()).containsEntry("Contact__c", "003000000000009AAA")
                .containsEntry("Posted_At__c", "2026-11-19T12:00:00Z");
        assertThat(late.get(1).fields()).as("the aggregates count it").containsEntry("Social_Mentions_30d__c", 1L);
        assertThat(judged.get(2).firstSeen()).as("judged as new for its contact").isTrue();
        assertThat(judged.get(2).contactId()).isEqualTo("003000000000009AAA");
        assertThat(meters.counter("hearth.enrich.mentions", "outcome", "attributed").count()).isEqualTo(1);

        // Again (a second sync, a redelivery): the same commands, nothing judged as new.
        assertThat(enricher.commands(early, Rejudging.Mode.ATTRIBUTION)).isEqualTo(late);
        assertThat(judged.get(3).firstSeen()).isFalse();
        assertThat(meters.counter("hearth.enrich.mentions", "outcome", "attributed").count()).isEqualTo(1);
    }

    @Test
    void aLaterConsentAttributesTheContactsEarlierMentionsButNeverAnotherContacts() {
        MentionEnricher enricher = enricher();
        enricher.commands(mention("nc1", "no_thanks", "nice", NOW.minus(1, ChronoUnit.DAYS)));
        jdbc.update("UPDATE hearth_contact_directory SET consent = TRUE WHERE contact_id = ?", REFUSING);
        assertThat(enricher.commands(mention("nc1", "no_thanks", "nice", NOW.minus(1, ChronoUnit.DAYS)), Rejudging.Mode.ATTRIBUTION))
                .extracting(CrmCommand::object).containsExactly("Social_Mention__c", "Contact");
        assertThat(judged.get(1).firstSeen()).isTrue();

        // A handle that moved to another contact: the earlier mention stays with the contact it was judged for.
        enricher.commands(mention("moved1", "jane_ng", "nice", NOW.minus(1, ChronoUnit.DAYS)));
        jdbc.update("UPDATE hearth_contact_directory SET contact_id = '003000000000007AAA' WHERE handle = 'jane_ng'");
        enricher.commands(mention("moved1", "jane_ng", "nice", NOW.minus(1, ChronoUnit.DAYS)), Rejudging.Mode.ATTRIBUTION);
        assertThat(judged.get(3).firstSeen()).isFalse();
        assertThat(jdbc.queryForObject("SELECT contact_id FROM hearth_mention_log WHERE mention_id = 'x:moved1'", String.class))
                .isEqualTo(CONTACT);
    }

    @Test
    void failingJudgesTakeTheAttributionBackSoTheNextAttemptAttributesAgain() {
        MentionJudge failing = m -> {
            if (m.firstSeen() && m.known()) {
                throw new IllegalStateException("rules store down");
            }
            return List.of();
        };
        MentionEnricher enricher = new MentionEnricher(new ObjectMapper().registerModule(new JavaTimeModule()),
                new ContactDirectory(jdbc), MentionScorer.defaults(), log, mapping, IdentityHooks.NONE, List.of(failing),
                Clock.fixed(NOW, ZoneOffset.UTC), 3, meters);
        enricher.commands(mention("f1", "fresh_face", "hello", NOW));
        identity("a8", "x", "fresh_face", "003000000000008AAA", true);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> enricher.commands(mention("f1", "fresh_face", "hello", NOW),
                        Rejudging.Mode.ATTRIBUTION))
                .isInstanceOf(IllegalStateException.class);
        assertThat(jdbc.queryForObject("SELECT contact_id FROM hearth_mention_log WHERE mention_id = 'x:f1'", String.class))
                .isNull();
    }

    @Test
    void anErasedAuthorIsNeverAttributedLaterAndKeepsNoPayload() {
        IdentityHooks erased = new IdentityHooks() {
            @Override
            public boolean suppressed(Mention mention) {
                return true;
            }
        };
        MentionJudge recorder = m -> {
            judged.add(m);
            return List.of();
        };
        MentionEnricher enricher = new MentionEnricher(new ObjectMapper().registerModule(new JavaTimeModule()),
                new ContactDirectory(jdbc), MentionScorer.defaults(), log, mapping, erased, List.of(recorder),
                Clock.fixed(NOW, ZoneOffset.UTC), 3, meters);
        enricher.commands(mention("e1", "jane_ng", "love it", NOW));
        assertThat(enricher.commands(mention("e1", "jane_ng", "love it", NOW), Rejudging.Mode.ATTRIBUTION)).isEmpty();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hearth_mention_log WHERE mention_id = 'x:e1'"
                + " AND contact_id IS NULL AND mention_json IS NULL", Integer.class)).isEqualTo(1);
    }

    @Test
    void rulesModeJudgesAnAlreadyJudgedMentionAsNew() {
        MentionEnricher enricher = enricher();
        enricher.commands(mention("r1", "jane_ng", "love it", NOW));
        enricher.commands(mention("r1", "jane_ng", "love it", NOW));
        enricher.commands(mention("r1", "jane_ng", "love it", NOW), Rejudging.Mode.RULES);
        assertThat(judged).extracting(JudgedMention::firstSeen).containsExactly(true, false, true);
    }

    private void identity(String id, String channel, String handle, String contact, boolean consent) {
        jdbc.update("INSERT INTO hearth_contact_directory (identity_id, channel, handle, raw_handle, external_id, contact_id,"
                + " verified, consent, system_modstamp, synced_at, sync_run) VALUES (?, ?, ?, ?, ?, ?, TRUE, ?,"
                + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)", id, channel, handle, handle, channel + ":" + handle, contact, consent);
    }

    private static Mention mention(String nativeId, String handle, String text, Instant at) {
        List<String> tags = java.util.Arrays.stream(text.split(" ")).filter(w -> w.startsWith("#"))
                .map(w -> w.substring(1)).toList();
        return Mention.v1("x", nativeId).id("x:" + nativeId).url("https://x.com/i/" + nativeId).kind(MentionKind.POST)
                .text(text).lang("en").createdAt(at).author(new Mention.Author(handle, null, null, 500L, false, null))
                .engagement(new Mention.Engagement(3L, 1L, 0L, 0L)).hashtags(tags).mentions(List.of()).links(List.of())
                .build();
    }
}
