package io.hearth.crm;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The CRM writer's durable "written" marks (V30, table {@code hearth_crm_written}): which crm.outbound messages
 * Salesforce has already written although their JMS batch has not committed yet. The writer marks a message right after
 * the call that wrote its record answered (auto-committed, before the batch's JMS commit) and forgets the mark once the
 * batch committed. A message redelivered after a crash between the call and the commit (kill -9, a failed commit, a
 * rollback) finds its mark and is not sent again: the redelivery costs no call and cannot overwrite a newer write of the
 * same record with an older one. Keyed by the JMS message id, which the broker keeps across redeliveries and restarts.
 * What is left of the window: a crash after Salesforce wrote the records and before {@link #mark} committed (one call's
 * records, a few milliseconds).
 */
@Component
public class CrmWrittenMarks {

    /** Ids per IN (...) list. */
    private static final int CHUNK = 100;

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public CrmWrittenMarks(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** The given message ids that are marked as written. */
    public Set<String> written(Collection<String> messageIds) {
        if (messageIds.isEmpty()) {
            return Collections.emptySet();
        }
        Set<String> found = new HashSet<>();
        for (List<String> chunk : chunks(messageIds)) {
            jdbc.query("SELECT message_id FROM hearth_crm_written WHERE message_id IN (" + placeholders(chunk.size()) + ")",
                    rs -> {
                        found.add(rs.getString(1));
                    }, chunk.toArray());
        }
        return found;
    }

    /** Marks the messages as written (each statement commits on its own); a message marked already stays as it is. */
    public void mark(Collection<String> messageIds) {
        if (messageIds.isEmpty()) {
            return;
        }
        Timestamp now = Timestamp.from(clock.instant());
        List<Object[]> rows = new ArrayList<>(messageIds.size());
        for (String id : messageIds) {
            rows.add(new Object[] {id, now, id});
        }
        // portable insert-once (H2 and PostgreSQL): one consumer marks a message, so there is no race to lose
        jdbc.batchUpdate("INSERT INTO hearth_crm_written (message_id, written_at) SELECT ?, ?"
                + " WHERE NOT EXISTS (SELECT 1 FROM hearth_crm_written WHERE message_id = ?)", rows);
    }

    /** Forgets the marks of messages whose batch committed: they are never delivered again. */
    public void forget(Collection<String> messageIds) {
        for (List<String> chunk : chunks(messageIds)) {
            jdbc.update("DELETE FROM hearth_crm_written WHERE message_id IN (" + placeholders(chunk.size()) + ")", chunk.toArray());
        }
    }

    /** Deletes marks older than {@code retention} (left behind by a crash after a commit); answers how many. */
    public int purgeOlderThan(Duration retention) {
        Instant before = clock.instant().minus(retention);
        return jdbc.update("DELETE FROM hearth_crm_written WHERE written_at < ?", Timestamp.from(before));
    }

    /** Marks held now (tests, diagnostics). */
    public long count() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM hearth_crm_written", Long.class);
        return n == null ? 0 : n;
    }

    private static List<List<String>> chunks(Collection<String> ids) {
        List<String> all = new ArrayList<>(ids);
        List<List<String>> chunks = new ArrayList<>();
        for (int from = 0; from < all.size(); from += CHUNK) {
            chunks.add(all.subList(from, Math.min(all.size(), from + CHUNK)));
        }
        return chunks;
    }

    private static String placeholders(int n) {
        return String.join(",", Collections.nCopies(n, "?"));
    }
}
