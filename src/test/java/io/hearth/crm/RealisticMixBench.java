package io.hearth.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
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
 * Issue 14 item 3, the realistic mix: half the mentions by known, consenting contacts under the default rules (so CRM
 * commands, rewards and cases reach the sandbox), half by authors who are not contacts. Two runs, each by its own 300
 * contacts: a <b>burst</b> posted as fast as one client can (pages of 100) and a <b>steady 100/s</b> stream (2 mentions a
 * request every 20 ms). Prints mentions/s end to end (first post until every stage queue, {@code crm.outbound} included,
 * is empty), the writer's API calls per 1,000 mentions beside the minimum, and for the stream the latency from the ingest
 * request to the record in the sandbox, sampled on every 10th known mention (SOQL poll every 50 ms). Tag {@code bench}:
 * {@code ./mvnw -B -Pbench verify -Dtest=RealisticMixBench [-Dbench.mix.mentions=2000]}; appends to
 * {@code target/bench/results.txt} ({@link BenchReport}).
 */
@Tag("bench")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
@DirtiesContext
class RealisticMixBench extends CrmBench {

    static final int SANDBOX_PORT = SandboxClient.freePort();
    static final int MENTIONS = Integer.getInteger("bench.mix.mentions", 2000);
    static final int CONTACTS = 300;
    static final int RUNS = 2;

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
    void halfKnownHalfUnknownBurstAndSteadyHundredPerSecond() throws Exception {
        // Warm-up (login, JIT), not measured: the last contact, in no run.
        warmUp(CONTACTS * RUNS + 1, CONTACTS * RUNS + 1);

        report = BenchReport.section("Realistic mix (issue 14 item 3, RealisticMixBench)");
        report.line("%d mentions a run, half by %d known consenting contacts (default rules), half by unknown authors; %s",
                MENTIONS, CONTACTS, writerSettings());
        run("mix burst", 0, lines -> {
            for (int from = 0; from < lines.size(); from += 100) {
                assertThat(post(lines.subList(from, Math.min(lines.size(), from + 100)))).isEqualTo(202);
            }
        }, null);
        Map<String, Long> sent = new ConcurrentHashMap<>();
        // every 10th known mention is sampled (known ones are the even lines)
        run("mix 100/s", 1, lines -> stream(lines, 2, 20, sent), sent);
        report.end();
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
        AtomicBoolean polling = new AtomicBoolean(true);
        long t0 = System.nanoTime();
        Thread poll = sampledSentAt == null ? null : startLatencyPoll(sampledSentAt, seenAt, polling);
        start.run(lines);
        double postSeconds = (System.nanoTime() - t0) / 1e9;
        long idleAt = awaitIdle();
        double seconds = (idleAt - t0) / 1e9;
        polling.set(false);
        if (poll != null) {
            poll.join(5000);
        }
        long calls = Math.round(writerCalls() - callsBefore);

        int inCrm = sandbox.count("SELECT COUNT() FROM Social_Mention__c WHERE External_Id__c LIKE 'x:" + prefix + "%'");
        assertThat(inCrm).as(name + ": every known author's mention in the CRM").isGreaterThanOrEqualTo(known);
        long rewards = sandbox.count("SELECT COUNT() FROM Social_Reward__c") - rewardsBefore;
        long cases = sandbox.count("SELECT COUNT() FROM Case") - casesBefore;
        long contacts = Math.min(CONTACTS, known);
        long minimum = minimumCalls(inCrm, contacts, rewards, cases);
        report.line("%-10s %d mentions (%d known) posted in %.1f s, drained to the CRM in %.1f s = %.0f mentions/s end to end;"
                        + " %d API calls = %.1f per 1,000 mentions (minimum %d: %d CRM mentions, %d contacts, %d rewards,"
                        + " %d new cases; ratio %.2f)%s", name, MENTIONS, known, postSeconds, seconds, MENTIONS / seconds, calls,
                calls * 1000.0 / MENTIONS, minimum, inCrm, contacts, rewards, cases, calls / (double) minimum,
                sampledSentAt == null ? "" : latency(sampledSentAt, seenAt));
    }
}
