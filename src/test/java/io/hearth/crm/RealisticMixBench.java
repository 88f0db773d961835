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
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 14 item 3, the realistic mix: half the mentions by known, consenting contacts under the default rules (so CRM
 * commands, rewards and cases reach the sandbox), half by authors who are not contacts. Two runs, each by its own 300
 * contacts: a <b>burst</b> posted as fast as one client can (pages of 100) and a <b>steady 100/s</b> stream (2 mentions a
 * request every 20 ms). Prints mentions/s end to end (first post until every stage queue, {@code crm.outbound} included,
 * is empty), the writer's API calls per 1,000 mentions beside the minimum, and for the stream the latency from the ingest
 * request to the record in the sandbox, sampled on every 10th known mention (SOQL poll every 50 ms). Tag {@code bench}:
 * {@code ./mvnw -B -Pbench verify -Dtest=RealisticMixBench [-Dbench.mix.mentions=2000]}; writes
 * {@code target/bench/realistic-mix.txt}.
 */
@Tag("bench")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
@DirtiesContext
class RealisticMixBench extends CrmHub {

    static final int SANDBOX_PORT = SandboxClient.freePort();
    static final int MENTIONS = Integer.getInteger("bench.mix.mentions", 2000);
    static final int CONTACTS = 300;
    static final int RUNS = 2;
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
    void halfKnownHalfUnknownBurstAndSteadyHundredPerSecond() throws Exception {
        await().atMost(Duration.ofSeconds(120)).until(() -> directory.size() == CONTACTS * RUNS + 1);
        // Warm-up (login, JIT), not measured: the last contact, in no run.
        assertThat(post(List.of(mention("warm-1", CONTACTS * RUNS + 1, 0, Instant.now())))).isEqualTo(202);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> sandbox.count(
                "SELECT COUNT() FROM Social_Mention__c WHERE External_Id__c = 'x:warm-1'") == 1);
        awaitIdle();

        line("Realistic mix benchmark (issue 14 item 3): %d mentions a run, half by %d known consenting contacts (default"
                + " rules), half by unknown authors; hearth.crm.writer: batch-window %s ms, max-latency %s, batch-size %s",
                MENTIONS, CONTACTS, camel.resolvePropertyPlaceholders("{{hearth.crm.writer.batch-window}}"),
                camel.resolvePropertyPlaceholders("{{hearth.crm.writer.max-latency}}"),
                camel.resolvePropertyPlaceholders("{{hearth.crm.writer.batch-size}}"));
        run("mix burst", 0, lines -> {
            for (int from = 0; from < lines.size(); from += 100) {
                assertThat(post(lines.subList(from, Math.min(lines.size(), from + 100)))).isEqualTo(202);
            }
        }, null);
        Map<String, Long> sent = new ConcurrentHashMap<>();
        run("mix 100/s", 1, lines -> stream(lines, 2, sent), sent);

        Path out = Path.of("target", "bench", "realistic-mix.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, report, StandardCharsets.UTF_8);
        assertThat(deadLetters()).as("nothing dead-lettered").isEmpty();
    }

    interface Start {
        void run(List<String> lines) throws Exception;
    }

    private void run(String name, int index, Start start, Map<String, Long> sampledSentAt) throws Exception {
        String prefix = "mix" + index + "-";
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<String> lines = new ArrayList<>();
        int known = 0;
        for (int i = 0; i < MENTIONS; i++) {
            boolean isKnown = i % 2 == 0;
            known += isKnown ? 1 : 0;
            lines.add(isKnown ? mention(prefix + i, index * CONTACTS + (i / 2) % CONTACTS + 1, i / 2, now.minusSeconds(i))
                    : stranger(prefix + i, index, i, now.minusSeconds(i)));
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
        double postSeconds = (System.nanoTime() - t0) / 1e9;
        long idleAt = awaitIdle();
        double seconds = (idleAt - t0) / 1e9;
        polling.set(false);
        poll.join(5000);
        long calls = Math.round(writerCalls() - callsBefore);

        int inCrm = sandbox.count("SELECT COUNT() FROM Social_Mention__c WHERE External_Id__c LIKE 'x:" + prefix + "%'");
        assertThat(inCrm).as(name + ": every known author's mention in the CRM").isGreaterThanOrEqualTo(known);
        long rewards = sandbox.count("SELECT COUNT() FROM Social_Reward__c") - rewardsBefore;
        long cases = sandbox.count("SELECT COUNT() FROM Case") - casesBefore;
        long contacts = Math.min(CONTACTS, known);
        long minimum = ceil200(inCrm) + ceil200(contacts) + ceil200(rewards) + 2 * ceil200(cases);
        String latency = "";
        if (sampledSentAt != null) {
            List<Long> ms = new ArrayList<>();
            sampledSentAt.forEach((id, at) -> {
                Long seen = seenAt.get(id);
                if (seen != null) {
                    ms.add((seen - at) / 1_000_000);
                }
            });
            Collections.sort(ms);
            latency = ms.isEmpty() ? "; latency: no samples" : String.format(Locale.ROOT,
                    "; ingest->CRM latency (%d samples) p50 %d ms, p95 %d ms, max %d ms", ms.size(), ms.get(ms.size() / 2),
                    ms.get(Math.min(ms.size() - 1, (int) Math.ceil(ms.size() * 0.95) - 1)), ms.get(ms.size() - 1));
        }
        line("%-10s %d mentions (%d known) posted in %.1f s, drained to the CRM in %.1f s = %.0f mentions/s end to end;"
                        + " %d API calls = %.1f per 1,000 mentions (minimum %d: %d CRM mentions, %d contacts, %d rewards,"
                        + " %d new cases; ratio %.2f)%s", name, MENTIONS, known, postSeconds, seconds, MENTIONS / seconds, calls,
                calls * 1000.0 / MENTIONS, minimum, inCrm, contacts, rewards, cases, calls / (double) minimum, latency);
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
            long at = System.nanoTime();
            for (int i = from; i < from + chunk.size(); i++) {
                if (i % 20 == 0) { // every 10th known mention (known ones are the even lines)
                    sentAt.put(externalIdOf(lines.get(i)), at);
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

    /** Waits until every stage queue is empty and stays so for 1 s; returns when it was first seen empty. */
    private long awaitIdle() {
        long[] firstIdle = {0};
        await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!idle()) {
                firstIdle[0] = 0;
                return false;
            }
            if (firstIdle[0] == 0) {
                firstIdle[0] = System.nanoTime();
            }
            return System.nanoTime() - firstIdle[0] >= 1_000_000_000L;
        });
        return firstIdle[0];
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

    private static String stranger(String nativeId, int run, int i, Instant at) {
        return "{\"channel\":\"x\",\"nativeId\":\"" + nativeId + "\",\"text\":\"Saw the @hearth_brand ad today, looks nice\","
                + "\"createdAt\":\"" + at + "\",\"author\":{\"handle\":\"stranger" + run + "_" + i + "\",\"followers\":40}}";
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
