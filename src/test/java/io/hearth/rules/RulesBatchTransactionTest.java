package io.hearth.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.crm.CrmCommand;
import io.hearth.crm.CrmMapping;
import io.hearth.identity.IdentityHooks;
import io.hearth.enrich.JudgedMention;
import io.hearth.enrich.MentionEnricher;
import io.hearth.enrich.MentionJudge;
import io.hearth.enrich.MentionLog;
import io.hearth.identity.ContactDirectory;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionKind;
import io.hearth.mention.TestObjectMappers;
import io.hearth.queue.BatchTransaction;
import io.hearth.queue.StageHarness;
import io.hearth.scoring.MentionScorer;
import io.hearth.state.StateDatabases;
import io.hearth.state.TestStateDatabase;
import jakarta.jms.Message;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 18 items 3 and 7, on a real stage (in-VM broker, transacted batches) with the real enricher, rules judge and
 * state database (PostgreSQL, skipped when absent; and H2): faults are real ones, a failing commit step of the batch
 * and an SQL error in a mention's work.
 * <ul>
 * <li>item 3: the rules' state commits with the batch. A batch rolled back after the tier was stored, or a mention
 * retried in memory after a judge failed, must still emit the advocate flag;</li>
 * <li>item 7: an SQL error in one mention's work (which aborts a PostgreSQL transaction) isolates that mention (its
 * retries, then the DLQ with the reason) and the rest of the batch commits, log rows and CRM commands together.</li>
 * </ul>
 */
class RulesBatchTransactionTest {

    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    static final String JANE = "003000000000001AAA";
    static final String SAM = "003000000000002AAA";
    static final String RULES = """
            advocates:
              window-days: 90
              tiers:
                - name: advocate
                  enter: { positive-mentions: 3, average-sentiment: 0.3 }
            """;
    static final ObjectMapper JSON = TestObjectMappers.springLike();

    @RegisterExtension
    final StateDatabases databases = new StateDatabases();

    private StageHarness stage;
    private TestStateDatabase db;
    /** Mention ids whose next judging fails with a real SQL error (removed when failing once; "always:" prefix: every time). */
    private final Set<String> failJudging = ConcurrentHashMap.newKeySet();
    /** Mention ids whose batch is to fail at commit (once), before the state database commits. */
    private final Set<String> failCommitOf = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean failThisBatch = new AtomicBoolean();

    @AfterEach
    void tearDown() throws Exception {
        if (stage != null) {
            stage.close();   // before the database: the stage's consumers hold its connections
        }
    }

