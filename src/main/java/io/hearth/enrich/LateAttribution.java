package io.hearth.enrich;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.hearth.identity.AuthorKeys;
import io.hearth.state.SourceCheckpoints;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Late attribution (issue 10; route {@code job-late-attribution}, run after every directory sync): the authors who
 * became known, consenting contacts since the last run — directory rows written since then (a sync brought a new or
 * changed identity, a full load rewrote them all, a verified link added one) whose contact consents — and their
 * mentions the mention log still holds unattributed (within retention). Those go back on {@code social.mentions}
 * ({@link Rejudging}, mode attribution), where the enrich stage attributes and judges each once.
 * <p>
 * The run's watermark (hearth_source_checkpoint, source {@value #CHECKPOINT}: the newest directory {@code synced_at}
 * seen) moves only after the mentions were sent ({@link #done}); a crash in between sends them again next time, which
 * the enrich stage turns into a plain redelivery (nothing granted twice).
 */
public class LateAttribution {

    private static final Logger log = LoggerFactory.getLogger(LateAttribution.class);

    static final String CHECKPOINT = "late-attribution";

    /** One run: the mentions to put back and the watermark to save once they are sent. */
    public record Run(List<Rejudging.Request> requests, Instant watermark, int authors) {
    }

    private final JdbcTemplate jdbc;
    private final Rejudging rejudging;
    private final SourceCheckpoints checkpoints;
    private final MeterRegistry meters;

    public LateAttribution(JdbcTemplate jdbc, Rejudging rejudging, SourceCheckpoints checkpoints, MeterRegistry meters) {
        this.jdbc = jdbc;
        this.rejudging = rejudging;
        this.checkpoints = checkpoints;
        this.meters = meters;
    }

    /** The mentions of authors who became known consenting contacts since the last run. */
    public Run due() {
        Instant since = checkpoints.load(CHECKPOINT).map(Instant::parse).orElse(Instant.EPOCH);
        Map<String, String> contactByAuthor = new HashMap<>();
        Instant[] newest = {since};
        jdbc.query("SELECT channel, handle, contact_id, synced_at FROM hearth_contact_directory"
                + " WHERE synced_at > ? AND consent = TRUE AND contact_id IS NOT NULL", rs -> {
                    contactByAuthor.put(AuthorKeys.of(rs.getString(1), rs.getString(2)), rs.getString(3));
                    Instant at = rs.getTimestamp(4).toInstant();
                    if (at.isAfter(newest[0])) {
                        newest[0] = at;
                    }
                }, Timestamp.from(since));
        if (contactByAuthor.isEmpty()) {
            return new Run(List.of(), newest[0], 0);
        }
        // Never another contact's mention: only rows without a contact, or this contact's without consent.
        List<Rejudging.Request> requests = rejudging.requests(
                Rejudging.Selection.unattributedOf(contactByAuthor.keySet()), Rejudging.Mode.ATTRIBUTION,
                row -> row.contactId() == null || row.contactId().equals(contactByAuthor.get(row.authorKey())));
        return new Run(requests, newest[0], contactByAuthor.size());
    }

    /** The run's mentions are on social.mentions: move the watermark. */
    public void done(Run run) {
        checkpoints.save(CHECKPOINT, run.watermark().toString());
        if (meters != null) {
            meters.counter("hearth.attribution.mentions").increment(run.requests().size());
        }
        if (!run.requests().isEmpty()) {
            log.info("Late attribution: {} stored mention(s) of {} newly known or changed contact identities put back"
                    + " on social.mentions", run.requests().size(), run.authors());
        }
    }
}
