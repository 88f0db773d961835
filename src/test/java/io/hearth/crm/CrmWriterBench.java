package io.hearth.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import io.hearth.identity.ContactDirectory;
import io.micrometer.core.instrument.Counter;
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
 * Issue 14 item 1 (and item 3's call counts): API calls per 1,000 mentions beside the minimum (docs/crm-commands.md#the-minimum),
 * mentions by known, consenting contacts under the default rules (rewards, cases, advocate flags) posted to the ingest API
 * of a running hub, written to its sandbox over HTTP. Four runs, each by its own 300 contacts (so the rules' daily
 * caps of one run do not thin out the next): a backlog (the writer finds the commands queued, as after an outage), one
 * burst of 1,000 in one request, a steady 50/s stream (one mention a request every 20 ms) and a steady 500/s stream (10
 * mentions a request every 20 ms). For the streams, the latency from the ingest request to the record in the sandbox,
 * sampled on every 10th mention (a SOQL poll every 50 ms: resolution ~50 ms plus the query). Calls are the hub's own
 * counter ({@code hearth.crm.api.calls}: the poll's SOQL is not the writer's), equal to the org's count
 * (CrmWriterAcceptanceIT). Tag {@code bench}: {@code ./mvnw -B -Pbench verify -Dtest=CrmWriterBench}; prints and writes
 * {@code target/bench/crm-writer.txt}. On a machine shared with other work the call counts are meaningful, the
 * wall-clock figures less so.
 */
@Tag("bench")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
@DirtiesContext
class CrmWriterBench extends CrmHub {

    static final int SANDBOX_PORT = SandboxClient.freePort();
    static final int MENTIONS = Integer.getInteger("bench.crm.mentions", 1000);
    static final int CONTACTS = 300;
    static final int RUNS = 4;
    static final String KEY = "crm-writer-test-key";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        knownContactsHub(registry, dataDir, SANDBOX_PORT, CONTACTS * RUNS + 1, 0);
        registry.add("hearth.directory.initial-delay", () -> "100");
        registry.add("hearth.directory.sync-interval", () -> "300000");
        registry.add("hearth.rules.enabled", () -> "true");
    }

    @LocalServerPort
    int port;
    @Autowired
    ContactDirectory directory;

    final SandboxClient sandbox = new SandboxClient(SANDBOX_PORT);
    final SandboxClient poller = new SandboxClient(SANDBOX_PORT);
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final List<String> report = new ArrayList<>();

    @Test
    void apiCallsPerThousandMentionsBacklogBurstAndStreams() throws Exception {
        await().atMost(Duration.ofSeconds(120)).until(() -> directory.size() == CONTACTS * RUNS + 1);
        // Warm-up (login, JIT), not measured: the last contact, in no run.
        assertThat(post(List.of(mention("warm-1", CONTACTS * RUNS + 1, 0, Instant.now())))).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> sandbox.count(
                "SELECT COUNT() FROM Social_Mention__c WHERE External_Id__c = 'x:warm-1'") == 1);
        awaitIdle();

        line("CRM writer benchmark (issue 14): %d mentions a run by %d known, consenting contacts, default rules, through the"
                + " ingest API; hearth.crm.writer: batch-window %s ms, max-latency %s, max-hold %s, batch-size %s", MENTIONS, CONTACTS,
                camel.resolvePropertyPlaceholders("{{hearth.crm.writer.batch-window}}"),
                camel.resolvePropertyPlaceholders("{{hearth.crm.writer.max-latency}}"),
                camel.resolvePropertyPlaceholders("{{hearth.crm.writer.max-hold}}"),
                camel.resolvePropertyPlaceholders("{{hearth.crm.writer.batch-size}}"));
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
        run("steady 50/s", 2, lines -> stream(lines, 1, sent50), sent50);
        Map<String, Long> sent500 = new ConcurrentHashMap<>();
        run("steady 500/s", 3, lines -> stream(lines, 10, sent500), sent500);

        Path out = Path.of("target", "bench", "crm-writer.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, report, StandardCharsets.UTF_8);
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
        AtomicBoolean polling = new AtomicBoolean(sampledSentAt != null);
        Thread poll = new Thread(() -> pollSamples(sampledSentAt, seenAt, polling), "latency-poller");
        long t0 = System.nanoTime();
        if (sampledSentAt != null) {
            poll.start();
        }
        start.run(lines);
        awaitIdle();
        double seconds = (System.nanoTime() - t0) / 1e9;
        polling.set(false);
        poll.join(5000);
        long calls = Math.round(writerCalls() - callsBefore);

        int mentions = sandbox.count("SELECT COUNT() FROM Social_Mention__c WHERE External_Id__c LIKE 'x:" + prefix + "%'");
        assertThat(mentions).as(name).isEqualTo(MENTIONS);
        long rewards = sandbox.count("SELECT COUNT() FROM Social_Reward__c") - rewardsBefore;
        long cases = sandbox.count("SELECT COUNT() FROM Case") - casesBefore;
        long contacts = Math.min(CONTACTS, MENTIONS);
        long minimum = ceil200(mentions) + ceil200(contacts) + ceil200(rewards) + 2 * ceil200(cases);
        String latency = "";
        if (sampledSentAt != null) {
            List<Long> ms = new ArrayList<>();
            sampledSentAt.forEach((id, sent) -> {
                Long seen = seenAt.get(id);
                if (seen != null) {
                    ms.add((seen - sent) / 1_000_000);
                }
            });
            Collections.sort(ms);
            latency = ms.isEmpty() ? "; latency: no samples" : String.format(Locale.ROOT,
                    "; ingest->CRM latency (%d samples) p50 %d ms, p95 %d ms, max %d ms", ms.size(), ms.get(ms.size() / 2),
                    ms.get(Math.min(ms.size() - 1, (int) Math.ceil(ms.size() * 0.95) - 1)), ms.get(ms.size() - 1));
        }
        line("%-13s %4d API calls = %5.1f per 1,000 mentions (minimum %d: %d mentions, %d contacts, %d rewards, %d new cases;"
                        + " ratio %.2f) in %.1f s%s", name, calls, calls * 1000.0 / MENTIONS, minimum, mentions, contacts, rewards,
                cases, calls / (double) minimum, seconds, latency);
    }

    /** Posts the lines in requests of {@code perRequest} mentions, one request every 20 ms, without waiting for answers. */
    private void stream(List<String> lines, int perRequest, Map<String, Long> sentAt) throws Exception {
        long t0 = System.nanoTime();
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int from = 0, n = 0; from < lines.size(); from += perRequest, n++) {
            long due = t0 + n * 20_000_000L;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000)); // the load itself: one request every 20 ms
            }
            List<String> chunk = lines.subList(from, Math.min(lines.size(), from + perRequest));
            long sent = System.nanoTime();
            for (int i = from; i < from + chunk.size(); i++) {
                if (i % 10 == 0) {
                    sentAt.put(externalIdOf(lines.get(i)), sent);
                }
            }
            answers.add(http.sendAsync(request(chunk), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> a : answers) {
            assertThat(a.get().statusCode()).isEqualTo(202);
        }
    }

    /** Every 50 ms: which sampled mentions are in the sandbox now. */
    private void pollSamples(Map<String, Long> sentAt, Map<String, Long> seenAt, AtomicBoolean polling) {
        while (polling.get() || seenAt.size() < sentAt.size()) {
            try {
                List<String> waiting = sentAt.keySet().stream().filter(id -> !seenAt.containsKey(id)).limit(100).toList();
                if (!waiting.isEmpty()) {
                    long asked = System.nanoTime();
                    for (var r : poller.records("SELECT External_Id__c FROM Social_Mention__c WHERE External_Id__c IN ('"
                            + String.join("','", waiting) + "')")) {
                        seenAt.putIfAbsent(r.get("External_Id__c").asText(), asked);
                    }
                }
                if (!polling.get() && waiting.isEmpty()) {
                    return;
                }
                Thread.sleep(50); // polling interval of a latency measurement
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                System.out.println("[bench] latency poll failed: " + e);
                if (!polling.get()) {
                    return;
                }
            }
        }
    }

    private static String externalIdOf(String line) {
        int at = line.indexOf("\"nativeId\":\"") + 12;
        return "x:" + line.substring(at, line.indexOf('"', at));
    }

    private double writerCalls() {
        return meters.find("hearth.crm.api.calls").counters().stream().mapToDouble(Counter::count).sum();
    }

    private static long ceil200(long records) {
        return (records + 199) / 200;
    }

    private long queueDepth(String queue) {
        org.apache.activemq.artemis.core.server.Queue q = broker.server().getActiveMQServer()
                .locateQueue(org.apache.activemq.artemis.api.core.SimpleString.of(queue));
        return q == null ? 0 : q.getMessageCount();
    }

    /** Every stage queue empty (messages being delivered count), twice 1 s apart. */
    private void awaitIdle() {
        // idle, and still idle at every look for 1 s
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(200)).during(Duration.ofSeconds(1))
                .until(this::idle);
    }

    private boolean idle() {
        return queueDepth("social.inbound") + queueDepth("social.mentions") + queueDepth("crm.outbound") == 0;
    }

    private static String mention(String nativeId, int contact, int i, Instant at) {
        String text = switch (i % 4) {
            case 0 -> "Loving @hearth_brand, great service #hearthcampaign";
            case 1 -> "Terrible delay with @hearth_brand again, really bad service, please help";
            case 2 -> "Thanks @hearth_brand, the new app is great";
            default -> "What a great trip with hearth #hearthcampaign";
        };
        return "{\"channel\":\"x\",\"nativeId\":\"" + nativeId + "\",\"text\":\"" + text + "\",\"createdAt\":\"" + at
                + "\",\"author\":{\"handle\":\"fan" + contact + "\",\"followers\":1200}"
                + (i % 4 == 1 ? "" : ",\"hashtags\":[\"hearthcampaign\"]") + "}";
    }

    private int post(List<String> lines) throws Exception {
        return http.send(request(lines), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private HttpRequest request(List<String> lines) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/ingest/mention"))
                .header("Content-Type", "application/x-ndjson").header("Authorization", "Bearer " + KEY)
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(String.join("\n", lines))).build();
    }

    private void line(String format, Object... args) {
        String line = String.format(Locale.ROOT, format, args);
        System.out.println(line);
        report.add(line);
    }
}
