package io.hearth.privacy;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The privacy tables (V6): erasure requests, suppressed authors, erased contacts, deleted posts and the audit trail.
 * The block lists are read on every mention and every CRM command, so they are also held in memory: written through by
 * this hub, and every {@link #REFRESH} the rows other hubs added are read incrementally (those stamped at or after the
 * newest row seen, minus {@link #OVERLAP} for clock skew between hubs); a full re-read every {@link #FULL_RELOAD} drops
 * what was purged and catches anything stamped further back. The deleted-post list grows with every deleted post, so
 * processed rows leave it with the retention window ({@link #purgeDeletedPosts}, job-retention).
 */
@Component
public class PrivacyStore {

    /** How stale the in-memory block lists may be with respect to other hubs of a cluster. */
    static final Duration REFRESH = Duration.ofSeconds(2);
    /** How far before the newest row seen an incremental refresh reads again (another hub's clock may lag). */
    static final Duration OVERLAP = Duration.ofMinutes(2);
    /** How often the lists are read in full. */
    static final Duration FULL_RELOAD = Duration.ofMinutes(10);

    /** One block list's table: its key column and the time column the incremental refresh reads by. */
    private enum ListTable {
        AUTHORS("hearth_suppressed_author", "author_key", "suppressed_at"),
        CONTACTS("hearth_erased_contact", "contact_key", "erased_at"),
        POSTS("hearth_deleted_post", "mention_id", "deleted_at"),
        CASES("hearth_erased_case", "case_key_hash", "erased_at");

        final String table;
        final String key;
        final String time;

        ListTable(String table, String key, String time) {
            this.table = table;
            this.key = key;
            this.time = time;
        }
    }

    public enum Status { pending, running, done, failed }

    /** An erasure request as stored. Subject fields are null once it is done. */
    public record Request(String erasureId, String subjectKind, String subjectKey, String contactId, String channel,
                          String handle, Status status, String requestedBy, Instant requestedAt, Instant startedAt,
                          Instant finishedAt, int attempts, String lastError, String counts) {
    }

    /** The lists in memory: read in full at {@code fullAt}, refreshed at {@code refreshedAt}. */
    private static final class Snapshot {
        final java.util.EnumMap<ListTable, Set<String>> sets = new java.util.EnumMap<>(ListTable.class);
        final java.util.EnumMap<ListTable, Instant> newest = new java.util.EnumMap<>(ListTable.class);
        final Instant fullAt;
        volatile Instant refreshedAt;

        Snapshot(Instant at) {
            for (ListTable t : ListTable.values()) {
                sets.put(t, java.util.concurrent.ConcurrentHashMap.newKeySet());
            }
            fullAt = at;
            refreshedAt = at;
        }

        Set<String> authors() {
            return sets.get(ListTable.AUTHORS);
        }

        Set<String> contacts() {
            return sets.get(ListTable.CONTACTS);
        }

        Set<String> posts() {
            return sets.get(ListTable.POSTS);
        }

        Set<String> cases() {
            return sets.get(ListTable.CASES);
        }
    }

    private final JdbcTemplate jdbc;
    private final Clock clock;
    /** Wall time for the list refreshes: they are about other hubs, not the business clock (a test moves it by hand). */
    private final Clock wallClock;
    private volatile Snapshot snapshot;
    /** Set by a write whose effect on the lists must be seen at once (another hub's erasure): refresh on the next read. */
    private volatile boolean refreshNow;
    /** Rows the list refreshes have read so far (tests, diagnostics). */
    private final java.util.concurrent.atomic.AtomicLong listRowsRead = new java.util.concurrent.atomic.AtomicLong();

    @Autowired   // the hub's constructor (the other one is for tests)
    public PrivacyStore(JdbcTemplate jdbc, Clock clock) {
        this(jdbc, clock, Clock.systemUTC());
    }

    PrivacyStore(JdbcTemplate jdbc, Clock clock, Clock wallClock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.wallClock = wallClock;
    }

    // --- block lists ----------------------------------------------------------------------------------------------

    public boolean isSuppressedAuthor(String authorKey) {
        return current().authors().contains(authorKey);
    }

    public boolean isErasedContact(String contactId) {
        return contactId != null && contactId.length() >= 15 && current().contacts().contains(PrivacyKeys.contact(contactId));
    }

    public boolean isDeletedPost(String mentionId) {
        return mentionId != null && current().posts().contains(mentionId);
    }

    /** True when the service case with this key (Case.Social_Conversation_Id__c) belonged to an erased person. */
    public boolean isErasedCase(String caseKey) {
        return caseKey != null && current().cases().contains(PrivacyKeys.caseKey(caseKey));
    }

    public void eraseCases(Collection<String> caseKeys) {
        for (String key : caseKeys) {
            insertIgnoringDuplicate("INSERT INTO hearth_erased_case (case_key_hash, erased_at) VALUES (?, ?)",
                    PrivacyKeys.caseKey(key));
            remember(ListTable.CASES, PrivacyKeys.caseKey(key));
        }
    }

    /**
     * The given author keys that are suppressed now, read from the database (not the cached lists): the enrich batch's
     * last check before it commits (see {@link PrivacyFence}).
     */
    public Set<String> suppressedNow(Collection<String> authorKeys) {
        Set<String> out = new HashSet<>();
        List<String> keys = List.copyOf(authorKeys);
        for (int from = 0; from < keys.size(); from += 500) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + 500));
            String marks = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
            out.addAll(jdbc.queryForList("SELECT author_key FROM hearth_suppressed_author WHERE author_key IN (" + marks + ")",
                    String.class, chunk.toArray()));
        }
        return out;
    }

    /**
     * Deletes mention-log rows a batch wrote for authors erased while it was open (the batch is then redelivered and
     * its mentions treated as suppressed); the cached lists are re-read so the redelivery sees the erasure.
     */
    public int forgetLateRows(Collection<String> authorKeys, Collection<String> mentionIds) {
        int deleted = 0;
        List<String> ids = List.copyOf(mentionIds);
        String keys = String.join(",", java.util.Collections.nCopies(authorKeys.size(), "?"));
        for (int from = 0; from < ids.size(); from += 500) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            List<Object> args = new java.util.ArrayList<>(chunk);
            args.addAll(authorKeys);
            deleted += jdbc.update("DELETE FROM hearth_mention_log WHERE mention_id IN ("
                    + String.join(",", java.util.Collections.nCopies(chunk.size(), "?")) + ") AND author_key IN (" + keys + ")",
                    args.toArray());
        }
        refreshNow = true;
        return deleted;
    }

    public void suppressAuthors(Collection<String> authorKeys) {
        for (String key : authorKeys) {
            insertIgnoringDuplicate("INSERT INTO hearth_suppressed_author (author_key, suppressed_at) VALUES (?, ?)", key);
            remember(ListTable.AUTHORS, key);
        }
    }

    public void eraseContact(String contactId) {
        insertIgnoringDuplicate("INSERT INTO hearth_erased_contact (contact_key, erased_at) VALUES (?, ?)",
                PrivacyKeys.contact(contactId));
        remember(ListTable.CONTACTS, PrivacyKeys.contact(contactId));
    }

    /** Records a deleted post; false when it was recorded before. */
    public boolean deletePost(String mentionId, String by) {
        try {
            jdbc.update("INSERT INTO hearth_deleted_post (mention_id, deleted_at, requested_by, attempts) VALUES (?, ?, ?, 0)",
                    mentionId, now(), by);
            remember(ListTable.POSTS, mentionId);
            return true;
        } catch (DuplicateKeyException seen) {
            return false;
        }
    }

    private void insertIgnoringDuplicate(String sql, String key) {
        try {
            jdbc.update(sql, key, now());
        } catch (DuplicateKeyException already) {
            // suppressed before: nothing to add
        }
    }

    /** A key this hub just wrote: into the lists at once (the next refresh reads it again, harmlessly). */
    private void remember(ListTable table, String key) {
        Snapshot s = snapshot;
        if (s != null) {
            s.sets.get(table).add(key);
        }
    }

    private Snapshot current() {
        Snapshot s = snapshot;
        Instant now = wallClock.instant(); // wall time on purpose: the refresh is about other hubs, not the business clock
        if (s == null || s.fullAt.plus(FULL_RELOAD).isBefore(now)) {
            synchronized (this) {
                s = snapshot;
                if (s == null || s.fullAt.plus(FULL_RELOAD).isBefore(now)) {
                    refreshNow = false;
                    Snapshot full = new Snapshot(now);
                    for (ListTable t : ListTable.values()) {
                        read(full, t, null);
                    }
                    snapshot = full;
                    return full;
                }
            }
        }
        if (refreshNow || s.refreshedAt.plus(REFRESH).isBefore(now)) {
            synchronized (this) {
                if (refreshNow || s.refreshedAt.plus(REFRESH).isBefore(now)) {
                    refreshNow = false;
                    for (ListTable t : ListTable.values()) {
                        Instant newest = s.newest.get(t);
                        read(s, t, newest == null ? null : newest.minus(OVERLAP));
                    }
                    s.refreshedAt = now;
                }
            }
        }
        return s;
    }

    /** Adds the table's rows stamped at or after {@code since} (all rows when null) to the snapshot. */
    private void read(Snapshot s, ListTable t, Instant since) {
        String sql = "SELECT " + t.key + ", " + t.time + " FROM " + t.table + (since == null ? "" : " WHERE " + t.time + " >= ?");
        Object[] args = since == null ? new Object[0] : new Object[] {Timestamp.from(since)};
        Set<String> set = s.sets.get(t);
        jdbc.query(sql, rs -> {
            set.add(rs.getString(1));
            Timestamp at = rs.getTimestamp(2);
            if (at != null) {
                s.newest.merge(t, at.toInstant(), (a, b) -> a.isAfter(b) ? a : b);
            }
            listRowsRead.incrementAndGet();
        }, args);
    }

    /** Rows the block-list refreshes have read since this store was created. */
    long listRowsRead() {
        return listRowsRead.get();
    }

    /**
     * Deletes the deleted-post rows processed before {@code processedBefore} (job-retention, with the retention window:
     * the post's text and handle have left the mention log by then); answers how many. Open rows stay.
     */
    public int purgeDeletedPosts(Instant processedBefore) {
        return jdbc.update("DELETE FROM hearth_deleted_post WHERE processed_at IS NOT NULL AND processed_at < ?",
                Timestamp.from(processedBefore));
    }

    // --- deleted posts --------------------------------------------------------------------------------------------

    /** Deleted posts not yet removed, oldest first; one that failed {@code maxAttempts} times is left for operators. */
    public List<String> openDeletedPosts(int max, int maxAttempts) {
        return jdbc.queryForList("SELECT mention_id FROM hearth_deleted_post WHERE processed_at IS NULL AND attempts < ?"
                + " ORDER BY deleted_at", String.class, maxAttempts).stream().limit(max).toList();
    }

    public String deletedPostRequester(String mentionId) {
        return jdbc.queryForList("SELECT requested_by FROM hearth_deleted_post WHERE mention_id = ?", String.class, mentionId)
                .stream().findFirst().orElse("unknown");
    }

    public void deletedPostProcessed(String mentionId) {
        jdbc.update("UPDATE hearth_deleted_post SET processed_at = ? WHERE mention_id = ?", now(), mentionId);
    }

    public void deletedPostFailed(String mentionId) {
        jdbc.update("UPDATE hearth_deleted_post SET attempts = attempts + 1 WHERE mention_id = ?", mentionId);
    }

    // --- erasure requests -----------------------------------------------------------------------------------------

    public String request(String kind, String subjectKey, String contactId, String channel, String handle, String by) {
        String id = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO hearth_erasure_request (erasure_id, subject_kind, subject_key, contact_id, channel, handle,"
                        + " status, requested_by, requested_at, attempts) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
                id, kind, subjectKey, contactId, channel, handle, Status.pending.name(), by, now());
        return id;
    }

    public Optional<Request> find(String erasureId) {
        return jdbc.query("SELECT * FROM hearth_erasure_request WHERE erasure_id = ?", PrivacyStore::request, erasureId)
                .stream().findFirst();
    }

    /** Open requests, oldest first: pending ones and those left running by a hub that stopped mid-way. */
    public List<Request> open(int max) {
        return jdbc.query("SELECT * FROM hearth_erasure_request WHERE status IN ('pending', 'running')"
                + " ORDER BY requested_at", PrivacyStore::request).stream().limit(max).toList();
    }

    public void started(String erasureId) {
        jdbc.update("UPDATE hearth_erasure_request SET status = 'running', started_at = COALESCE(started_at, ?),"
                + " attempts = attempts + 1 WHERE erasure_id = ?", now(), erasureId);
    }

    /** Done: the counts are kept, the subject in clear is dropped. */
    public void done(String erasureId, String counts) {
        jdbc.update("UPDATE hearth_erasure_request SET status = 'done', finished_at = ?, counts = ?, contact_id = NULL,"
                + " handle = NULL, last_error = NULL WHERE erasure_id = ?", now(), counts, erasureId);
    }

    /** A failed attempt: pending again (the job retries), or failed for good after {@code maxAttempts}. */
    public void attemptFailed(Request r, String error, int maxAttempts, String countsSoFar) {
        boolean last = r.attempts() + 1 >= maxAttempts;
        jdbc.update("UPDATE hearth_erasure_request SET status = ?, last_error = ?, finished_at = ?, counts = ? WHERE erasure_id = ?",
                last ? Status.failed.name() : Status.pending.name(), cut(error, 500), last ? Timestamp.from(clock.instant()) : null,
                countsSoFar, r.erasureId());
    }

    // --- audit ------------------------------------------------------------------------------------------------------

    public void audit(String action, String actor, String subjectKind, String subjectKey, String reference, String counts) {
        jdbc.update("INSERT INTO hearth_privacy_audit (audit_id, action, actor, subject_kind, subject_key, reference,"
                        + " occurred_at, counts) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", UUID.randomUUID().toString(), action,
                actor, subjectKind, subjectKey, reference, now(), counts);
    }

    private Timestamp now() {
        return Timestamp.from(clock.instant());
    }

    private static Request request(ResultSet rs, int row) throws SQLException {
        return new Request(rs.getString("erasure_id"), rs.getString("subject_kind"), rs.getString("subject_key"),
                rs.getString("contact_id"), rs.getString("channel"), rs.getString("handle"),
                Status.valueOf(rs.getString("status")), rs.getString("requested_by"), instant(rs, "requested_at"),
                instant(rs, "started_at"), instant(rs, "finished_at"), rs.getInt("attempts"), rs.getString("last_error"),
                rs.getString("counts"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
