package io.hearth.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.hearth.enrich.MentionLog;
import io.hearth.state.TestStateDatabase;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 item 6: a broker error in the middle of a stage batch (here: the broker drops the consumer's connection
 * while the batch holds a state-database transaction with rows written) must close the batch's database work too. Before
 * the fix {@code StageQueueConsumer.routeBatch} left on the JMS exception without rolling the batch's participants back:
 * the connection stayed out of the pool with its transaction open, and on PostgreSQL the redelivered mentions waited
 * for that transaction's row locks for ever.
 */
class StageBatchFailureTest {

    private StageHarness stage;
    private TestStateDatabase db;

    @AfterEach
    void tearDown() throws Exception {
        if (stage != null) {
            stage.close();
        }
        if (db != null) {
            db.close();
        }
    }

    static MentionLog.Entry entry(String id) {
        Instant at = Instant.parse("2026-11-20T10:00:00Z");
        return new MentionLog.Entry(id, "x", "a".repeat(64), null, false, "post", at, at, null, null, null, null, null,
                List.of(), null, null, null);
    }

    @Test
    void aBrokerErrorMidBatchRollsBackTheBatchsDatabaseWorkAndTheRedeliveryCompletes() throws Exception {
        db = TestStateDatabase.postgres();
        MentionLog mentionLog = new MentionLog(db.jdbc());
        stage = new StageHarness(10, "stage.in");
        AtomicBoolean injected = new AtomicBoolean();
        stage.send("stage.in", "x:1", "x:2", "x:3", "x:4", "x:5");
        stage.start(new RouteBuilder() {
            @Override
            public void configure() {
                from("queue:stage.in?batchSize=10&batchWindow=300").routeId("failure-test").process(e -> {
                    mentionLog.joinBatch(e.getProperty(BatchTransaction.PROPERTY, BatchTransaction.class));
                    String id = e.getMessage().getBody(String.class);
                    mentionLog.record(entry(id));
                    if (id.equals("x:3") && injected.compareAndSet(false, true)) {
                        stage.failClientConnections();
                        Thread.sleep(300); // let the client see its connection fail
                    }
                });
            }
        });

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(injected).isTrue();
            assertThat(db.jdbc().queryForObject("SELECT COUNT(*) FROM hearth_mention_log", Integer.class)).isEqualTo(5);
            assertThat(stage.count("stage.in")).isZero();
        });
        assertThat(db.activeConnections()).as("no connection left out of the pool").isZero();
        assertThat(stage.count("DLQ.stage.in")).isZero();
    }

    /**
     * A batch whose connection failed while it was routed does not start its before-commit work (in the enrich stage
     * the state database's commit, in the CRM writer its calls): that work could not be followed by the JMS commit, and
     * a committed database with a failed JMS commit is what made the enrich stage's redelivered mentions replays
     * (docs/reliability.md "Broker restart"). Before, the work ran and the commit then failed.
     */
    @Test
    void aBatchWhoseConnectionFailedDoesNoBeforeCommitWorkAndItsRedeliveryDoesItOnce() throws Exception {
        stage = new StageHarness(10, "stage.in");
        AtomicBoolean injected = new AtomicBoolean();
        AtomicInteger beforeCommits = new AtomicInteger();
        stage.send("stage.in", "m1", "m2");
        stage.start(new RouteBuilder() {
            @Override
            public void configure() {
                // m2 fills the batch (batchSize 2): no receive after it would notice the dead session before the commit
                from("queue:stage.in?batchSize=2&batchWindow=300").routeId("lost-connection-test").process(e -> {
                    BatchTransaction tx = e.getProperty(BatchTransaction.PROPERTY, BatchTransaction.class);
                    tx.participant("work", () -> () -> beforeCommits.incrementAndGet());
                    if (e.getMessage().getBody(String.class).equals("m2") && injected.compareAndSet(false, true)) {
                        stage.failClientConnections();
                        await().atMost(Duration.ofSeconds(10)).until(() -> !tx.alive());
                    }
                });
            }
        });

        await().atMost(Duration.ofSeconds(30)).until(() -> injected.get() && stage.count("stage.in") == 0
                && stage.consumed("stage.in") >= 2);
        assertThat(stage.rollbacks("stage.in")).as("the batch that lost its connection").isEqualTo(1);
        assertThat(beforeCommits).as("the before-commit work ran once: for the redelivered batch only").hasValue(1);
        assertThat(stage.count("DLQ.stage.in")).isZero();
    }
}