    private void start(String kind) throws Exception {
        db = databases.open(kind);
        identity("i1", "jane", JANE);
        identity("i2", "sam", SAM);
        MentionLog log = new MentionLog(db.jdbc());
        RulesStore store = new RulesStore(db.jdbc(), log::reader);
        Rules rules = new RulesLoader().parse("rules.yml", RULES);
        CrmMapping mapping = new CrmMapping();
        MentionJudge faults = j -> {
            String id = j.mention().id();
            if (failJudging.remove(id) || failJudging.contains("always:" + id)) {
                // a real SQL error on the batch's connection (PostgreSQL aborts the transaction on it)
                log.reader().update("INSERT INTO hearth_no_such_table (x) VALUES (1)");
            }
            return List.of();
        };
        List<MentionJudge> judges = List.of(new RulesJudge(() -> rules, store, log, mapping), faults);
        MentionEnricher enricher = new MentionEnricher(JSON, new ContactDirectory(db.jdbc()), MentionScorer.defaults(), log,
                mapping, IdentityHooks.NONE, judges, Clock.fixed(NOW, ZoneOffset.UTC), 3);
        stage = new StageHarness(20, "social.mentions", "crm.outbound");
        stage.start(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("queue:DLQ.social.mentions").useOriginalMessage()
                        .maximumRedeliveries(2).redeliveryDelay(10));
                from("queue:social.mentions?batchSize=20&batchWindow=500").routeId("enrich-under-test")
                        .process(e -> {
                            // a batch step that fails at commit, before the state database commits: a real rollback
                            BatchTransaction tx = e.getProperty(BatchTransaction.PROPERTY, BatchTransaction.class);
                            tx.participant("commit-fault", () -> () -> {
                                if (failThisBatch.getAndSet(false)) {
                                    db.jdbc().update("INSERT INTO hearth_no_such_table (x) VALUES (1)");
                                }
                            });
                            String body = e.getMessage().getBody(String.class);
                            failCommitOf.removeIf(id -> body.contains("\"id\":\"" + id + "\"") && failThisBatch.compareAndSet(false, true));
                        })
                        .bean(enricher, "enrich")
                        .split(body())
                        .to("queue:crm.outbound");
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgresql", "h2"})
    void aRolledBackBatchLeavesNoRulesStateBehindAndItsRedeliveryEmitsTheAdvocateFlag(String kind) throws Exception {
        start(kind);
        send(positive("j1", "jane"), positive("j2", "jane"));
        await().atMost(Duration.ofSeconds(30)).until(() -> stage.consumed("social.mentions") >= 2);
        failCommitOf.add("x:j3");
        send(positive("j3", "jane"));   // the third positive mention makes Jane an advocate; its batch rolls back once

        List<JsonNode> out = awaitCommands(c -> isAdvocateFlag(c, JANE));
        assertThat(out).as("no flapping").noneMatch(c -> "Contact".equals(c.path("object").asText())
                && c.path("fields").has("Advocate__c") && !c.path("fields").path("Advocate__c").asBoolean());
        assertThat(failCommitOf).as("the batch with j3 failed its commit").isEmpty();
        assertThat(stage.rollbacks("social.mentions")).as("the injected commit fault rolled a batch back").isPositive();
        assertThat(out).filteredOn(c -> isAdvocateFlag(c, JANE)).hasSize(1);
        assertThat(db.jdbc().queryForObject("SELECT tier FROM hearth_advocate_state WHERE contact_id = ?", String.class, JANE))
                .isEqualTo("advocate");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgresql", "h2"})
    void aMentionRetriedInMemoryAfterAFailedJudgeStillEmitsTheAdvocateFlag(String kind) throws Exception {
        start(kind);
        failJudging.add("x:j3");
        send(positive("j1", "jane"), positive("j2", "jane"), positive("j3", "jane"), positive("s1", "sam"));

        await().atMost(Duration.ofSeconds(30)).until(() -> stage.consumed("social.mentions") >= 4);
        List<JsonNode> out = commands(stage.drain("crm.outbound"));
        assertThat(out).filteredOn(c -> hasMentionRecord(c, "x:s1")).hasSize(1);
        assertThat(out).filteredOn(c -> isAdvocateFlag(c, JANE)).hasSize(1);
        assertThat(stage.count("DLQ.social.mentions")).isZero();
        assertThat(log("x:j1", "x:j2", "x:j3", "x:s1")).isEqualTo(4);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgresql", "h2"})
    void anSqlErrorInOneMentionIsolatesItAndTheRestOfTheBatchCommitsWhole(String kind) throws Exception {
        start(kind);
        failJudging.add("always:x:bad");
        send(positive("a1", "jane"), positive("bad", "jane"), positive("a2", "sam"), positive("a3", "jane"));

        await().atMost(Duration.ofSeconds(30)).until(() -> stage.consumed("social.mentions") >= 4);
        List<Message> dlq = stage.drain("DLQ.social.mentions");
        List<JsonNode> out = commands(stage.drain("crm.outbound"));
        assertThat(dlq).singleElement().satisfies(m -> assertThat(m.getBody(String.class)).contains("\"nativeId\":\"bad\""));
        assertThat(out).filteredOn(c -> hasMentionRecord(c, "x:bad")).isEmpty();
        for (String id : List.of("x:a1", "x:a2", "x:a3")) {
            assertThat(out).as("the CRM record of %s", id).filteredOn(c -> hasMentionRecord(c, id)).hasSize(1);
        }
        assertThat(log("x:a1", "x:a2", "x:a3")).as("every mention whose commands committed has its log row").isEqualTo(3);
        assertThat(log("x:bad")).isZero();
    }

    // --- helpers ---

    private List<JsonNode> awaitCommands(Predicate<JsonNode> until) {
        List<JsonNode> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            seen.addAll(commands(stage.drain("crm.outbound")));
            return seen.stream().anyMatch(until);
        });
        return seen;
    }

    private static List<JsonNode> commands(List<Message> messages) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String body : StageHarness.bodies(messages)) {
            out.add(JSON.readTree(body));
        }
        return out;
    }

    private static boolean isAdvocateFlag(JsonNode c, String contact) {
        return "Contact".equals(c.path("object").asText()) && contact.equals(c.path("id").asText())
                && c.path("fields").path("Advocate__c").asBoolean(false);
    }

    private static boolean hasMentionRecord(JsonNode c, String mentionId) {
        return "Social_Mention__c".equals(c.path("object").asText()) && mentionId.equals(c.path("externalId").asText());
    }

    private int log(String... ids) {
        int n = 0;
        for (String id : ids) {
            n += db.jdbc().queryForObject("SELECT COUNT(*) FROM hearth_mention_log WHERE mention_id = ?", Integer.class, id);
        }
        return n;
    }

    private void send(Mention... mentions) throws Exception {
        String[] bodies = new String[mentions.length];
        for (int i = 0; i < mentions.length; i++) {
            bodies[i] = JSON.writeValueAsString(mentions[i]);
        }
        stage.send("social.mentions", bodies);
    }

    private static Mention positive(String nativeId, String handle) {
        return Mention.v1("x", nativeId).id("x:" + nativeId).kind(MentionKind.POST)
                .text("I love this, great service, wonderful people").lang("en").createdAt(NOW.minus(Duration.ofDays(1)))
                .author(new Mention.Author(handle, null, null, 500L, false, null))
                .hashtags(List.of()).mentions(List.of()).links(List.of()).build();
    }

    private void identity(String id, String handle, String contact) {
        db.jdbc().update("INSERT INTO hearth_contact_directory (identity_id, channel, handle, raw_handle, external_id,"
                + " contact_id, verified, consent, system_modstamp, synced_at, sync_run) VALUES (?, 'x', ?, ?, ?, ?, TRUE,"
                + " TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)", id, handle, handle, "x:" + handle, contact);
    }

    static JudgedMention unused() {
        return null;
    }

    static CrmCommand unusedCommand() {
        return null;
    }
}
