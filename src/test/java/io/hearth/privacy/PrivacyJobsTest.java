package io.hearth.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.channel.ChannelRegistry;
import io.hearth.crm.CrmCommands;
import io.hearth.crm.CrmMapping;
import io.hearth.crm.salesforce.CrmCallException;
import io.hearth.identity.AuthorKeys;
import io.hearth.enrich.MentionEnricher;
import io.hearth.enrich.MentionLog;
import io.hearth.identity.ContactDirectory;
import org.apache.camel.ProducerTemplate;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/** The jobs' decisions on the real schema (H2, the hub's migrations) with the CRM port mocked and a fixed clock. */
class PrivacyJobsTest {

    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");

    JdbcTemplate jdbc;
    PrivacyStore store;
    CrmEraser crm = mock(CrmEraser.class);
    PrivacyJobs jobs;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void setUp() {
        DriverManagerDataSource ds = new DriverManagerDataSource("jdbc:h2:mem:privacy-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(ds);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        store = new PrivacyStore(jdbc, clock);
        jobs = new PrivacyJobs(store, crm, new ContactDirectory(jdbc), jdbc, new CrmMapping(), new ObjectMapper(),
                mock(ChannelRegistry.class), clock, mock(ObjectProvider.class), mock(CrmCommands.class),
                mock(ProducerTemplate.class), Duration.ofDays(30), 3);
    }

    @Test
    void anUnreachableCrmKeepsTheRequestPendingButTheHandleIsBlockedAtOnce() throws Exception {
        when(crm.query(anyString())).thenThrow(new CrmCallException(CrmCallException.Kind.UNAVAILABLE, 503, "SERVER_UNAVAILABLE",
                "down", null));
        String id = store.request("handle", AuthorKeys.of("x", "someone"), null, "x", "someone", "api");
        for (int i = 0; i < 5; i++) {
            jobs.runPending();
        }
        PrivacyStore.Request r = store.find(id).orElseThrow();
        assertThat(r.status()).isEqualTo(PrivacyStore.Status.pending);
        assertThat(r.attempts()).isEqualTo(5);
        assertThat(r.lastError()).isEqualTo("CrmCallException SERVER_UNAVAILABLE");
        assertThat(r.handle()).as("kept until done").isEqualTo("someone");
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hearth_privacy_audit", Integer.class)).isZero();
    }

    @Test
    void aRefusedDeleteFailsTheRequestAfterMaxAttempts() throws Exception {
        when(crm.query(anyString())).thenReturn(List.of());
        org.mockito.Mockito.doThrow(new CrmCallException(CrmCallException.Kind.REJECTED, 400, "INSUFFICIENT_ACCESS", "no", null))
                .when(crm).update(anyString(), anyString(), org.mockito.ArgumentMatchers.anyMap());
        String id = store.request("contact", PrivacyKeys.contact("003000000000001AAA"), "003000000000001AAA", null, null, "api");
        for (int i = 0; i < 5; i++) {
            jobs.runPending();
        }
        PrivacyStore.Request r = store.find(id).orElseThrow();
        assertThat(r.status()).isEqualTo(PrivacyStore.Status.failed);
        assertThat(r.attempts()).isEqualTo(3);
        assertThat(r.finishedAt()).isEqualTo(NOW);
        assertThat(store.isErasedContact("003000000000001")).isTrue();
    }

    @Test
    void retentionPurgesTextAndHandleOfRowsOlderThanTheWindowOnly() {
        MentionLog log = new MentionLog(jdbc);
        log.record(entry("x:old", NOW.minus(Duration.ofDays(31))));
        log.record(entry("x:young", NOW.minus(Duration.ofDays(29))));
        assertThat(jobs.purgeExpiredText()).isEqualTo(1);
        assertThat(jdbc.queryForMap("SELECT handle, text, author_key, text_purged_at FROM hearth_mention_log WHERE mention_id = 'x:old'"))
                .containsEntry("HANDLE", null).containsEntry("TEXT", null).containsEntry("AUTHOR_KEY", AuthorKeys.of("x", "h"))
                .containsEntry("TEXT_PURGED_AT", java.sql.Timestamp.from(NOW));
        assertThat(jdbc.queryForObject("SELECT text FROM hearth_mention_log WHERE mention_id = 'x:young'", String.class)).isEqualTo("hello");
        assertThat(jobs.purgeExpiredText()).as("purged once").isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hearth_privacy_audit WHERE action = 'retention'", Integer.class)).isEqualTo(1);
    }

    @Test
    void otherFeaturesPerPersonTablesAreErasedWhenPresent() throws Exception {
        // hearth_reward_ledger is the rules' V7 table, hearth_link_failure comes with V5 (verified linking).
        for (String[] r : new String[][] {{"r1", "003000000000001AAA"}, {"r2", "003000000000002AAA"}}) {
            jdbc.update("INSERT INTO hearth_reward_ledger (reward_key, rule_key, contact_id, points, occurred_at, day_key,"
                    + " month_key, awarded_at) VALUES (?, 'brand-mention', ?, 10, CURRENT_TIMESTAMP, '2026-11-22', '2026-11',"
                    + " CURRENT_TIMESTAMP)", r[0], r[1]);
        }
        jdbc.update("INSERT INTO hearth_link_failure (author_key, attempted_at, mention_id) VALUES (?, CURRENT_TIMESTAMP, 'x:1'),"
                + " (?, CURRENT_TIMESTAMP, 'x:2')", AuthorKeys.of("x", "someone"), AuthorKeys.of("x", "other"));
        // another contact's leader row whose period the erased contact's post closed (V37 granted_by): that post is forgotten
        jdbc.update("INSERT INTO hearth_mention_log (mention_id, channel, author_key, contact_id, consent, created_at,"
                + " processed_at) VALUES ('x:closer', 'x', ?, '003000000000001AAA', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)",
                AuthorKeys.of("x", "closer"));
        jdbc.update("INSERT INTO hearth_reward_ledger (reward_key, rule_key, contact_id, points, occurred_at, day_key,"
                + " month_key, awarded_at, granted_by) VALUES ('leader:days:2026-11-21', 'leader:days', '003000000000002AAA', 5,"
                + " CURRENT_TIMESTAMP, '2026-11-22', '2026-11', CURRENT_TIMESTAMP, 'x:closer')");
        when(crm.query(anyString())).thenReturn(List.of());
        String contact = store.request("contact", PrivacyKeys.contact("003000000000001AAA"), "003000000000001AAA", null, null, "api");
        String handle = store.request("handle", AuthorKeys.of("x", "someone"), null, "x", "@Someone", "api");
        jobs.runPending();
        assertThat(store.find(contact).orElseThrow().status()).isEqualTo(PrivacyStore.Status.done);
        assertThat(store.find(handle).orElseThrow().counts()).contains("\"otherStateRows\":1");
        assertThat(jdbc.queryForList("SELECT reward_key FROM hearth_reward_ledger", String.class))
                .containsExactlyInAnyOrder("r2", "leader:days:2026-11-21");
        assertThat(jdbc.queryForObject("SELECT granted_by FROM hearth_reward_ledger WHERE reward_key = 'leader:days:2026-11-21'",
                String.class)).as("the erased contact's post no longer named").isNull();
        assertThat(jdbc.queryForList("SELECT mention_id FROM hearth_link_failure", String.class)).containsExactly("x:2");
    }

    @Test
    void catalogueGrantsForgetThePersonButKeepTheirStockUnitAndReasonsGo() throws Exception {
        for (String[] r : new String[][] {{"gift:003000000000001AAA:2026-11", "003000000000001AAA", "1"},
                {"gift:003000000000002AAA:2026-11", "003000000000002AAA", "2"}}) {
            jdbc.update("INSERT INTO hearth_catalogue_grant (reward_key, item_key, unit, contact_id, contact_unit, reason,"
                    + " granted_at) VALUES (?, 'flask', ?, ?, 1, 'item flask for interest #hiking', CURRENT_TIMESTAMP)",
                    r[0], Integer.parseInt(r[2]), r[1]);
            jdbc.update("INSERT INTO hearth_rule_reason (record_key, contact_id, rule_key, reason, decided_at)"
                    + " VALUES (?, ?, 'gift', 'mention of the brand on x', CURRENT_TIMESTAMP)", r[0], r[1]);
            jdbc.update("INSERT INTO hearth_reward_trigger (event_id, target, contact_id, body, created_at)"
                    + " VALUES (?, 'webhook', ?, '{}', CURRENT_TIMESTAMP)", r[0], r[1]);
        }
        when(crm.query(anyString())).thenReturn(List.of());
        String contact = store.request("contact", PrivacyKeys.contact("003000000000001AAA"), "003000000000001AAA", null, null, "api");
        jobs.runPending();
        assertThat(store.find(contact).orElseThrow().status()).isEqualTo(PrivacyStore.Status.done);
        assertThat(jdbc.queryForList("SELECT reward_key || ' ' || contact_id || ' ' || unit || ' ' || reason"
                + " FROM hearth_catalogue_grant ORDER BY unit", String.class))
                .containsExactly("erased:flask:1 - 1 erased", "gift:003000000000002AAA:2026-11 003000000000002AAA 2"
                        + " item flask for interest #hiking");
        assertThat(jdbc.queryForList("SELECT record_key FROM hearth_rule_reason", String.class))
                .containsExactly("gift:003000000000002AAA:2026-11");
        assertThat(jdbc.queryForList("SELECT event_id FROM hearth_reward_trigger", String.class))
                .as("the person's reward triggers are not sent after the erasure")
                .containsExactly("gift:003000000000002AAA:2026-11");
    }

    @Test
    void erasureRedactsThePersonsCasesAndBlocksTheirQueuedUpserts() throws Exception {
        // a case the hub opened for an unknown author (no ContactId in the CRM) and one of the contact
        jdbc.update("INSERT INTO hearth_case_state (case_key, author_key, contact_id, opened_mention, opened_at, last_at)"
                + " VALUES ('case:x:900', ?, NULL, 'x:900', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)", AuthorKeys.of("x", "someone"));
        when(crm.query(anyString())).thenAnswer(i -> {
            String soql = i.getArgument(0, String.class);
            if (soql.startsWith("SELECT Id, Subject FROM Case WHERE ContactId = '003000000000001AAA'")) {
                return List.of(row("500000000000001AAA", "Social complaint on x: my post"),
                        row("500000000000003AAA", PrivacyJobs.REDACTED_SUBJECT));
            }
            if (soql.startsWith("SELECT Id, Subject FROM Case WHERE Social_Conversation_Id__c = 'case:x:900'")) {
                return List.of(row("500000000000002AAA", "Social question on x: hi"));
            }
            return List.of();
        });
        String contact = store.request("contact", PrivacyKeys.contact("003000000000001AAA"), "003000000000001AAA", null, null, "api");
        String handle = store.request("handle", AuthorKeys.of("x", "someone"), null, "x", "someone", "api");
        jobs.runPending();

        java.util.Map<String, Object> redacted = new java.util.LinkedHashMap<>();
        redacted.put("Subject", PrivacyJobs.REDACTED_SUBJECT);
        redacted.put("Description", null);
        org.mockito.Mockito.verify(crm).updateAll("Case", List.of("500000000000001AAA"), redacted);
        org.mockito.Mockito.verify(crm).updateAll("Case", List.of("500000000000002AAA"), redacted);
        assertThat(store.find(contact).orElseThrow().counts()).contains("\"crmCases\":1");
        assertThat(store.find(handle).orElseThrow().counts()).contains("\"crmCases\":1");
        assertThat(store.isErasedCase("case:x:900")).as("queued upserts of the case are dropped").isTrue();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hearth_case_state", Integer.class)).isZero();
    }

    @Test
    @SuppressWarnings("unchecked")
    void erasureDeletesTheCasesWhenConfiguredSo() throws Exception {
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        PrivacyJobs deleting = new PrivacyJobs(store, crm, new ContactDirectory(jdbc), jdbc, new CrmMapping(), new ObjectMapper(),
                mock(ChannelRegistry.class), clock, mock(ObjectProvider.class), mock(CrmCommands.class),
                mock(ProducerTemplate.class), Duration.ofDays(30), 3, "delete", null);
        // deletes find their ids with queryAll (the Recycle Bin too, see deleteWhere)
        when(crm.queryAll(anyString())).thenAnswer(i -> i.getArgument(0, String.class)
                .startsWith("SELECT Id FROM Case WHERE ContactId = '003000000000001AAA'") ? List.of(row("500000000000001AAA", "s")) : List.of());
        when(crm.delete(List.of("500000000000001AAA"))).thenReturn(1).thenReturn(0);
        String contact = store.request("contact", PrivacyKeys.contact("003000000000001AAA"), "003000000000001AAA", null, null, "api");
        deleting.runPending();
        assertThat(store.find(contact).orElseThrow().counts()).contains("\"crmCases\":1");
        org.mockito.Mockito.verify(crm, org.mockito.Mockito.never()).updateAll(anyString(), org.mockito.ArgumentMatchers.anyList(),
                org.mockito.ArgumentMatchers.anyMap());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PrivacyJobs(store, crm, new ContactDirectory(jdbc), jdbc,
                new CrmMapping(), new ObjectMapper(), mock(ChannelRegistry.class), clock, mock(ObjectProvider.class),
                mock(CrmCommands.class), mock(ProducerTemplate.class), Duration.ofDays(30), 3, "shred", null))
                .hasMessageContaining("hearth.privacy.erasure.cases: must be 'redact' or 'delete', was 'shred'");
    }

    private static com.fasterxml.jackson.databind.JsonNode row(String id, String subject) {
        return new ObjectMapper().createObjectNode().put("Id", id).put("Subject", subject);
    }

    private static MentionLog.Entry entry(String id, Instant processedAt) {
        return new MentionLog.Entry(id, "x", AuthorKeys.of("x", "h"), null, false, "post", processedAt, processedAt, 0.1, "other",
                1, 10L, 0L, List.of(), null, "h", "hello");
    }
}
