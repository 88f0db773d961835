package io.hearth.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import io.hearth.identity.ContactDirectory;
import io.hearth.support.BenchReport;
import io.micrometer.core.instrument.Counter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * What the CRM benchmarks on a running hub share (CrmWriterBench, RealisticMixBench): the traffic (mentions by known
 * contacts {@code fan<n>} and by strangers, posted in one request, in pages, or as a paced stream), the latency poll
 * against the sandbox, the writer's call counter, the minimum calls for the records written, and waiting for the
 * stage queues to drain. Figures go to the shared results file ({@link BenchReport}).
 */
abstract class CrmBench extends CrmHub {

    static final String KEY = "crm-writer-test-key";

    @LocalServerPort
    int port;
    @Autowired
    ContactDirectory directory;

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The sandbox port the subclass gave its hub. */
    abstract int sandboxPort();

    SandboxClient sandbox() {
        return new SandboxClient(sandboxPort());
    }

    /** Waits for the directory, then one warm-up mention (login, JIT) by {@code contact}, not measured. */
    void warmUp(int contacts, int contact) throws Exception {
        await().atMost(Duration.ofSeconds(120)).until(() -> directory.size() == contacts);
        assertThat(post(List.of(mention("warm-1", contact, 0, Instant.now())))).isEqualTo(202);
        SandboxClient sandbox = sandbox();
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> sandbox.count(
                "SELECT COUNT() FROM Social_Mention__c WHERE External_Id__c = 'x:warm-1'") == 1);
        awaitIdle();
    }

    String writerSettings() {
        return "hearth.crm.writer: batch-window " + camel.resolvePropertyPlaceholders("{{hearth.crm.writer.batch-window}}")
                + " ms, max-latency " + camel.resolvePropertyPlaceholders("{{hearth.crm.writer.max-latency}}")
                + ", max-hold " + camel.resolvePropertyPlaceholders("{{hearth.crm.writer.max-hold}}")
                + ", batch-size " + camel.resolvePropertyPlaceholders("{{hearth.crm.writer.batch-size}}");
    }

    /**
     * Posts the lines in requests of {@code perRequest} mentions, one request every 20 ms, without waiting for answers;
     * the send time of every line whose index is a multiple of {@code sampleEvery} goes to {@code sentAt}.
     */
    void stream(List<String> lines, int perRequest, int sampleEvery, Map<String, Long> sentAt) throws Exception {
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
                if (i % sampleEvery == 0) {
                    sentAt.put(externalIdOf(lines.get(i)), sent);
                }
            }
            answers.add(http.sendAsync(request(chunk), HttpResponse.BodyHandlers.ofString()));
        }
        for (CompletableFuture<HttpResponse<String>> a : answers) {
            assertThat(a.get().statusCode()).isEqualTo(202);
        }
    }

    /** Every 50 ms, until {@code polling} is off and every sample is seen: which sampled mentions are in the sandbox now. */
    Thread startLatencyPoll(Map<String, Long> sentAt, Map<String, Long> seenAt, AtomicBoolean polling) {
        SandboxClient poller = sandbox();
        Thread poll = new Thread(() -> {
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
        }, "latency-poller");
        poll.start();
        return poll;
    }

    /** The latency summary of the samples seen ({@link BenchReport#latency}). */
    static String latency(Map<String, Long> sentAt, Map<String, Long> seenAt) {
        List<Long> ms = new ArrayList<>();
        sentAt.forEach((id, sent) -> {
            Long seen = seenAt.get(id);
            if (seen != null) {
                ms.add((seen - sent) / 1_000_000);
            }
        });
        return BenchReport.latency(ms);
    }

    static String externalIdOf(String line) {
        int at = line.indexOf("\"nativeId\":\"") + 12;
        return "x:" + line.substring(at, line.indexOf('"', at));
    }

    double writerCalls() {
        return meters.find("hearth.crm.api.calls").counters().stream().mapToDouble(Counter::count).sum();
    }

    /**
     * The minimum calls for the records written (docs/crm-commands.md#the-minimum): 200 records a call per object, a new
     * case costs its upsert and its assignment update.
     */
    static long minimumCalls(long mentions, long contacts, long rewards, long cases) {
        return ceil200(mentions) + ceil200(contacts) + ceil200(rewards) + 2 * ceil200(cases);
    }

    static long ceil200(long records) {
        return (records + 199) / 200;
    }

    long queueDepth(String queue) {
        org.apache.activemq.artemis.core.server.Queue q = broker.server().getActiveMQServer()
                .locateQueue(org.apache.activemq.artemis.api.core.SimpleString.of(queue));
        return q == null ? 0 : q.getMessageCount();
    }

    /** Waits until every stage queue is empty and stays so for 1 s; returns when it was first seen empty (nanoTime). */
    long awaitIdle() {
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

    boolean idle() {
        return queueDepth("social.inbound") + queueDepth("social.mentions") + queueDepth("crm.outbound") == 0;
    }

    /** A mention by the known, consenting contact {@code fan<contact>}: praise, a complaint, thanks or a campaign post. */
    static String mention(String nativeId, int contact, int i, Instant at) {
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

    /** A mention by an author who is no contact. */
    static String stranger(String nativeId, int run, int i, Instant at) {
        return "{\"channel\":\"x\",\"nativeId\":\"" + nativeId + "\",\"text\":\"Saw the @hearth_brand ad today, looks nice\","
                + "\"createdAt\":\"" + at + "\",\"author\":{\"handle\":\"stranger" + run + "_" + i + "\",\"followers\":40}}";
    }

    int post(List<String> lines) throws Exception {
        return http.send(request(lines), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    HttpRequest request(List<String> lines) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/ingest/mention"))
                .header("Content-Type", "application/x-ndjson").header("Authorization", "Bearer " + KEY)
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(String.join("\n", lines))).build();
    }
}
