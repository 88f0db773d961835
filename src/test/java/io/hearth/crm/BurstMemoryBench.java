package io.hearth.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.hearth.queue.StageQueues;
import io.hearth.sandbox.SalesforceSandbox;
import io.hearth.sandbox.SandboxSettings;
import io.hearth.support.BenchReport;
import io.hearth.support.ChildHub;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14 item 4, memory: a burst of mentions by KNOWN, consenting contacts (default rules: CRM commands, rewards,
 * cases) posted as fast as the ingest API takes them to a real hub in a child JVM at {@code -Xmx512m}, drained to a
 * Salesforce-compatible org outside it (the sandbox in this JVM, so its records do not count against the hub's heap)
 * with the default daily API budget (15,000 calls; the writer pauses at 90 % of it). Prints: accepted or not, the time
 * the POSTs took, no OutOfMemoryError (the child runs with {@code -XX:+ExitOnOutOfMemoryError}), the peak heap (from the
 * child's GC log: heap in use just before each collection, and the largest heap after one, an upper bound of what stays
 * alive), the broker journal's peak size on disk, whether the broker paged (its {@code paging} directory's peak size on
 * disk, beside the {@code hearth.broker.global-max-size} in force) and the deepest {@code crm.outbound}, how long the drain to the CRM
 * took and its rate, and the calls it cost beside the minimum and the daily budget.
 * <p>
 * {@code ./mvnw -B -Pbench verify -Dtest=BurstMemoryBench [-Dbench.memory.mentions=20000] [-Dbench.memory.heap=512m]};
 * the default size (20,000) keeps the {@code -Pbench} run within a few minutes; the figure is the 100,000 one.
 * Appends to {@code target/bench/results.txt}; the child's output is in {@code target/child-hubs/burst-memory-1.log}.
 */
@Tag("bench")
class BurstMemoryBench {

    static final int MENTIONS = Integer.getInteger("bench.memory.mentions", 100_000);
    static final String HEAP = System.getProperty("bench.memory.heap", "512m");
    static final String KEY = "bench-key";
    static final int CONTACTS = 300;
    static final int CLIENTS = 4;
    static final int PAGE = 100;
    static final long DAILY_BUDGET = 15_000;
    static final Duration TIMEOUT = Duration.ofMinutes(Long.getLong("bench.memory.timeout-minutes", 40));
    static final Pattern GC = Pattern.compile("(\\d+)([KMG])->(\\d+)([KMG])\\((\\d+)([KMG])\\)");

