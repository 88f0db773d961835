package io.hearth.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.hearth.support.BenchReport;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 14 item 1 (and item 3's call counts): API calls per 1,000 mentions beside the minimum (docs/crm-commands.md#the-minimum),
 * mentions by known, consenting contacts under the default rules (rewards, cases, advocate flags) posted to the ingest API
 * of a running hub, written to its sandbox over HTTP. Four runs, each by its own 300 contacts (so the rules' daily
 * caps of one run do not thin out the next): a backlog (the writer finds the commands queued, as after an outage), one
 * burst of 1,000 in one request, a steady 50/s stream (one mention a request every 20 ms) and a steady 500/s stream (10
 * mentions a request every 20 ms). For the streams, the latency from the ingest request to the record in the sandbox,
 * sampled on every 10th mention (a SOQL poll every 50 ms: resolution ~50 ms plus the query). Calls are the hub's own
 * counter ({@code hearth.crm.api.calls}: the poll's SOQL is not the writer's), equal to the org's count
 * (CrmWriterAcceptanceIT). Tag {@code bench}: {@code ./mvnw -B -Pbench verify -Dtest=CrmWriterBench}; prints its lines and appends them to
 * {@code target/bench/results.txt} ({@link BenchReport}). On a machine shared with other work the call counts are meaningful, the
 * wall-clock figures less so.
 */
@Tag("bench")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
@DirtiesContext
class CrmWriterBench extends CrmBench {

    static final int SANDBOX_PORT = SandboxClient.freePort();
    static final int MENTIONS = Integer.getInteger("bench.crm.mentions", 1000);
    static final int CONTACTS = 300;
    static final int RUNS = 4;
    /** Above this share of the minimum a run's figure is flagged (the bound for a burst). */
    static final double BOUND = 1.25;

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        knownContactsHub(registry, dataDir, SANDBOX_PORT, CONTACTS * RUNS + 1, 0);
        registry.add("hearth.directory.initial-delay", () -> "100");
        registry.add("hearth.directory.sync-interval", () -> "300000");
        registry.add("hearth.rules.enabled", () -> "true");
    }

    final SandboxClient sandbox = new SandboxClient(SANDBOX_PORT);
    BenchReport report;

    @Override
    int sandboxPort() {
        return SANDBOX_PORT;
    }

    @Test
    void apiCallsPerThousandMentionsBacklogBurstAndStreams() throws Exception {
        // Warm-up (login, JIT), not measured: the last contact, in no run.
        warmUp(CONTACTS * RUNS + 1, CONTACTS * RUNS + 1);

        report = BenchReport.section("CRM writer: API calls per 1,000 mentions (issue 14 item 1, CrmWriterBench)");
        report.line("%d mentions a run by %d known, consenting contacts, default rules, through the ingest API; %s", MENTIONS,
                CONTACTS, writerSettings());
        run("backlog", 0, lines -> {
            camel.getRouteController().stopRoute(CrmWriterControl.ROUTE_ID);
            assertThat(post(lines)).isEqualTo(202);
            // the stages turn every mention into commands; then the writer starts and finds them queued
            await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(200))
                    .until(() -> queueDepth("social.inbound") + queueDepth("social.mentions") == 0);
            camel.getRouteController().startRoute(CrmWriterControl.ROUTE_ID);
        }, null);
        run("burst", 1, lines -> assertThat(post(lines)).isEqualTo(202), null);
        Map<String, Long> sent50 = new ConcurrentHashMap<>();
        run("steady 50/s", 2, lines -> stream(lines, 1, 10, sent50), sent50);
        Map<String, Long> sent500 = new ConcurrentHashMap<>();
        run("steady 500/s", 3, lines -> stream(lines, 10, 10, sent500), sent500);
        report.end();
        assertThat(deadLetters()).as("nothing dead-lettered").isEmpty();
    }

    interface Start {
        void run(List<String> lines) throws Exception;
    }

    private void run(String name, int index, Start start, Map<String, Long> sampledSentAt) throws Exception {
        String prefix = "bench" + index + "-";
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < MENTIONS; i++) {
            lines.add(mention(prefix + i, index * CONTACTS + i % CONTACTS + 1, i, now.minusSeconds(i)));
        }
        int rewardsBefore = sandbox.count("SELECT COUNT() FROM Social_Reward__c");
        int casesBefore = sandbox.count("SELECT COUNT() FROM Case");
        double callsBefore = writerCalls();
        Map<String, Long> seenAt = new ConcurrentHashMap<>();
        AtomicBoolean polling = new AtomicBoolean(true);
        long t0 = System.nanoTime();
        Thread poll = sampledSentAt == null ? null : startLatencyPoll(sampledSentAt, seenAt, polling);
        start.run(lines);
        long idleAt = awaitIdle();
        double seconds = (idleAt - t0) / 1e9;
        polling.set(false);
        if (poll != null) {
            poll.join(5000);
        }
        long calls = Math.round(writerCalls() - callsBefore);

        int mentions = sandbox.count("SELECT COUNT() FROM Social_Mention__c WHERE External_Id__c LIKE 'x:" + prefix + "%'");
        assertThat(mentions).as(name).isEqualTo(MENTIONS);
        long rewards = sandbox.count("SELECT COUNT() FROM Social_Reward__c") - rewardsBefore;
        long cases = sandbox.count("SELECT COUNT() FROM Case") - casesBefore;
        long contacts = Math.min(CONTACTS, MENTIONS);
        long minimum = minimumCalls(mentions, contacts, rewards, cases);
        double ratio = calls / (double) minimum;
        report.line("%-13s %4d API calls = %5.1f per 1,000 mentions (minimum %d: %d mentions, %d contacts, %d rewards, %d new"
                        + " cases; ratio %.2f) in %.1f s%s", name, calls, calls * 1000.0 / MENTIONS, minimum, mentions, contacts,
                rewards, cases, ratio, seconds, sampledSentAt == null ? "" : latency(sampledSentAt, seenAt));
        if (ratio > BOUND) {
            report.line("    above %.2f x the minimum: %s", BOUND, sampledSentAt != null
                    ? "the commands reach crm.outbound as a trickle at the stages' pace, not as a growing backlog, so the writer"
                            + " flushes at the latency bound (every max-latency " + camel.resolvePropertyPlaceholders("{{hearth.crm.writer.max-latency}}")
                            + "), one part-filled call per object per flush: the price of the 2 s latency promise"
                    : "a backlog or burst should reach the minimum: see the writer's batch log (logging.level.io.hearth.crm.CrmBatchPolicy=DEBUG)");
        }
    }
}
