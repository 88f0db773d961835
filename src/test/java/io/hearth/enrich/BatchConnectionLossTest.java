package io.hearth.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.hearth.mention.TestObjectMappers;
import io.hearth.queue.BatchFailures;
import io.hearth.queue.BatchTransaction;
import io.hearth.queue.DeadLetterPublisher;
import io.hearth.queue.StageHarness;
import io.hearth.queue.StageQueueConsumer;
import io.hearth.state.FaultyDataSource;
import io.hearth.state.TestStateDatabase;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Issue 18, chaos run 7 (state database down 30 s), on a real stage (in-VM broker, transacted batches) with the shipped
 * pipeline error handler ({@code routes/pipeline/error-handling.camel.yaml}, its production retry delays) and the real
 * {@link MentionLog} batch connection, on H2 and PostgreSQL:
 * <ul>
 * <li>a connection-level failure (the batch's connection dies mid-batch: SQLState 08006 on every call, as after a
 * PostgreSQL restart) ends the batch at once: one attempt on the dead connection, no in-memory retries, nothing
 * dead-lettered, one rollback, the batch redelivered and committed whole on a fresh connection. Before the fix every
 * later message of the batch was retried 3 times (1.4 s) on the dead connection and "dead-lettered" into the doomed
 * transaction: 7 messages x 4 attempts here, ~10 s, and "Dead-lettered" logged 7 times for nothing on the DLQ;</li>
 * <li>the pool has no connection (Hikari's "Connection is not available", the database down): the same, no DLQ;</li>
 * <li>a data error in one message still isolates that message (its DLQ with the reason), the rest commits (item 7);</li>
 * <li>the log says "Dead-lettered" only for a DLQ send that committed, and "Not dead-lettered" for one rolled back.</li>
 * </ul>
 */
class BatchConnectionLossTest {

    @TempDir
    Path tempDir;

    private StageHarness stage;
    private TestStateDatabase db;
    private FaultyDataSource faulty;
    private MentionLog mentionLog;
    private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
    private final AtomicInteger attempts = new AtomicInteger();
    /** Work on a mention: what the test injects before the mention's row is written. */
    private final Set<String> dataErrorOf = ConcurrentHashMap.newKeySet();
    private final Set<String> cutBefore = ConcurrentHashMap.newKeySet();
    private final Set<String> poolDownBefore = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean failNextCommit = new AtomicBoolean();

    @AfterEach
    void tearDown() throws Exception {
        for (Class<?> c : List.of(DeadLetterPublisher.class, StageQueueConsumer.class)) {
            ((Logger) LoggerFactory.getLogger(c)).detachAppender(logs);
        }
        if (stage != null) {
            stage.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private void start(String kind) throws Exception {
        start(kind, 20, false);
    }

    /** {@code probed}: the stage waits for the database after losing it (the hub's wiring, BrokerConfiguration). */
    private void start(String kind, int maxDeliveryAttempts, boolean probed) throws Exception {
        db = kind.equals("postgresql") ? TestStateDatabase.postgres() : TestStateDatabase.h2(tempDir);
        faulty = new FaultyDataSource(db.dataSource());
        mentionLog = new MentionLog(new JdbcTemplate(faulty));
        logs.start();
        for (Class<?> c : List.of(DeadLetterPublisher.class, StageQueueConsumer.class)) {
            ((Logger) LoggerFactory.getLogger(c)).addAppender(logs);
        }
        stage = new StageHarness(maxDeliveryAttempts, "social.mentions", "crm.outbound");
        var camel = stage.camel();
        if (probed) {
            camel.getComponent("queue", io.hearth.queue.StageQueueComponent.class)
                    .setStateDatabaseProbe(io.hearth.queue.StageQueueComponent.probeOf(faulty));
        }
        Properties redelivery = new Properties();
        // the shipped defaults (config/application.yml hearth.queues.redelivery.*)
        redelivery.put("hearth.queues.redelivery.max-redeliveries", "3");
        redelivery.put("hearth.queues.redelivery.initial-delay", "200");
        redelivery.put("hearth.queues.redelivery.multiplier", "2");
        redelivery.put("hearth.queues.redelivery.max-delay", "5000");
        camel.getPropertiesComponent().setOverrideProperties(redelivery);
        camel.getRegistry().bind("deadLetterPublisher",
                new DeadLetterPublisher(camel.createProducerTemplate(), TestObjectMappers.springLike(), Clock.systemUTC()));
        camel.getRegistry().bind("batchFailures", new BatchFailures());
        PluginHelper.getRoutesLoader(camel).loadRoutes(
                ResourceHelper.resolveMandatoryResource(camel, "file:routes/pipeline/error-handling.camel.yaml"));
        stage.start(new RouteBuilder() {
            @Override
            public void configure() {
                from("queue:social.mentions?batchSize=10&batchWindow=1000").routeId("enrich-under-test")
                        .routeConfigurationId("pipeline-errors")
                        .process(e -> {
                            BatchTransaction tx = e.getProperty(BatchTransaction.PROPERTY, BatchTransaction.class);
                            tx.participant("commit-fault", () -> () -> {
                                if (failNextCommit.getAndSet(false)) {
                                    throw new IllegalStateException("injected commit failure");
                                }
                            });
                            String id = e.getMessage().getBody(String.class);
                            attempts.incrementAndGet();
                            if (cutBefore.remove(id)) {
                                faulty.cutLentConnections();   // the database restarted under the open batch
                            }
                            if (poolDownBefore.remove(id)) {
                                faulty.failNewConnections(true);
                            }
                            mentionLog.joinBatch(tx);
                            mentionLog.inMention(() -> {
                                if (dataErrorOf.contains(id)) {
                                    mentionLog.reader().update("INSERT INTO hearth_no_such_table (x) VALUES (1)");
                                }
                                return mentionLog.record(entry(id));
                            });
                        })
                        .to("queue:crm.outbound");
            }
        });
    }

    private static MentionLog.Entry entry(String id) {
        Instant at = Instant.parse("2026-11-20T10:00:00Z");
        return new MentionLog.Entry(id, "x", "a".repeat(64), null, false, "post", at, at, null, null, null, null, null,
                List.of(), null, null, null);
    }

    private static String[] ids(int n) {
        String[] out = new String[n];
        for (int i = 0; i < n; i++) {
            out[i] = "x:" + (i + 1);
        }
        return out;
    }

    private List<String> lines(String contains) {
        return logs.list.stream().map(ILoggingEvent::getFormattedMessage).filter(m -> m.contains(contains)).toList();
    }

    private int rows() {
        return db.jdbc().queryForObject("SELECT COUNT(*) FROM hearth_mention_log", Integer.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void aConnectionThatDiesMidBatchEndsTheBatchAtOnceAndTheRedeliveryCommitsItWhole(String kind) throws Exception {
        start(kind);
        cutBefore.add("x:4");
        long started = System.nanoTime();
        stage.send("social.mentions", ids(10));

        await().atMost(Duration.ofSeconds(60)).until(() -> stage.consumed("social.mentions") >= 10);
        long took = Duration.ofNanos(System.nanoTime() - started).toMillis();

        assertThat(faulty.callsOnDeadConnections()).as("calls on the dead connection before the batch was given up")
                .isLessThanOrEqualTo(3);   // x:4's savepoint; then the batch's rollback and reset (which fail too)
        assertThat(attempts.get()).as("3 routed before the cut, 1 on the dead connection, 10 redelivered").isEqualTo(14);
        assertThat(stage.rollbacks("social.mentions")).isEqualTo(1);
        assertThat(stage.count("DLQ.social.mentions")).isZero();
        assertThat(rows()).isEqualTo(10);
        assertThat(StageHarness.bodies(stage.drain("crm.outbound"))).containsExactlyInAnyOrder(ids(10));
        assertThat(lines("Dead-lettered")).as("nothing was dead-lettered, and the log does not say so").isEmpty();
        assertThat(lines("abandoned after 4 message(s)")).singleElement().satisfies(l -> assertThat(l)
                .contains("SQLState 08006").contains("nothing dead-lettered"));
        assertThat(took).as("no per-message retries on the dead connection (7 x 1.4 s before the fix)").isLessThan(8_000);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void aPoolWithoutConnectionsEndsTheBatchAtOnceWithoutDeadLettering(String kind) throws Exception {
        start(kind);
        poolDownBefore.add("x:1");   // the first message asks the pool for the batch's connection: none
        stage.send("social.mentions", ids(5));

        await().atMost(Duration.ofSeconds(30)).until(() -> stage.rollbacks("social.mentions") >= 1);
        assertThat(attempts.get()).as("no in-memory retries of x:1").isEqualTo(1);
        faulty.failNewConnections(false);   // the database is back
        await().atMost(Duration.ofSeconds(30)).until(() -> stage.consumed("social.mentions") >= 5);

        assertThat(stage.count("DLQ.social.mentions")).isZero();
        assertThat(rows()).isEqualTo(5);
        assertThat(StageHarness.bodies(stage.drain("crm.outbound"))).containsExactlyInAnyOrder(ids(5));
        assertThat(lines("Dead-lettered")).isEmpty();
        assertThat(lines("abandoned after 1 message(s)")).first().satisfies(l -> assertThat(l)
                .contains("SQLTransientConnectionException"));
    }

    /**
     * Issue 18, left open until now: every rollback is a delivery attempt, so a database outage longer than the broker's
     * attempts (here 3, shipped 10: about 5 minutes) dead-lettered healthy messages. The stage now takes nothing until the
     * database answers: the outage costs one attempt, nothing reaches the DLQ, and everything commits once it is back.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void aDatabaseOutageLongerThanTheDeliveryAttemptsDeadLettersNothing(String kind) throws Exception {
        start(kind, 3, true);
        poolDownBefore.add("x:1");   // the database goes down as the first batch asks for its connection
        stage.send("social.mentions", ids(5));

        await().atMost(Duration.ofSeconds(30)).until(() -> stage.rollbacks("social.mentions") >= 1);
        // the outage lasts several times what 3 attempts took before (one every ~0.5 s)
        await().during(Duration.ofSeconds(4)).atMost(Duration.ofSeconds(10)).until(() ->
                stage.rollbacks("social.mentions") == 1 && stage.count("DLQ.social.mentions") == 0);
        assertThat(lines("the state database does not answer")).singleElement();
        faulty.failNewConnections(false);   // the database is back
        await().atMost(Duration.ofSeconds(30)).until(() -> stage.consumed("social.mentions") >= 5);

        assertThat(stage.count("DLQ.social.mentions")).isZero();
        assertThat(stage.rollbacks("social.mentions")).isEqualTo(1);
        assertThat(rows()).isEqualTo(5);
        assertThat(StageHarness.bodies(stage.drain("crm.outbound"))).containsExactlyInAnyOrder(ids(5));
        assertThat(lines("the state database answers again")).singleElement();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void aDataErrorStillIsolatesItsMessageAndTheLogSaysDeadLetteredOnlyOnceTheSendCommitted(String kind) throws Exception {
        start(kind);
        dataErrorOf.add("x:3");
        failNextCommit.set(true);   // the first batch (with x:3's DLQ send) rolls back at commit
        stage.send("social.mentions", ids(5));

        await().atMost(Duration.ofSeconds(60)).until(() -> stage.consumed("social.mentions") >= 5);

        assertThat(stage.rollbacks("social.mentions")).as("the injected commit failure").isEqualTo(1);
        assertThat(StageHarness.bodies(stage.drain("DLQ.social.mentions"))).containsExactly("x:3");
        assertThat(rows()).isEqualTo(4);
        assertThat(StageHarness.bodies(stage.drain("crm.outbound"))).containsExactlyInAnyOrder("x:1", "x:2", "x:4", "x:5");
        assertThat(lines("Not dead-lettered")).as("the rolled-back send").singleElement()
                .satisfies(l -> assertThat(l).contains("DLQ.social.mentions").contains("rolled back"));
        assertThat(lines("Dead-lettered a message")).as("the committed send").singleElement()
                .satisfies(l -> assertThat(l).contains("to DLQ.social.mentions"));
        assertThat(lines("abandoned")).as("a data error is not a batch failure").isEmpty();
    }
}
