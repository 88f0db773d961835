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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.crm.CrmMapping;
import io.hearth.enrich.MentionEnricher;
import io.hearth.enrich.MentionLog;
import io.hearth.identity.ContactDirectory;
import io.hearth.identity.IdentityHooks;
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
 * The broker-restart rewrite of {@code ScaleOutClusterTest} (docs/scaling.md "Group rebalancing", docs/reliability.md):
 * an enrich batch whose state database committed in its before-commit step and whose JMS commit then failed (the broker
 * went away at that moment) is redelivered; its mentions are judged again as replays ({@code firstSeen} false) and their
 * CRM commands leave under NEW JMS message ids, which the CRM writer's written marks (keyed by message id) cannot tell
 * from new work. A replay must therefore send only what the replayed mention itself caused: here the contact's badge,
 * granted (and sent, and committed) by an EARLIER mention, must not leave a second time, while the replayed mention's
 * own record must leave once. Real stage (in-VM broker, transacted batches), real enricher, rules judge and state
 * database; the fault is real: the broker fails the consumer's connection after the database commit, before the JMS
 * commit.
 */
class RedeliveryAfterDatabaseCommitTest {

    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    static final String JANE = "003000000000001AAA";
    /** The shape of the shipped rules that the cluster test met: capped per-mention rewards and a badge at points. */
    static final String BADGE_RULES = """
            brand: { handles: [hearth_brand], keywords: [hearth] }
            rewards:
              - { key: brand-mention, action: mention, points: 10, cap: { per-day: 20 } }
            badges:
              - { name: Fan, at-points: 20 }
            """;
    /** Ledger rows that one mention grants and later mentions find: a reward per day, a day's leader badge. */
    static final String SHARED_ROW_RULES = """
            rewards:
              - { key: daily, action: any, points: 1, per: day }
            leaderboards:
              - { key: days, period: day, leader-badge: Star of the day, leader-points: 5 }
            """;
    static final ObjectMapper JSON = TestObjectMappers.springLike();

    @RegisterExtension
    final StateDatabases databases = new StateDatabases();

    private StageHarness stage;
    private TestStateDatabase db;
    /** Mention ids whose batch loses its broker connection after the database commit (once each). */
    private final Set<String> failAfterDbCommitOf = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean failThisBatch = new AtomicBoolean();

    @AfterEach
    void tearDown() throws Exception {
        if (stage != null) {
            stage.close();   // before the database: the stage's consumers hold its connections
        }
    }

