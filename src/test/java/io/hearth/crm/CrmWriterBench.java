package io.hearth.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 3, the writer's acceptance 5: API calls per 1,000 mentions beside the minimum, and records written per second,
 * against the hub's sandbox over HTTP. Tag {@code bench}: runs only with {@code ./mvnw -B -Pbench verify}
 * (add {@code -Dtest=CrmWriterBench} for this one alone). Each mention is a Social_Mention__c upsert followed by its
 * author's Contact aggregate update, as the pipeline will emit them. Two runs: a backlog (the writer finds the commands
 * queued, as after an outage) and a stream (commands arrive while the writer runs, one committed send each).
 * Knobs: {@code -Dbench.crm.mentions=5000 -Dbench.crm.contacts=300}. Figures are printed and written to
 * {@code target/bench/crm-writer.txt}.
 */
@Tag("bench")
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
@DirtiesContext
class CrmWriterBench extends CrmHub {

    static final int SANDBOX_PORT = SandboxClient.freePort();
    static final int MENTIONS = Integer.getInteger("bench.crm.mentions", 5000);
    static final int CONTACTS = Integer.getInteger("bench.crm.contacts", 300);

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        hub(registry, dataDir, SANDBOX_PORT, CONTACTS);
    }

    final SandboxClient sandbox = new SandboxClient(SANDBOX_PORT);
    final List<String> report = new ArrayList<>();

    @Test
    void apiCallsPerThousandMentionsAndRecordsPerSecond() throws Exception {
        // Warm-up (login, JIT), not measured.
        CrmStream warm = CrmStream.mentions("warm", 200, CONTACTS);
        double c0 = consumed();
        send(warm.commands);
        awaitConsumed(c0, warm.commands.size(), Duration.ofMinutes(2));

        int minimumPer1000 = (int) (Math.ceil(1000 / 200.0) + Math.ceil(Math.min(CONTACTS, 1000) / 200.0));
        line("CRM writer benchmark: %d mentions by %d contacts (+1 Contact aggregate update per mention), sandbox over HTTP",
                MENTIONS, CONTACTS);
        line("minimum API calls per 1,000 mentions: %d (ceil(1000/200) mention upserts + ceil(%d/200) contact updates)",
                minimumPer1000, Math.min(CONTACTS, 1000));

        CrmStream backlog = CrmStream.mentions("bench-backlog", MENTIONS, CONTACTS);
        camel.getRouteController().stopRoute(CrmWriterControl.ROUTE_ID);
        send(backlog.commands);
        run("backlog", backlog, minimumPer1000, () -> camel.getRouteController().startRoute(CrmWriterControl.ROUTE_ID));

        CrmStream stream = CrmStream.mentions("bench-stream", MENTIONS, CONTACTS);
        run("stream", stream, minimumPer1000, () -> send(stream.commands));

        Path out = Path.of("target", "bench", "crm-writer.txt");
        Files.createDirectories(out.getParent());
        Files.write(out, report, StandardCharsets.UTF_8);
        assertThat(sandbox.count("SELECT COUNT() FROM Social_Mention__c WHERE External_Id__c LIKE 'x:bench-%'")).isEqualTo(2 * MENTIONS);
    }

    interface Step {
        void run() throws Exception;
    }

    private void run(String name, CrmStream s, int minimumPer1000, Step start) throws Exception {
        long usage = sandbox.apiUsage();
        double before = consumed();
        long t0 = System.nanoTime();
        start.run();
        awaitConsumed(before, s.commands.size(), Duration.ofMinutes(10));
        double seconds = (System.nanoTime() - t0) / 1e9;
        long calls = sandbox.apiUsage() - usage;
        double per1000 = calls * 1000.0 / MENTIONS;
        line("%-8s %6d API calls = %5.2f per 1,000 mentions (minimum %d, ratio %.2f); %d mention records + %d contact updates"
                        + " in %.1f s = %.0f mentions/s, %.0f commands/s",
                name, calls, per1000, minimumPer1000, per1000 / minimumPer1000, s.upserts(), s.commands.size() - s.upserts(),
                seconds, s.upserts() / seconds, s.commands.size() / seconds);
    }

    private void line(String format, Object... args) {
        String line = String.format(Locale.ROOT, format, args);
        System.out.println(line);
        report.add(line);
    }
}
