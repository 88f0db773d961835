package io.hearth.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import io.hearth.queue.BrokerConfiguration;
import io.hearth.state.SourceCheckpoints;
import io.hearth.support.Mentions;
import io.hearth.support.QueueProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Sandbox mode feeds its bundled sample mentions into the pipeline, a few per tick, once. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
class SampleMentionReplayIT {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws Exception {
        Path sample = Files.createDirectories(dataDir.resolve("sample")).resolve("mentions.jsonl");
        Files.writeString(sample, Mentions.jsonl(0, 12));
        registry.add("hearth.data-dir", () -> dataDir.toString());
        registry.add("hearth.api-key", () -> "replay-key");
        registry.add("hearth.sources.inbox.enabled", () -> "false");
        registry.add("hearth.sandbox.replay", () -> "true");
        registry.add("hearth.sandbox.replay-file", sample::toString);
        registry.add("hearth.sandbox.replay-interval", () -> "100");
        registry.add("hearth.sandbox.replay-batch", () -> "5");
    }

    @Autowired
    BrokerConfiguration.EmbeddedBroker broker;
    @Autowired
    SourceCheckpoints checkpoints;
    @Autowired
    io.hearth.enrich.MentionLog mentionLog;
    @Autowired
    org.springframework.jdbc.core.JdbcTemplate jdbc;

    @Test
    void theSampleFlowsIntoThePipelineOnceInSmallSteps() throws Exception {
        // The enrich stage's mention log is where every mention ends, known author or not.
        await().atMost(Duration.ofSeconds(30)).until(() -> mentionLog.size() == 12);
        assertThat(checkpoints.load(SampleMentionReplay.CHECKPOINT)).contains("12");
        // Finished stays finished: later ticks add nothing.
        await().during(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> mentionLog.size() == 12);
        // recorded on 2026-11-20, replayed as if the newest had been posted an hour ago
        java.time.Instant newest = jdbc.queryForObject("SELECT MAX(created_at) FROM hearth_mention_log", java.sql.Timestamp.class).toInstant();
        assertThat(newest).isBetween(java.time.Instant.now().minus(java.time.Duration.ofMinutes(70)),
                java.time.Instant.now().minus(java.time.Duration.ofMinutes(50)));
    }
}
