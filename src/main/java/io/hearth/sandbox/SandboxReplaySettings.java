package io.hearth.sandbox;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hearth.sandbox.replay*}: the bundled sample mentions fed into the pipeline in sandbox mode
 * ({@link SampleMentionReplay}; the timer {@code replay-interval} is read by routes/jobs/sandbox-replay.camel.yaml).
 *
 * @param replay on in sandbox mode unless set false
 * @param replayFile the JSON Lines file of canonical mentions
 * @param replayBatch mentions per tick
 */
@ConfigurationProperties(prefix = "hearth.sandbox")
public record SandboxReplaySettings(
        @DefaultValue("true") boolean replay,
        @DefaultValue("./config/sandbox-sample-mentions.jsonl") String replayFile,
        @DefaultValue("5") int replayBatch) {
}
