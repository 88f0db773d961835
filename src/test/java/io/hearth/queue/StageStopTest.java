package io.hearth.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Stopping a stage route (a hub shutdown stops them one after the other): a worker waiting for its next batch stops at
 * once instead of sitting out its receive timeout; a worker routing a batch finishes and commits it first.
 */
class StageStopTest {

    private StageHarness stage;

    @AfterEach
    void tearDown() throws Exception {
        if (stage != null) {
            stage.close();
        }
    }

    @Test
    void anIdleWorkerStopsAtOnceNotAtTheEndOfItsReceiveTimeout() throws Exception {
        stage = new StageHarness(10, "stage.in");
        stage.start(new RouteBuilder() {
            @Override
            public void configure() {
                from("queue:stage.in?receiveTimeout=30000").routeId("idle-stop").log("${body}");
            }
        });
        stage.send("stage.in", "one");
        await().atMost(Duration.ofSeconds(10)).until(() -> stage.consumed("stage.in") == 1);
        Thread.sleep(200); // the worker is back in its 30 s wait for the next batch

        long started = System.nanoTime();
        stage.camel().getRouteController().stopRoute("idle-stop");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        // before: the stop waited for the receive to time out (here ~30 s; with the default 1 s, up to 1 s per route)
        assertThat(millis).as("stop of an idle stage route, ms").isLessThan(5000);
        stage.send("stage.in", "two");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(stage.count("stage.in")).as("a stopped route takes nothing").isEqualTo(1));
    }

    @Test
    void aWorkerReconnectingToAGoneBrokerStopsAtOnce() throws Exception {
        stage = new StageHarness(10, "stage.in", "stage.other");
        stage.start(new RouteBuilder() {
            @Override
            public void configure() {
                from("queue:stage.in").routeId("gone-1").log("${body}");
                from("queue:stage.other").routeId("gone-2").log("${body}");
            }
        });
        stage.send("stage.in", "one");
        await().atMost(Duration.ofSeconds(10)).until(() -> stage.consumed("stage.in") == 1);
        stage.stopBroker();
        Thread.sleep(1500); // the workers are in their reconnect loop: a failed connection, a pause, another attempt

        long started = System.nanoTime();
        stage.camel().getRouteController().stopRoute("gone-1");
        stage.camel().getRouteController().stopRoute("gone-2");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        // before: each route's stop sat out its workers' reconnect pause (1 s) and next attempt, one route after the
        // other: a hub stopped while its broker was down took 11-24 s (a Kubernetes pod gets 30 s before SIGKILL)
        System.out.printf("two stage routes stopped in %d ms with their broker gone%n", millis);
        assertThat(millis).as("stop of two stage routes whose broker is gone, ms (3.4 s before)").isLessThan(2000);
    }

    @Test
    void aSendWhileTheBrokerIsGoneFailsFastInsteadOfQueueingBehindTheConsumersReconnects() throws Exception {
        stage = new StageHarness(10, "stage.a", "stage.b", "stage.c");
        stage.start(new RouteBuilder() {
            @Override
            public void configure() {
                from("queue:stage.a?concurrentConsumers=4").routeId("outage-a").log("${body}");
                from("queue:stage.b?concurrentConsumers=4").routeId("outage-b").log("${body}");
                from("queue:stage.c?concurrentConsumers=4").routeId("outage-c").log("${body}");
            }
        });
        stage.send("stage.a", "one");
        await().atMost(Duration.ofSeconds(10)).until(() -> stage.consumed("stage.a") == 1);
        stage.stopBroker();
        Thread.sleep(3000); // twelve workers in their reconnect loop, each attempt ~2 s (the locator's retry interval)

        long started = System.nanoTime();
        org.apache.camel.Exchange sent = stage.camel().createProducerTemplate().send("queue:stage.a",
                e -> e.getMessage().setBody("two"));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

        // the ingest API's send (POST /api/ingest answers 503 when it fails): before, it waited its turn behind every
        // consumer's connection attempt (the factory's connects are serialised): 28-56 s for a 503 against a hub whose
        // external broker was down, longer than many clients wait
        System.out.printf("a send with the broker gone failed after %d ms%n", millis);
        assertThat(sent.getException()).as("the send fails: nothing was taken").isNotNull();
        assertThat(millis).as("time to fail a send while 12 consumers reconnect, ms").isLessThan(6000);
    }

    @Test
    void aBatchBeingRoutedAtTheStopIsFinishedAndCommitted() throws Exception {
        stage = new StageHarness(10, "stage.in");
        CountDownLatch routing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        stage.start(new RouteBuilder() {
            @Override
            public void configure() {
                from("queue:stage.in?receiveTimeout=30000").routeId("busy-stop").process(e -> {
                    routing.countDown();
                    release.await(20, TimeUnit.SECONDS);
                });
            }
        });
        stage.send("stage.in", "one");
        assertThat(routing.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> stop = CompletableFuture.runAsync(() -> {
            try {
                stage.camel().getRouteController().stopRoute("busy-stop");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2))
                .untilAsserted(() -> assertThat(stop).as("the stop waits for the batch").isNotDone());
        release.countDown();
        stop.get(20, TimeUnit.SECONDS);

        assertThat(stage.consumed("stage.in")).as("committed, not rolled back").isEqualTo(1);
        assertThat(stage.rollbacks("stage.in")).isZero();
        assertThat(stage.count("stage.in")).isZero();
    }
}
