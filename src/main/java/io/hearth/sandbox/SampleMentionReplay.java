package io.hearth.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.hearth.ingest.Ingest;
import io.hearth.config.HearthMode;
import io.hearth.state.SourceCheckpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Sandbox mode's demo traffic (route {@code job-sandbox-replay}): feeds a bundled file of
 * canonical mentions, some by the seeded demo contacts, into the pipeline a few at a time, through
 * the same ingest as the API. Its position is a checkpoint, so a restart continues and a finished
 * replay stays finished. Does nothing outside sandbox mode or with {@code HEARTH_SANDBOX_REPLAY=false}.
 */
@Component("sandboxReplay")
public class SampleMentionReplay {

    static final String CHECKPOINT = "sandbox-replay";
    private static final Logger LOG = LoggerFactory.getLogger(SampleMentionReplay.class);

    private final boolean active;
    private final Path file;
    private final int batch;
    private final Ingest ingest;
    private final SourceCheckpoints checkpoints;
    private final java.time.Clock clock;
    private List<String> lines;

    /** The hub's: settings from {@link SandboxReplaySettings}. */
    @org.springframework.beans.factory.annotation.Autowired
    public SampleMentionReplay(HearthMode mode, Ingest ingest, SourceCheckpoints checkpoints, SandboxReplaySettings settings,
                               java.time.Clock clock) {
        this(mode, ingest, checkpoints, settings.replay(), settings.replayFile(), settings.replayBatch(), clock);
    }

    public SampleMentionReplay(HearthMode mode, Ingest ingest, SourceCheckpoints checkpoints, boolean enabled, String file,
                               int batch, java.time.Clock clock) {
        this.active = enabled && mode.isSandbox();
        this.file = Path.of(file).toAbsolutePath().normalize();
        this.batch = batch;
        this.ingest = ingest;
        this.checkpoints = checkpoints;
        this.clock = clock;
    }

    /** One tick: the next few mentions into the pipeline. */
    public void next() throws IOException {
        if (!active) {
            return;
        }
        List<String> all = lines();
        int position = checkpoints.load(CHECKPOINT).map(Integer::parseInt).orElse(0);
        if (position >= all.size()) {
            return;
        }
        if (position == 0) {
            LOG.info("Sandbox replay: feeding {} sample mentions from {} into the pipeline, {} every tick "
                    + "(HEARTH_SANDBOX_REPLAY=false turns this off); watch hearth_queue_depth at /actuator/prometheus", all.size(),
                    file, batch);
        }
        int end = Math.min(all.size(), position + batch);
        ingest.accept("mention", String.join("\n", all.subList(position, end)), "sandbox-replay");
        checkpoints.save(CHECKPOINT, Integer.toString(end));
        if (end == all.size()) {
            LOG.info("Sandbox replay: all {} sample mentions fed", all.size());
        }
    }

    private synchronized List<String> lines() throws IOException {
        if (lines == null) {
            lines = recent(Files.readAllLines(file, StandardCharsets.UTF_8).stream().filter(l -> !l.isBlank()).toList());
        }
        return lines;
    }

    /**
     * The samples moved forward in time so that the newest was posted an hour ago, their spacing kept: a demo run
     * months after the file was recorded still shows mentions inside the 30-day windows of the CRM aggregates.
     */
    private List<String> recent(List<String> samples) throws IOException {
        return movedBefore(samples, clock.instant());
    }

    /**
     * Sample mentions (JSON lines) moved forward in time so that the newest was posted an hour before {@code now}, their
     * spacing kept; as they are when they are newer already. Also what tests use to feed the samples at any date.
     */
    public static List<String> movedBefore(List<String> samples, java.time.Instant now) throws IOException {
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        java.time.Instant newest = null;
        for (String line : samples) {
            java.time.Instant at = java.time.Instant.parse(json.readTree(line).path("createdAt").asText());
            newest = newest == null || at.isAfter(newest) ? at : newest;
        }
        java.time.Duration shift = newest == null ? java.time.Duration.ZERO
                : java.time.Duration.between(newest, now.minus(java.time.Duration.ofHours(1)));
        if (shift.isNegative() || shift.isZero()) {
            return samples;
        }
        List<String> moved = new java.util.ArrayList<>(samples.size());
        for (String line : samples) {
            com.fasterxml.jackson.databind.node.ObjectNode mention = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(line);
            mention.put("createdAt", java.time.Instant.parse(mention.get("createdAt").asText()).plus(shift).toString());
            moved.add(json.writeValueAsString(mention));
        }
        return moved;
    }
}