    @Test
    void aBurstByKnownAuthorsAtHalfAGigabyteIsAcceptedAndDrainsToTheCrm(@TempDir Path dir) throws Exception {
        BenchReport report = BenchReport.section("Memory: a burst by known authors at -Xmx" + HEAP + " (issue 14 item 4, BurstMemoryBench)");
        Path seed = SandboxClient.writeSeedWithIdentities(dir.resolve("seed"), CONTACTS, 0);
        Path gcLog = dir.resolve("gc.log");
        Path hubDir = dir.resolve("hub");
        try (SalesforceSandbox org = new SalesforceSandbox(SandboxSettings.defaults(dir.resolve("sandbox"), Path.of("salesforce"))
                .withSeed(seed).withDailyApiBudget(DAILY_BUDGET)).start();
             ChildHub hub = ChildHub.builder("burst-memory", hubDir)
                     .apiKey(KEY)
                     .jvmArg("-Xmx" + HEAP)
                     .jvmArg("-XX:+ExitOnOutOfMemoryError")
                     .jvmArg("-Xlog:gc:file=" + gcLog)
                     .arg("--hearth.sandbox.enabled=false")
                     .arg("--hearth.salesforce.client-id=sandbox")
                     .arg("--hearth.salesforce.client-secret=sandbox")
                     .arg("--hearth.salesforce.login-url=" + org.baseUrl())
                     .arg("--hearth.crm.writer.enabled=true")
                     .arg("--hearth.directory.enabled=true")
                     .arg("--hearth.directory.initial-delay=100")
                     .arg("--hearth.rules.enabled=true")
                     .arg("--logging.level.root=WARN")
                     // its start line names the broker's global-max-size, which the report prints beside the paging size
                     .arg("--logging.level.io.hearth.queue.BrokerConfiguration=INFO")
                     .build()) {
            SandboxClient sf = new SandboxClient(org.port());
            // a loaded machine (load average 30+) was seen to need more than ChildHub's default 90 s to start the hub
            hub.start().awaitReady(Duration.ofMinutes(5));
            awaitUntil(hub, "the directory has every contact", Duration.ofSeconds(120),
                    () -> hub.metric("hearth_directory_entries", null) >= CONTACTS);
            // warm-up (login, JIT), not measured
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            assertThat(hub.post("/api/ingest/mention", "application/x-ndjson", CrmBench.mention("mem-warm", 1, 0, now))
                    .statusCode()).isEqualTo(202);
            awaitUntil(hub, "the warm-up mention in the CRM", Duration.ofSeconds(120), () -> sf.count(
                    "SELECT COUNT() FROM Social_Mention__c WHERE External_Id__c = 'x:mem-warm'") == 1);
            awaitUntil(hub, "the stages idle after the warm-up", Duration.ofSeconds(120), () -> depth(hub) == 0);

            report.line("%,d mentions by %d known, consenting contacts (default rules), pages of %d from %d clients as fast as"
                            + " answered; hub in a child JVM at -Xmx%s (GC log), org outside it with a daily API budget of %,d calls",
                    MENTIONS, CONTACTS, PAGE, CLIENTS, HEAP, DAILY_BUDGET);
            List<String> bodies = new ArrayList<>();
            for (int from = 0; from < MENTIONS; from += PAGE) {
                StringBuilder body = new StringBuilder();
                for (int i = from; i < Math.min(MENTIONS, from + PAGE); i++) {
                    body.append(CrmBench.mention("mem-" + i, i % CONTACTS + 1, i, now.minusSeconds(i % 86_400))).append('\n');
                }
                bodies.add(body.toString());
            }
            double callsBefore = hub.metric("hearth_crm_api_calls_total", null);
            int rewardsBefore = sf.count("SELECT COUNT() FROM Social_Reward__c");
            int casesBefore = sf.count("SELECT COUNT() FROM Case");
            Path journal = hubDir.resolve("broker").resolve("journal");
            // where the broker pages queued messages beyond hearth.broker.global-max-size: its size says whether it paged
            Path paging = hubDir.resolve("broker").resolve("paging");

            long t0 = System.nanoTime();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
            AtomicInteger next = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(CLIENTS);
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                clients.add(pool.submit(() -> {
                    for (int r = next.getAndIncrement(); r < bodies.size(); r = next.getAndIncrement()) {
                        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(hub.uri("/api/ingest/mention"))
                                .header("Authorization", "Bearer " + KEY)
                                .header("Content-Type", "application/x-ndjson").timeout(Duration.ofSeconds(120))
                                .POST(HttpRequest.BodyPublishers.ofString(bodies.get(r))).build(), HttpResponse.BodyHandlers.ofString());
                        if (answer.statusCode() != 202) {
                            throw new IllegalStateException("ingest answered " + answer.statusCode() + ": " + answer.body());
                        }
                    }
                    return null;
                }));
            }
            // while the clients post: sample the journal and the queues once a second
            long peakJournal = 0;
            long peakPaging = 0;
            long peakOutbound = 0;
            long stagesDone = 0;
            long accepted = 0;
            long drained = 0;
            int inCrm = 0;
            long deadline = t0 + TIMEOUT.toNanos();
            long lastProgress = t0;
            while (System.nanoTime() < deadline) {
                if (!hub.isAlive()) {
                    break;
                }
                peakJournal = Math.max(peakJournal, size(journal));
                peakPaging = Math.max(peakPaging, size(paging));
                if (accepted == 0 && clients.stream().allMatch(Future::isDone)) {
                    for (Future<?> f : clients) {
                        f.get(); // a refused POST fails the bench here
                    }
                    accepted = System.nanoTime();
                    report.line("    accepted: all %,d POSTs answered 202 after %.1f s", MENTIONS, (accepted - t0) / 1e9);
                }
                Map<String, Long> depths = hub.messageCounts(StageQueues.INBOUND, StageQueues.MENTIONS, StageQueues.CRM_OUTBOUND);
                peakOutbound = Math.max(peakOutbound, depths.get(StageQueues.CRM_OUTBOUND));
                if (System.nanoTime() - lastProgress >= 60_000_000_000L) { // a progress line a minute: a long run that is
                    lastProgress = System.nanoTime();                      // stopped still says how far it got
                    Gc sofar = Gc.parse(gcLog);
                    report.line("    after %.0f s: enriched %,.0f, CRM calls %,.0f, queues %s, journal %d MB, paging %d MB, heap before a collection"
                                    + " peak %d MB, after one max %d MB, after a full one max %d MB, %d full collections, load %s", (System.nanoTime() - t0) / 1e9,
                            hub.metric("hearth_enrich_mentions_total", null), hub.metric("hearth_crm_api_calls_total", null) - callsBefore,
                            depths, size(journal) >> 20, size(paging) >> 20, sofar.peakBefore >> 20, sofar.maxAfter >> 20, sofar.maxAfterFull >> 20, sofar.full,
                            BenchReport.loadAverage());
                }
                if (accepted != 0 && stagesDone == 0 && depths.get(StageQueues.INBOUND) + depths.get(StageQueues.MENTIONS) == 0) {
                    stagesDone = System.nanoTime();
                }
                if (stagesDone != 0 && depths.get(StageQueues.CRM_OUTBOUND) == 0) {
                    inCrm = sf.count("SELECT COUNT() FROM Social_Mention__c WHERE External_Id__c LIKE 'x:mem-%' AND External_Id__c != 'x:mem-warm'");
                    if (inCrm >= MENTIONS) {
                        drained = System.nanoTime();
                        break;
                    }
                }
                Thread.sleep(1000); // sampling interval of the journal size and queue depths
            }
            pool.shutdownNow();
            boolean alive = hub.isAlive();
            String output = hub.output();
            boolean oom = output.contains("OutOfMemoryError");
            Gc gc = Gc.parse(gcLog);
            report.line("accepted: %s; all %,d POSTs answered 202 after %.1f s = %,.0f mentions/s accepted", accepted != 0 ? "yes" : "NO",
                    MENTIONS, accepted == 0 ? 0 : (accepted - t0) / 1e9, accepted == 0 ? 0 : MENTIONS / ((accepted - t0) / 1e9));
            report.line("OutOfMemoryError: %s; hub %s; heap (GC log, %d collections, %d full): in use before a collection peak %d MB,"
                            + " after a collection max %d MB, after a full collection max %d MB (live), of %d MB", oom ? "YES" : "no",
                    alive ? "alive" : "GONE", gc.collections, gc.full, gc.peakBefore >> 20, gc.maxAfter >> 20, gc.maxAfterFull >> 20,
                    gc.capacity >> 20);
            report.line("broker journal on disk: peak %d MB (sampled every 1 s), %d MB after the drain; crm.outbound peaked at %,d"
                    + " commands", peakJournal >> 20, size(journal) >> 20, peakOutbound);
            report.line("broker paging on disk: %s; peak %d MB (sampled every 1 s), %d MB at the end; the broker's bound: %s",
                    peakPaging > 0 ? "PAGED" : "never paged", peakPaging >> 20, size(paging) >> 20, pagingBound(output));
            assertThat(oom).as("no OutOfMemoryError (" + hub.log() + ")").isFalse();
            assertThat(alive).as("the hub is alive (" + hub.log() + ")").isTrue();
            assertThat(accepted).as("every POST answered 202").isNotZero();
            assertThat(drained).as("every mention in the CRM within " + TIMEOUT + " (" + inCrm + " of " + MENTIONS + ")").isNotZero();

