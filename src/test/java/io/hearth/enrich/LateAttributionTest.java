package io.hearth.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.hearth.identity.AuthorKeys;
import io.hearth.state.SourceCheckpoints;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** Which stored mentions late attribution puts back, and that a second run after the first finds nothing new. */
class LateAttributionTest {

    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    static final String NEW_CONTACT = "003000000000009AAA";
    static final String OTHER = "003000000000001AAA";

    JdbcTemplate jdbc;
    MentionLog log;
    LateAttribution attribution;
    Rejudging rejudging;

    @BeforeEach
    void setUp() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:late-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(ds);
        log = new MentionLog(jdbc);
        rejudging = new Rejudging(log);
        attribution = new LateAttribution(jdbc, rejudging, new SourceCheckpoints(jdbc, Clock.fixed(NOW, ZoneOffset.UTC)),
                new SimpleMeterRegistry());
    }

    @Test
    void theUnattributedStoredMentionsOfNewlyKnownConsentingAuthorsAndNothingElse() {
        for (int i = 1; i <= 5; i++) {
            logged("x:n" + i, "x", "Newbie", null, false, "{\"id\":\"x:n" + i + "\"}");
        }
        logged("x:purged", "x", "newbie", null, false, null);                    // text purged by retention
        logged("x:other", "x", "newbie", OTHER, true, "{}");                      // judged for another contact
        logged("x:stranger", "x", "stranger", null, false, "{}");                 // still unknown
        logged("mastodon:n1", "mastodon", "newbie@example.social", null, false, "{}"); // another channel, unknown there
        assertThat(attribution.due().requests()).as("no directory yet").isEmpty();

        identity("id1", "x", "newbie", NEW_CONTACT, true, NOW.minusSeconds(10));
        identity("id2", "x", "refuser", "003000000000002AAA", false, NOW.minusSeconds(10));
        LateAttribution.Run run = attribution.due();
        assertThat(run.requests()).extracting(Rejudging.Request::mentionId)
                .containsExactly("x:n1", "x:n2", "x:n3", "x:n4", "x:n5");
        assertThat(run.requests()).allSatisfy(r -> {
            assertThat(r.mode()).isEqualTo("attribution");
            assertThat(r.group()).isEqualTo(AuthorKeys.shortOf("x", "newbie"));
        });
        assertThat(run.requests().get(0).mentionJson()).isEqualTo("{\"id\":\"x:n1\"}");
        assertThat(run.watermark()).isEqualTo(NOW.minusSeconds(10));

        // Sent: the watermark moves; the next run (no directory change) has nothing, even before the stage took them.
        attribution.done(run);
        assertThat(attribution.due().requests()).isEmpty();

        // A full load rewrites every row: the rows the stage attributed meanwhile are not put back.
        jdbc.update("UPDATE hearth_mention_log SET contact_id = ?, consent = TRUE WHERE mention_id LIKE 'x:n%'", NEW_CONTACT);
        jdbc.update("UPDATE hearth_contact_directory SET synced_at = ?", Timestamp.from(NOW.plusSeconds(60)));
        assertThat(attribution.due().requests()).isEmpty();
    }

    @Test
    void aContactWhoNowConsentsIsReviewedAfterTheSyncThatBringsTheConsent() {
        identity("id4", "x", "shy", "003000000000004AAA", false, NOW.minusSeconds(100));
        logged("x:s1", "x", "shy", "003000000000004AAA", false, "{}");
        logged("x:s2", "x", "shy", null, false, "{}");   // processed before the identity existed
        attribution.done(attribution.due());
        assertThat(attribution.due().requests()).as("no consent yet").isEmpty();

        // The incremental contact query brings Social_Consent__c = true (and a false for someone else: no change).
        io.hearth.identity.DirectoryStore store = new io.hearth.identity.DirectoryStore(jdbc,
                Clock.fixed(NOW, ZoneOffset.UTC), new org.springframework.mock.env.MockEnvironment());
        store.updateConsent(java.util.Map.of("003000000000004AAA", true, OTHER, false));
        assertThat(attribution.due().requests()).extracting(Rejudging.Request::mentionId).containsExactly("x:s1", "x:s2");
    }

    @Test
    void selectionsOfAContactAndOfADateRangeForRulesBackfill() {
        logged("x:a", "x", "jane", OTHER, true, "{}", NOW.minus(3, ChronoUnit.DAYS));
        logged("x:b", "x", "jane", OTHER, true, "{}", NOW.minus(1, ChronoUnit.DAYS));
        logged("x:c", "x", "sam", NEW_CONTACT, true, "{}", NOW.minus(1, ChronoUnit.DAYS));
        assertThat(rejudging.requests(Rejudging.Selection.ofContact(OTHER, null, null), Rejudging.Mode.RULES, null))
                .extracting(Rejudging.Request::mentionId).containsExactly("x:a", "x:b");
        assertThat(rejudging.requests(Rejudging.Selection.posted(NOW.minus(2, ChronoUnit.DAYS), NOW), Rejudging.Mode.RULES, null))
                .extracting(Rejudging.Request::mentionId).containsExactly("x:b", "x:c");
        assertThat(rejudging.requests(Rejudging.Selection.posted(NOW.minus(2, ChronoUnit.DAYS), NOW), Rejudging.Mode.RULES, null))
                .extracting(Rejudging.Request::mode).containsOnly("rules");
    }

    @Test
    void pagesThroughMoreRowsThanAPage() {
        for (int i = 0; i < Rejudging.PAGE + 5; i++) {
            logged(String.format("x:p%05d", i), "x", "many", null, false, "{}");
        }
        identity("id3", "x", "many", NEW_CONTACT, true, NOW);
        assertThat(attribution.due().requests()).hasSize(Rejudging.PAGE + 5);
    }

    private void logged(String id, String channel, String handle, String contact, boolean consent, String payload) {
        logged(id, channel, handle, contact, consent, payload, NOW.minus(2, ChronoUnit.DAYS));
    }

    private void logged(String id, String channel, String handle, String contact, boolean consent, String payload, Instant at) {
        log.record(new MentionLog.Entry(id, channel, AuthorKeys.of(channel, handle), contact, consent, "post", at, at,
                0.5, "praise", 10, 100L, 0L, List.of(), null, payload == null ? null : handle, payload == null ? null : "text",
                payload), at);
        if (payload == null) {
            jdbc.update("UPDATE hearth_mention_log SET text_purged_at = ? WHERE mention_id = ?", Timestamp.from(NOW), id);
        }
    }

    private void identity(String id, String channel, String handle, String contact, boolean consent, Instant syncedAt) {
        jdbc.update("INSERT INTO hearth_contact_directory (identity_id, channel, handle, raw_handle, external_id, contact_id,"
                + " verified, consent, system_modstamp, synced_at, sync_run) VALUES (?, ?, ?, ?, ?, ?, TRUE, ?, ?, ?, 1)",
                id, channel, handle, handle, channel + ":" + handle, contact, consent, Timestamp.from(syncedAt),
                Timestamp.from(syncedAt));
    }
}