    private void start(String kind, String rulesYaml) throws Exception {
        db = databases.open(kind);
        db.jdbc().update("INSERT INTO hearth_contact_directory (identity_id, channel, handle, raw_handle, external_id,"
                + " contact_id, verified, consent, system_modstamp, synced_at, sync_run) VALUES ('i1', 'x', 'jane', 'jane',"
                + " 'x:jane', ?, TRUE, TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1)", JANE);
        MentionLog log = new MentionLog(db.jdbc());
        RulesStore store = new RulesStore(db.jdbc(), log::reader);
        Rules rules = new RulesLoader().parse("rules.yml", rulesYaml);
        CrmMapping mapping = new CrmMapping();
        MentionEnricher enricher = new MentionEnricher(JSON, new ContactDirectory(db.jdbc()), MentionScorer.defaults(), log,
                mapping, IdentityHooks.NONE, List.of(new RulesJudge(() -> rules, store, log, mapping)),
                Clock.fixed(NOW, ZoneOffset.UTC), 3);
        stage = new StageHarness(20, "social.mentions", "crm.outbound");
        stage.start(new RouteBuilder() {
            @Override
            public void configure() {
                errorHandler(deadLetterChannel("queue:DLQ.social.mentions").useOriginalMessage()
                        .maximumRedeliveries(2).redeliveryDelay(10));
                from("queue:social.mentions?batchSize=20&batchWindow=300").routeId("enrich-under-test")
                        .process(e -> {
                            String body = e.getMessage().getBody(String.class);
                            failAfterDbCommitOf.removeIf(id -> body.contains("\"id\":\"" + id + "\"")
                                    && failThisBatch.compareAndSet(false, true));
                        })
                        .bean(enricher, "enrich")
                        .process(e -> {
                            // enlisted after the mention log: its before-commit step runs after the database commit, so
                            // the broker fault falls exactly between the database commit and the JMS commit
                            BatchTransaction tx = e.getProperty(BatchTransaction.PROPERTY, BatchTransaction.class);
                            tx.participant("broker-goes-away", () -> () -> {
                                if (failThisBatch.getAndSet(false)) {
                                    stage.failClientConnections();
                                }
                            });
                        })
                        .split(body())
                        .to("queue:crm.outbound");
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgresql", "h2"})
    void aMentionRedeliveredAfterItsDatabaseCommitDoesNotSendTheBadgeAnEarlierMentionGranted(String kind) throws Exception {
        start(kind, BADGE_RULES);
        List<JsonNode> out = new ArrayList<>();
        // 10 + 10 points: the Fan badge with the second mention, sent and committed
        sendAndAwait(out, brandPost("p1", NOW.minus(Duration.ofHours(3))));
        sendAndAwait(out, brandPost("p2", NOW.minus(Duration.ofHours(2))));
        assertThat(out).filteredOn(c -> isReward(c, "badge:fan:" + JANE)).as("the badge, granted by p2").hasSize(1);

        // p3: capped, no reward of its own. Its batch commits the database, then the broker fails the connection.
        failOnceAfterDatabaseCommit(out, brandPost("p3", NOW.minus(Duration.ofHours(1))));

        assertThat(out).filteredOn(c -> isMentionRecord(c, "x:p3")).as("p3's own record, sent once (not lost)").hasSize(1);
        assertThat(out).filteredOn(c -> isReward(c, "badge:fan:" + JANE))
                .as("the badge p2 granted and sent: not sent again by p3's redelivery").hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgresql", "h2"})
    void rowsAnotherMentionGrantedAreNotSentAgainByLaterMentionsOrTheirRedeliveries(String kind) throws Exception {
        start(kind, SHARED_ROW_RULES);
        List<JsonNode> out = new ArrayList<>();
        sendAndAwait(out, brandPost("y1", NOW.minus(Duration.ofDays(1))));   // yesterday: Jane leads the day
        sendAndAwait(out, brandPost("t1", NOW.minus(Duration.ofHours(3))));  // today's first post closes yesterday
        String daily = "daily:" + JANE + ":2026-11-22";
        assertThat(out).filteredOn(c -> isReward(c, "leader:days:2026-11-21")).as("yesterday's leader, with t1").hasSize(1);
        assertThat(out).filteredOn(c -> isReward(c, daily)).as("today's daily reward, t1's").hasSize(1);

        sendAndAwait(out, brandPost("t2", NOW.minus(Duration.ofHours(2))));
        assertThat(out).filteredOn(c -> isReward(c, daily)).as("t2 finds t1's daily row: nothing changed").hasSize(1);

        failOnceAfterDatabaseCommit(out, brandPost("t3", NOW.minus(Duration.ofHours(1))));
        assertThat(out).filteredOn(c -> isMentionRecord(c, "x:t3")).as("t3's own record, sent once (not lost)").hasSize(1);
        assertThat(out).filteredOn(c -> isReward(c, daily)).as("nor t3's redelivery").hasSize(1);
        assertThat(out).filteredOn(c -> isReward(c, "leader:days:2026-11-21")).as("the leader row t1 sent: once").hasSize(1);
    }

    /** Sends the mention; its batch commits the state database, then the broker fails the connection; awaits the redelivery. */
    private void failOnceAfterDatabaseCommit(List<JsonNode> out, Mention m) throws Exception {
        failAfterDbCommitOf.add(m.id());
        double rollbacks = stage.rollbacks("social.mentions");
        stage.send("social.mentions", JSON.writeValueAsString(m));
        await().atMost(Duration.ofSeconds(30)).until(() -> stage.rollbacks("social.mentions") > rollbacks);
        await().atMost(Duration.ofSeconds(30)).until(() -> stage.count("social.mentions") == 0);
        out.addAll(commands(stage.drain("crm.outbound")));
        assertThat(failAfterDbCommitOf).as("%s's batch met the fault", m.id()).isEmpty();
        assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM hearth_mention_log WHERE mention_id = ?", Integer.class, m.id()))
                .as("the database had committed %s's batch before the broker went away", m.id()).isEqualTo(1);
        assertThat(stage.count("DLQ.social.mentions")).isZero();
    }

    // --- helpers ---

    private void sendAndAwait(List<JsonNode> out, Mention m) throws Exception {
        double before = stage.consumed("social.mentions");
        stage.send("social.mentions", JSON.writeValueAsString(m));
        await().atMost(Duration.ofSeconds(30)).until(() -> stage.consumed("social.mentions") > before);
        out.addAll(commands(stage.drain("crm.outbound")));
    }

    private static List<JsonNode> commands(List<Message> messages) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (String body : StageHarness.bodies(messages)) {
            out.add(JSON.readTree(body));
        }
        return out;
    }

    private static boolean isReward(JsonNode c, String key) {
        return "Social_Reward__c".equals(c.path("object").asText()) && key.equals(c.path("externalId").asText());
    }

    private static boolean isMentionRecord(JsonNode c, String mentionId) {
        return "Social_Mention__c".equals(c.path("object").asText()) && mentionId.equals(c.path("externalId").asText());
    }

    private static Mention brandPost(String nativeId, Instant at) {
        return Mention.v1("x", nativeId).id("x:" + nativeId).kind(MentionKind.POST)
                .text("Loving hearth, great service").lang("en").createdAt(at)
                .author(new Mention.Author("jane", null, null, 500L, false, null))
                .hashtags(List.of()).mentions(List.of()).links(List.of()).build();
    }
}