            long calls = Math.round(hub.metric("hearth_crm_api_calls_total", null) - callsBefore);
            long rewards = sf.count("SELECT COUNT() FROM Social_Reward__c") - rewardsBefore;
            long cases = sf.count("SELECT COUNT() FROM Case") - casesBefore;
            long minimum = CrmBench.minimumCalls(inCrm, Math.min(CONTACTS, MENTIONS), rewards, cases);
            double total = (drained - t0) / 1e9;
            double crmDrain = (drained - stagesDone) / 1e9;
            report.line("drained: the stages done after %.1f s, every mention in the CRM after %.1f s = %,.0f mentions/s end to end;"
                            + " crm.outbound drained %.1f s after the stages", (stagesDone - t0) / 1e9, total, MENTIONS / total, crmDrain);
            report.line("CRM: %,d mentions, %,d rewards, %,d new cases in %,d API calls = %.1f per 1,000 mentions (minimum %,d, ratio %.2f),"
                            + " %.1f calls/s during the run; %.1f %% of the daily budget of %,d (the writer pauses at 90 %%): the budget"
                            + " pays for ~%,d such mentions a day", inCrm, rewards, cases, calls, calls * 1000.0 / MENTIONS, minimum,
                    calls / (double) minimum, calls / total, 100.0 * calls / DAILY_BUDGET, DAILY_BUDGET,
                    calls == 0 ? 0 : Math.round(0.9 * DAILY_BUDGET / calls * MENTIONS));
            report.end();
            Map<String, Long> dlq = hub.messageCounts(StageQueues.deadLetterQueueOf(StageQueues.INBOUND),
                    StageQueues.deadLetterQueueOf(StageQueues.MENTIONS), StageQueues.deadLetterQueueOf(StageQueues.CRM_OUTBOUND));
            dlq.forEach((q, n) -> assertThat(n).as(q).isLessThanOrEqualTo(0));
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void awaitUntil(ChildHub hub, String what, Duration atMost, Check check) throws Exception {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (Exception e) {
                // not yet
            }
            if (!hub.isAlive()) {
                throw new AssertionError("the hub exited: " + hub.tail(40));
            }
            Thread.sleep(200); // polling interval
        }
        throw new AssertionError("not within " + atMost + ": " + what + "; hub output:\n" + hub.tail(40));
    }

    private static long depth(ChildHub hub) throws Exception {
        return hub.messageCounts(StageQueues.INBOUND, StageQueues.MENTIONS, StageQueues.CRM_OUTBOUND).values().stream()
                .mapToLong(Long::longValue).sum();
    }

    /** The bound the hub logged at start (BrokerConfiguration), so the report says which global-max-size was in force. */
    private static String pagingBound(String output) {
        Matcher m = Pattern.compile("pages to disk above (\\d+) MB").matcher(output);
        return m.find() ? m.group(1) + " MB of queued messages" : "not in the hub's output (logging.level.root=WARN)";
    }

    private static long size(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** Heap figures from a {@code -Xlog:gc} file: lines like {@code GC(12) Pause Young (Normal) ... 300M->120M(512M) 5.1ms}. */
    record Gc(int collections, int full, long peakBefore, long maxAfter, long maxAfterFull, long capacity) {
        static Gc parse(Path log) throws IOException {
            if (!Files.exists(log)) {
                return new Gc(0, 0, 0, 0, 0, 0);
            }
            int n = 0;
            int full = 0;
            long before = 0;
            long after = 0;
            // after a FULL collection: what was alive then. A young collection the serial collector gives up on (old
            // generation too full to promote into: "482M->482M ... 0.1ms", a full one follows) frees nothing, so
            // maxAfter alone reads as the heap's size rather than its live set.
            long afterFull = 0;
            long capacity = 0;
            for (String line : Files.readAllLines(log)) {
                Matcher m = GC.matcher(line);
                if (m.find()) {
                    n++;
                    full += line.contains("Pause Full") ? 1 : 0;
                    before = Math.max(before, bytes(m.group(1), m.group(2)));
                    after = Math.max(after, bytes(m.group(3), m.group(4)));
                    if (line.contains("Pause Full")) {
                        afterFull = Math.max(afterFull, bytes(m.group(3), m.group(4)));
                    }
                    capacity = Math.max(capacity, bytes(m.group(5), m.group(6)));
                }
            }
            return new Gc(n, full, before, after, afterFull, capacity);
        }

        private static long bytes(String n, String unit) {
            long v = Long.parseLong(n);
            return switch (unit) {
                case "K" -> v << 10;
                case "M" -> v << 20;
                default -> v << 30;
            };
        }
    }
}
