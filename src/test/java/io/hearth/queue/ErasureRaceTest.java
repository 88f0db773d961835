package io.hearth.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.channel.ChannelRegistry;
import io.hearth.crm.CrmCommands;
import io.hearth.crm.CrmMapping;
import io.hearth.identity.AuthorKeys;
import io.hearth.enrich.MentionLog;
import io.hearth.identity.ContactDirectory;
import io.hearth.mention.Mention;
import io.hearth.privacy.CrmEraser;
import io.hearth.privacy.PrivacyGate;
import io.hearth.privacy.PrivacyJobs;
import io.hearth.privacy.PrivacyStore;
import org.apache.camel.ProducerTemplate;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Issue 18 item 10, the race: an enrich batch processed a mention (author not suppressed yet) and holds its mention-log
 * row uncommitted; an erasure suppresses the author and deletes the author's rows meanwhile; then the batch commits.
 * Without the privacy fence the row (contact, handle, text) is back after the erasure reported done; with it the batch
 * fails (redelivered as a suppressed author's) and the row is gone. In package io.hearth.queue for the batch
 * transaction's hooks; the mention log, the gate and the erasure job are the real ones on the hub's schema (H2).
 */
class ErasureRaceTest {

    static final String ALICE = "003000000000001AAA";

    JdbcTemplate jdbc;
    PrivacyStore store;
    PrivacyGate gate;
    PrivacyJobs jobs;
    MentionLog log;

    @BeforeEach
    @SuppressWarnings("unchecked")
    void setUp() throws Exception {
        DriverManagerDataSource ds = new DriverManagerDataSource("jdbc:h2:mem:race-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(ds);
        Clock clock = Clock.systemUTC();
        store = new PrivacyStore(jdbc, clock);
        gate = new PrivacyGate(store, new CrmMapping());
        CrmEraser crm = mock(CrmEraser.class);
        when(crm.query(anyString())).thenReturn(List.of());
        jobs = new PrivacyJobs(store, crm, new ContactDirectory(jdbc), jdbc, new CrmMapping(), new ObjectMapper(),
                mock(ChannelRegistry.class), clock, mock(ObjectProvider.class), mock(CrmCommands.class),
                mock(ProducerTemplate.class), Duration.ofDays(30), 3);
        log = new MentionLog(jdbc);
    }

    @Test
    void withoutTheFenceALateBatchCommitBringsTheErasedRowBack() throws Exception {
        BatchTransaction tx = new BatchTransaction(null);
        log.joinBatch(tx);                       // as the enrich stage did before the fence existed
        processInBatch("x:1");
        eraseAlice();
        tx.beforeCommit();                       // the batch commits after the erasure's delete
        tx.committed();
        assertThat(personalRowsOfAlice()).as("the defect: the erased row is back").isEqualTo(1);
        assertThat(jobs.sweepLateRows()).as("the sweep takes it out at the next tick").isEqualTo(1);
        assertThat(personalRowsOfAlice()).isZero();
    }

    @Test
    void theFenceFailsTheBatchAndLeavesNothingOfTheErasedAuthor() throws Exception {
        BatchTransaction tx = new BatchTransaction(null);
        log.joinBatch(tx);
        gate.joinBatch(tx);                      // the enrich stage enlists the fence after the log
        processInBatch("x:1");
        processInBatch("x:2");
        eraseAlice();
        assertThatThrownBy(tx::beforeCommit).hasMessageContaining("erased while it was open");
        tx.rolledBack();
        assertThat(personalRowsOfAlice()).isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hearth_mention_log", Integer.class)).isZero();

        // the redelivery: the author is suppressed now, so the row is pseudonymous and the batch commits
        BatchTransaction again = new BatchTransaction(null);
        log.joinBatch(again);
        gate.joinBatch(again);
        Mention m = mention("x:1");
        assertThat(gate.suppressed(m)).isTrue();
        log.record(entry("x:1", true), Instant.now());
        again.beforeCommit();
        again.committed();
        assertThat(jdbc.queryForMap("SELECT contact_id, handle, text FROM hearth_mention_log WHERE mention_id = 'x:1'").values())
                .containsOnlyNulls();
        assertThat(jobs.sweepLateRows()).as("a suppressed author's pseudonymous row is not a late row").isZero();
    }

    @Test
    void aBatchOfOtherAuthorsCommitsUntouched() throws Exception {
        BatchTransaction tx = new BatchTransaction(null);
        log.joinBatch(tx);
        gate.joinBatch(tx);
        processInBatch("x:1");
        tx.beforeCommit();
        tx.committed();
        assertThat(personalRowsOfAlice()).isEqualTo(1);
    }

    @Test
    void theEnrichStageEnlistsTheFenceInItsBatch() throws Exception {
        // the real enrich step with the hub's wiring of identity hooks: Alice is a consenting contact
        jdbc.update("INSERT INTO hearth_contact_directory (identity_id, channel, handle, raw_handle, external_id, contact_id,"
                + " verified, consent, system_modstamp, synced_at, sync_run) VALUES ('a1', 'x', 'alice_a', 'alice_a', 'x:alice_a', ?,"
                + " TRUE, TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)", ALICE);
        ObjectMapper json = new ObjectMapper().registerModule(new com.fasterxml.jackson.datatype.jsr310.JavaTimeModule());
        io.hearth.enrich.MentionEnricher enricher = new io.hearth.enrich.MentionEnricher(json, new ContactDirectory(jdbc),
                io.hearth.scoring.MentionScorer.defaults(), log, new CrmMapping(),
                io.hearth.identity.IdentityHooks.all(List.of(gate)), List.of(), Clock.systemUTC(), 3);
        BatchTransaction tx = new BatchTransaction(null);
        org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(new org.apache.camel.impl.DefaultCamelContext());
        exchange.setProperty(BatchTransaction.PROPERTY, tx);
        Mention m = Mention.v1("x", "1").id("x:1").url("https://x.com/i/1").kind(io.hearth.mention.MentionKind.POST)
                .text("my post").lang("en").createdAt(Instant.now())
                .author(new Mention.Author("alice_a", null, null, 500L, false, null))
                .hashtags(List.of()).mentions(List.of()).links(List.of()).build();
        assertThat(enricher.enrich(json.writeValueAsString(m), exchange)).as("her Social_Mention__c and aggregates").hasSize(2);
        eraseAlice();
        assertThatThrownBy(tx::beforeCommit).hasMessageContaining("erased while it was open");
        tx.rolledBack();
        assertThat(personalRowsOfAlice()).isZero();
    }

    private void processInBatch(String id) {
        Mention m = mention(id);
        assertThat(gate.suppressed(m)).isFalse();
        log.record(entry(id, false), Instant.now());
    }

    private void eraseAlice() {
        String id = store.request("handle", AuthorKeys.of("x", "alice_a"), null, "x", "alice_a", "api");
        jobs.runPending();
        assertThat(store.find(id).orElseThrow().status()).isEqualTo(PrivacyStore.Status.done);
    }

    private int personalRowsOfAlice() {
        return jdbc.queryForObject("SELECT COUNT(*) FROM hearth_mention_log WHERE author_key = ? AND (contact_id IS NOT NULL"
                + " OR handle IS NOT NULL OR text IS NOT NULL)", Integer.class, AuthorKeys.of("x", "alice_a"));
    }

    private static Mention mention(String id) {
        return Mention.v1("x", id.substring(2)).id(id).text("t")
                .author(new Mention.Author("alice_a", null, null, null, null, null)).build();
    }

    private static MentionLog.Entry entry(String id, boolean suppressed) {
        Instant now = Instant.now();
        return new MentionLog.Entry(id, "x", AuthorKeys.of("x", "alice_a"), suppressed ? null : ALICE, !suppressed, "post", now,
                now, 0.1, "other", 1, 10L, 0L, List.of(), null, suppressed ? null : "alice_a", suppressed ? null : "my post");
    }

}
