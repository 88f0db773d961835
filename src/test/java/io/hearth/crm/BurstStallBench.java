package io.hearth.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import io.hearth.identity.ContactDirectory;
import io.hearth.queue.QueueDepths;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 18 item 12, the reproduction: bursts of 3,003 mentions by 500 known, consenting authors (default rules: rewards,
 * cases, advocate flags) through the ingest API, while another client polls the sandbox with SOQL every 1.5 s, as the
 * stalled runs did. Each run must reach the CRM in full; the watchdog (stall-after 20 s) dumps queue states and thread
 * stacks under the data directory if it does not. {@code ./mvnw -B -Pbench verify -Dtest=BurstStallBench
 * -Dbench.runs=5}; prints one line per run and appends it to target/bench/results.txt.
 */
@Tag("bench")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
@DirtiesContext
class BurstStallBench extends CrmHub {

    static final int SANDBOX_PORT = SandboxClient.freePort();
    static final int CONTACTS = 500;
    static final int MENTIONS = 3003;
    static final String KEY = "crm-writer-test-key";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        knownContactsHub(registry, dataDir, SANDBOX_PORT, CONTACTS, 0);
        registry.add("hearth.directory.initial-delay", () -> "100");
        // -Dbench.sync-interval=1500: the hub's own directory sync polls the sandbox with SOQL that often
        registry.add("hearth.directory.sync-interval", () -> System.getProperty("bench.sync-interval", "300000"));
        registry.add("hearth.rules.enabled", () -> "true");
        registry.add("hearth.queues.stall-after", () -> "20s");
        registry.add("hearth.queues.stall-check-interval", () -> "1s");
    }

    @LocalServerPort
    int port;
    @Autowired
    ContactDirectory directory;
    @Autowired
    QueueDepths depths;

    final SandboxClient sandbox = new SandboxClient(SANDBOX_PORT);
    final SandboxClient poller = new SandboxClient(SANDBOX_PORT);
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void burstsOfKnownAuthorsWhileSoqlPollsReachTheCrmInFull() throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> directory.size() == CONTACTS);
        int runs = Integer.getInteger("bench.runs", 3);
        long timeoutSeconds = Long.getLong("bench.run-timeout", 120);
        io.hearth.support.BenchReport report = io.hearth.support.BenchReport.section("Bursts while SOQL polls (issue 18 item 12, BurstStallBench)");
        AtomicBoolean polling = new AtomicBoolean(true);
        AtomicLong polls = new AtomicLong();
        Thread soql = new Thread(() -> {
            while (polling.get()) {
                try {
                    poller.count("SELECT COUNT() FROM Social_Mention__c WHERE External_Id__c LIKE 'x:burst-%'");
                    polls.incrementAndGet();
                    Thread.sleep(1500); // the load itself: an operator's SOQL poll every 1.5 s
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    System.out.println("[burst] SOQL poll failed: " + e);
                }
            }
        }, "soql-poller");
        soql.setDaemon(true);
        soql.start();
        int stalled = 0;
        try {
            for (int run = 1; run <= runs; run++) {
                Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
                List<String> lines = new ArrayList<>();
                for (int i = 0; i < MENTIONS; i++) {
                    int contact = i % CONTACTS + 1;
                    String text = switch (i % 4) {
                        case 0 -> "Loving @hearth_brand, great service #hearthcampaign";
                        case 1 -> "Terrible delay with @hearth_brand again, really bad service, please help";
                        case 2 -> "Thanks @hearth_brand, the new app is great";
                        default -> "What a great trip with hearth #hearthcampaign";
                    };
                    lines.add("{\"channel\":\"x\",\"nativeId\":\"burst-" + run + "-" + i + "\",\"text\":\"" + text + "\",\"createdAt\":\""
                            + now.minusSeconds(i) + "\",\"author\":{\"handle\":\"fan" + contact + "\",\"followers\":1200}"
                            + (i % 4 == 1 ? "" : ",\"hashtags\":[\"hearthcampaign\"]") + "}");
                }
                long started = System.nanoTime();
                for (int from = 0; from < lines.size(); from += 100) {
                    HttpResponse<String> r = post(String.join("\n", lines.subList(from, Math.min(lines.size(), from + 100))));
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                }
                String like = "x:burst-" + run + "-%";
                long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
                int inCrm = 0;
                while (System.nanoTime() < deadline) {
                    inCrm = sandbox.count("SELECT COUNT() FROM Social_Mention__c WHERE External_Id__c LIKE '" + like + "'");
                    if (inCrm == MENTIONS) {
                        break;
                    }
                    Thread.sleep(500); // polling interval of a measured drain time
                }
                double seconds = (System.nanoTime() - started) / 1e9;
                String line = String.format("[burst] run %d: %d of %d mentions in the CRM after %.1f s; queues %s; writer %s; rewards %d, cases %d; "
                        + "SOQL polls so far %d; rollbacks crm.outbound %.0f", run, inCrm, MENTIONS, seconds, depths.depths(), control.status(),
                        sandbox.count("SELECT COUNT() FROM Social_Reward__c"), sandbox.count("SELECT COUNT() FROM Case"), polls.get(), rollbacks());
                report.line(line);
                if (inCrm != MENTIONS) {
                    stalled++;
                    // let the stages drain before the next run, so runs do not pile up
                    await().atMost(Duration.ofSeconds(300)).until(() -> depths.depth("social.inbound") + depths.depth("social.mentions")
                            + depths.depth("crm.outbound") == 0);
                }
            }
        } finally {
            polling.set(false);
            soql.interrupt();
            report.end();
        }
        assertThat(stalled).as("runs that did not reach the CRM in full within the timeout").isZero();
    }

    private HttpResponse<String> post(String jsonl) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/ingest/mention"))
                .header("Content-Type", "application/x-ndjson").header("Authorization", "Bearer " + KEY)
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(jsonl)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
