package io.hearth.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.crm.salesforce.CrmCallException;
import io.hearth.crm.salesforce.SalesforceCollections;
import io.hearth.queue.BatchTransaction;
import io.hearth.queue.DeadLetterPublisher;
import io.hearth.queue.StageHarness;
import io.hearth.state.TestStateDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;

/**
 * Two CRM writers (two hubs) on one broker and one state database, the broker failing their connections while one of
 * them holds a batch between two attempts of a call (a 503 answered, its back-off running). The broker hands the
 * batch's message to the other writer, which writes and marks it. The first writer must not then make its retry: its
 * session is dead, its batch cannot commit, and its marks check (made before the first attempt) is stale. Before, it
 * did, and the record was written twice: the "another hub takes the redelivered message before the first hub's marks"
 * window of docs/reliability.md ("Broker restart"). Real stage (in-VM broker, transacted batches), real writer, marks
 * and state database; a scripted Salesforce counts the writes.
 */
class TwoWritersBrokerRestartTest {

    @TempDir
    Path tempDir;

    private StageHarness stage;
    private TestStateDatabase db;

    /** The open batch of each consumer thread (set by the route before the writer). */
    private final Map<Thread, BatchTransaction> txOf = new ConcurrentHashMap<>();
    /** Writes Salesforce answered as done, per record external id. */
    private final Map<String, Integer> writes = new ConcurrentHashMap<>();
    private final AtomicReference<Thread> held = new AtomicReference<>();
    private final CountDownLatch heldFirstAttempt = new CountDownLatch(1);
    private final CountDownLatch brokerFailed = new CountDownLatch(1);

    @AfterEach
    void tearDown() throws Exception {
        brokerFailed.countDown();
        if (stage != null) {
            stage.close();
        }
        if (db != null) {
            db.close();
        }
    }

    @Test
    void theWriterWhoseSessionDiedBetweenTwoAttemptsDoesNotWriteWhatTheOtherHubWrote() throws Exception {
        db = TestStateDatabase.h2(tempDir);
        stage = new StageHarness(20, "crm.outbound");
        CrmWrittenMarks marks = new CrmWrittenMarks(db.jdbc(), Clock.systemUTC());
        ScriptedSalesforce salesforce = new ScriptedSalesforce();
        CrmWriter a = writer(salesforce, marks);
        CrmWriter b = writer(salesforce, marks);
        stage.start(new RouteBuilder() {
            @Override
            public void configure() {
                for (String hub : List.of("a", "b")) {
                    // one endpoint per hub (Camel allows one consumer per endpoint): the window tells them apart
                    from("queue:crm.outbound?batchSize=10&batchWindow=" + (hub.equals("a") ? 50 : 51)).routeId("crm-writer-" + hub)
                            .process(e -> txOf.put(Thread.currentThread(),
                                    e.getProperty(BatchTransaction.PROPERTY, BatchTransaction.class)))
                            .bean(hub.equals("a") ? a : b, "accept");
                }
            }
        });
        CrmMapping mapping = new CrmMapping();
        CrmCommands commands = new CrmCommands(new ObjectMapper());
        stage.send("crm.outbound", commands.toJson(mapping.upsert("Social_Reward__c", "External_Id__c", "badge:fan:c1",
                Map.of("Badge__c", "Fan", "Points__c", 0))));

        assertThat(heldFirstAttempt.await(30, TimeUnit.SECONDS)).as("a writer made the first attempt (answered 503)").isTrue();
        stage.failClientConnections();   // the broker goes away while that writer's back-off runs
        brokerFailed.countDown();

        // the other writer takes the redelivered message, writes and commits it
        await().atMost(Duration.ofSeconds(30)).until(() -> stage.count("crm.outbound") == 0 && writes.getOrDefault("badge:fan:c1", 0) >= 1);
        // and the held writer's batch has ended, one way or the other (rolled back: its session is gone)
        await().atMost(Duration.ofSeconds(30)).until(() -> stage.rollbacks("crm.outbound") >= 1);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(() -> stage.count("crm.outbound") == 0);

        assertThat(writes).as("the record written once, by the writer whose session lived").containsEntry("badge:fan:c1", 1);
        assertThat(stage.count("DLQ.crm.outbound")).isZero();
    }

    private CrmWriter writer(SalesforceCollections salesforce, CrmWrittenMarks marks) {
        CrmWriterSettings settings = new CrmWriterSettings();
        settings.setRetryInitialDelay(Duration.ofMillis(10));
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        CrmWriterControl control = new CrmWriterControl(settings, salesforce, stage.camel(), Clock.systemUTC(), meters);
        return new CrmWriter(new CrmCommands(new ObjectMapper()), salesforce, control, settings,
                new DeadLetterPublisher(null, new ObjectMapper(), Clock.systemUTC()), meters,
                new StaticListableBeanFactory().getBeanProvider(CrmCommandGate.class), marks);
    }

    /**
     * The first call of all is answered 503 once the broker has failed the caller's connection (and the caller's batch
     * knows it); the same caller's next attempt, if it makes one, is answered only after the other writer wrote the
     * record (so that its write comes second, as when its back-off outlasts the broker's restart). Every other call
     * writes at once.
     */
    private final class ScriptedSalesforce extends SalesforceCollections {

        ScriptedSalesforce() {
            super(null, new SimpleMeterRegistry());
        }

        @Override
        public CallResult upsert(String object, String externalIdField, List<Map<String, Object>> records) throws CrmCallException {
            Thread me = Thread.currentThread();
            if (held.compareAndSet(null, me)) {
                heldFirstAttempt.countDown();
                await().atMost(Duration.ofSeconds(30)).until(() -> brokerFailed.getCount() == 0);
                await().atMost(Duration.ofSeconds(30)).until(() -> !txOf.get(me).alive());
                throw new CrmCallException(CrmCallException.Kind.UNAVAILABLE, 503, "SERVER_UNAVAILABLE", "scripted 503", null);
            }
            if (me == held.get()) {
                // the held writer's retry: after the other writer's write
                await().atMost(Duration.ofSeconds(30)).until(() -> writes.values().stream().mapToInt(Integer::intValue).sum() >= 1);
                return written(records);
            }
            return written(records);
        }

        @Override
        public CallResult update(String object, List<Map<String, Object>> records) {
            return written(records);
        }

        private CallResult written(List<Map<String, Object>> records) {
            List<RecordResult> results = new ArrayList<>();
            for (Map<String, Object> r : records) {
                writes.merge(String.valueOf(r.get("External_Id__c")), 1, Integer::sum);
                results.add(new RecordResult(true, "a0X000000000001", null, null, List.of()));
            }
            return new CallResult(results, null);
        }
    }
}
