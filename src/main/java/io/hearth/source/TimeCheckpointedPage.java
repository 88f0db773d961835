package io.hearth.source;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One page of a newest-first API whose checkpoint is a time (Bluesky search, YouTube comment threads): which items are
 * new, and where reading goes next.
 * <ul>
 * <li>{@code since}: the newest time already read; {@code pendingSince}: the newest time of the pages read so far in a
 * run that is still paging back; {@code cursor}: the next page, or null.</li>
 * <li>An item before {@code since} has been read: the run stops at it. An item at exactly {@code since} may be new (a
 * second comment of the same second, published after the poll that set the checkpoint; the page goes to the ingest
 * whole, whose dedup drops what was read): it does not count as new, and it ends the run unless the page ends with
 * that second, whose other items may then be on the next page (issue 18: they were missed). An item without a
 * readable time counts as new (the mapper decides: it rejects what it cannot read).</li>
 * <li>Without a checkpoint, the first page is the start: no backfill.</li>
 * </ul>
 *
 * @param nextSince   the checkpoint's time after this page
 * @param nextPending the newest time pending while paging goes on (null when it stops)
 * @param nextCursor  the page to ask for next (null when paging stops)
 * @param more        whether to ask for {@code nextCursor} now
 * @param unseen      items on this page not read before
 */
public record TimeCheckpointedPage(String nextSince, String nextPending, String nextCursor, boolean more, int unseen) {

    public static TimeCheckpointedPage of(JsonNode items, Function<JsonNode, Instant> timeOf, String since,
                                          String pendingSince, String cursor) {
        Instant seenUpTo = parse(since);
        Instant newest = parse(pendingSince);
        boolean reachedSeen = false;
        boolean atSeen = false;
        Instant last = null;
        int unseen = 0;
        for (JsonNode item : items) {
            Instant at = timeOf.apply(item);
            last = at != null ? at : last;
            if (at != null && seenUpTo != null && at.isBefore(seenUpTo)) {
                reachedSeen = true;
                continue;
            }
            if (at != null && at.equals(seenUpTo)) {
                atSeen = true;   // same second as the checkpoint: maybe read, maybe not; dedup decides
                continue;
            }
            unseen++;
            if (at != null && (newest == null || at.isAfter(newest))) {
                newest = at;
            }
        }
        reachedSeen = reachedSeen || (atSeen && !seenUpTo.equals(last));
        boolean more = seenUpTo != null && cursor != null && !reachedSeen && items.size() > 0;
        String newestText = newest == null ? null : newest.toString();
        return more ? new TimeCheckpointedPage(since, newestText, cursor, true, unseen)
                : new TimeCheckpointedPage(newest != null ? newestText : since, null, null, false, unseen);
    }

    /** An ISO-8601 time with offset, or null when absent or unreadable. */
    public static Instant parse(String timestamp) {
        if (timestamp == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(timestamp).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
