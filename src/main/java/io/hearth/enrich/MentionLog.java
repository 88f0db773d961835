package io.hearth.enrich;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The enrich stage's record of processed mentions (table hearth_mention_log, V4) and the rolling per-contact
 * statistics computed from it. Writing is insert-once: a mention seen again (redelivery, replay) keeps its first row.
 *
 * <p>Inside a stage batch ({@link #joinBatch}) the consumer thread's reads and writes go through one connection in one
 * database transaction that commits just before the batch's JMS commit (or rolls back with it): one commit per batch
 * instead of two per mention, and the batch's own rows are visible to its later mentions (aggregates, rules).
 */
@Component
public class MentionLog {

    /**
     * One processed mention as the hub keeps it. {@code contactId} null: unknown author. {@code payload}: the canonical
     * mention's JSON, kept (like the text) until the retention job purges it, so a stored mention can be judged again
     * ({@link Rejudging}: late attribution, rules backfill); null for erased authors.
     */
    public record Entry(String mentionId, String channel, String authorKey, String contactId, boolean consent,
                        String kind, Instant createdAt, Instant processedAt, Double sentiment, String intent,
                        Integer influence, Long followers, Long engagement, List<String> interests,
                        String conversationId, String handle, String text, String payload) {

        public Entry(String mentionId, String channel, String authorKey, String contactId, boolean consent,
                     String kind, Instant createdAt, Instant processedAt, Double sentiment, String intent,
                     Integer influence, Long followers, Long engagement, List<String> interests,
                     String conversationId, String handle, String text) {
            this(mentionId, channel, authorKey, contactId, consent, kind, createdAt, processedAt, sentiment, intent,
                    influence, followers, engagement, interests, conversationId, handle, text, null);
        }
    }

    /** A stored mention that can be judged again: its row's attribution and the canonical mention's JSON. */
    public record Stored(String mentionId, String channel, String authorKey, String contactId, boolean consent,
                         Instant createdAt, String payload) {
    }

    /** What a row said before {@link #attribute} changed it (to take it back). */
    public record Attribution(String contactId, boolean consent) {
    }

    /**
     * A contact's mentions over a window: how many, how many positive (sentiment ≥ {@link #POSITIVE}) and negative
     * (≤ −{@link #POSITIVE}), average sentiment (null: none scored), highest influence, summed reach
     * (followers × (1 + engagement)) and the latest post time (null: no mention in the window).
     */
    public record WindowStats(long mentions, long positive, long negative, Double averageSentiment,
                              Integer maxInfluence, long reach, Instant lastMentionAt) {
        public static final WindowStats EMPTY = new WindowStats(0, 0, 0, null, null, 0, null);
    }

    /**
     * Summed reach, followers × (1 + engagement), in DECIMAL with each post capped at {@link Long#MAX_VALUE}: in BIGINT
     * it overflowed (an SQL error failing the statistics, on PostgreSQL aborting the batch's transaction). Read it
     * with {@link #saturated}.
     */
    public static final String REACH_SUM = "SUM(LEAST(CAST(COALESCE(followers, 0) AS DECIMAL(38, 0))"
            + " * (1 + CAST(COALESCE(engagement, 0) AS DECIMAL(38, 0))), 9223372036854775807))";

    /** A summed reach as a long, saturating at {@link Long#MAX_VALUE}; null reads as 0. */
    public static long saturated(java.math.BigDecimal sum) {
        if (sum == null) {
            return 0;
        }
        return sum.compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) >= 0 ? Long.MAX_VALUE : sum.longValue();
    }

    /** The sentiment at and above which a mention counts as positive. */
    public static final double POSITIVE = 0.25;

    /**
     * Insert-once in one statement: the row unless one with this id is there (one statement per mention instead of a
     * look-up and an insert). The casts give PostgreSQL the parameters' types (a SELECT list has none); they are
     * unbounded so that an over-long value still fails on the column, as a plain INSERT does.
     */
    private static final String INSERT = "INSERT INTO hearth_mention_log (mention_id, channel, author_key, contact_id,"
            + " consent, kind, created_at, processed_at, sentiment, intent, influence, followers, engagement, interests,"
            + " conversation_id, handle, text, judged_at, mention_json)"
            + " SELECT CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS BOOLEAN),"
            + " CAST(? AS VARCHAR), CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP), CAST(? AS DOUBLE PRECISION),"
            + " CAST(? AS VARCHAR), CAST(? AS INTEGER), CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS VARCHAR),"
            + " CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS VARCHAR), CAST(? AS TIMESTAMP), CAST(? AS VARCHAR)"
            + " WHERE NOT EXISTS (SELECT 1 FROM hearth_mention_log WHERE mention_id = ?)";

    /** The longest mention JSON kept for judging again (column mention_json, V21); a longer one is not kept. */
    static final int PAYLOAD_MAX = 200_000;

    private final JdbcTemplate jdbc;
    /**
     * Within one mention's work ({@link #inMention}): the rows of the contact whose statistics were asked for, read once.
     * The enrich stage asks for one contact's figures four or five times per mention (30 and 90 days, interests, the
     * advocate window, the catalogue's interests); each was a scan of the contact's rows, together ~80 % of the stage's
     * CPU for known authors (issue 14 profile of the realistic mix). Null outside a mention; emptied by every write.
     */
    private final ThreadLocal<ContactRows> mentionRows = new ThreadLocal<>();
    /** The consumer thread's open batch connection, if any (see {@link #joinBatch}). */
    private final ThreadLocal<BatchConnection> batch = new ThreadLocal<>();

    public MentionLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * Makes this thread's mention-log work part of the stage batch {@code tx} (no-op outside a batch, or from another
     * thread than the batch's consumer): a connection with auto-commit off, committed in the batch's before-commit step.
     */
    public void joinBatch(io.hearth.queue.BatchTransaction tx) {
        if (tx == null) {
            return;
        }
        tx.participant(this, () -> {
            BatchConnection c = new BatchConnection();
            batch.set(c);
            return c;
        });
    }

    /**
     * Runs one mention's work (its log row, the judges' state) so that it takes effect whole or not at all: inside a
     * batch under a savepoint that a failure rolls back to before the exception goes on (to Camel's retry, then the
     * DLQ). Without it a failed mention left its partial state in the batch (a tier stored, so its retry emitted no
     * flag), and on PostgreSQL any SQL error aborted the batch's transaction: every later mention of the batch failed
     * and the commit silently rolled back while the batch's CRM commands were committed (issue 18). Outside a batch it
     * just runs {@code work}.
     */
    public <T> T inMention(java.util.function.Supplier<T> work) {
        ContactRows outer = mentionRows.get();
        mentionRows.set(ContactRows.NONE);
        try {
            return inMentionUnscoped(work);
        } finally {
            if (outer == null) {
                mentionRows.remove();
            } else {
                mentionRows.set(ContactRows.NONE);   // the inner mention may have written: the outer one reads again
            }
        }
    }

    private <T> T inMentionUnscoped(java.util.function.Supplier<T> work) {
        BatchConnection c = batch.get();
        if (c == null) {
            return work.get();
        }
        // named by depth, its statements prepared once per batch connection (io.hearth.state.Savepoints.Named)
        io.hearth.state.Savepoints.Named savepoint;
        try {
            savepoint = c.savepoint(c.depth);
            savepoint.set();
        } catch (java.sql.SQLException e) {
            c.failed = true;
            throw new IllegalStateException("state database: could not set a savepoint for a mention", e);
        }
        T result;
        c.depth++;
        try {
            result = work.get();
        } catch (RuntimeException | Error e) {
            c.depth--;
            try {
                savepoint.rollback();
            } catch (java.sql.SQLException rollbackFailed) {
                c.failed = true;   // the transaction is in an unknown state: the whole batch rolls back
            }
            throw e;
        }
        c.depth--;
        try {
            savepoint.release();
        } catch (java.sql.SQLException e) {
            c.failed = true;
            throw new IllegalStateException("state database: could not release a mention's savepoint", e);
        }
        return result;
    }

    /** Where this thread reads and writes the log: the batch's connection when it has one. */
    public JdbcTemplate reader() {
        BatchConnection c = batch.get();
        return c == null ? jdbc : c.template;
    }

    private final class BatchConnection implements io.hearth.queue.BatchTransaction.Participant {
        final java.sql.Connection connection;
        final JdbcTemplate template;
        boolean failed;
        /** How many {@link #inMention} calls are open on this connection (names their savepoints apart). */
        int depth;
        /** {@link #inMention}'s savepoints by depth, prepared on first use, closed with the connection. */
        private final List<io.hearth.state.Savepoints.Named> savepoints = new ArrayList<>(2);

        io.hearth.state.Savepoints.Named savepoint(int depth) throws java.sql.SQLException {
            while (savepoints.size() <= depth) {
                savepoints.add(new io.hearth.state.Savepoints.Named(connection, "hearth_mention_" + savepoints.size()));
            }
            return savepoints.get(depth);
        }

        BatchConnection() {
            try {
                connection = jdbc.getDataSource().getConnection();
                connection.setAutoCommit(false);
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("state database unavailable", e);
            }
            template = new JdbcTemplate(new org.springframework.jdbc.datasource.SingleConnectionDataSource(connection, true));
        }

        @Override
        public void beforeCommit() throws Exception {
            try {
                if (failed) {
                    connection.rollback();
                    throw new IllegalStateException("mention log: the batch's database transaction failed; batch redelivered");
                }
                // PostgreSQL answers a COMMIT of a transaction an error has aborted with a silent ROLLBACK: ask first.
                try (java.sql.Statement probe = connection.createStatement()) {
                    probe.execute("SELECT 1");
                } catch (java.sql.SQLException aborted) {
                    connection.rollback();
                    throw new IllegalStateException("mention log: the batch's database transaction was aborted; batch redelivered",
                            aborted);
                }
                connection.commit();
            } finally {
                close();
            }
        }

        @Override
        public void afterRollback() {
            try {
                connection.rollback();
            } catch (java.sql.SQLException e) {
                // the connection goes back to the pool, which resets it; the batch is redelivered anyway
            } finally {
                close();
            }
        }

        private void close() {
            batch.remove();
            savepoints.forEach(io.hearth.state.Savepoints.Named::close);
            try {
                connection.setAutoCommit(true);
            } catch (java.sql.SQLException e) {
                // a broken connection (the database went away): the pool discards it on close (Hikari evicts a
                // connection that failed with a connection-level SQLState)
            } finally {
                try {
                    connection.close();   // always: skipping it on a failed reset kept the connection out of the pool
                } catch (java.sql.SQLException e) {
                    // nothing left to do with it
                }
            }
        }
    }

    /** Records the mention unless it is already recorded; true when this call recorded it. */
    public boolean record(Entry e) {
        return record(e, null);
    }

    /**
     * The same, with the row marked judged at {@code judgedAt} (null: not yet): inside a batch the mark commits with
     * the judges' work, so it may be written with the row (one write instead of two); see {@link #inBatch()}.
     */
    public boolean record(Entry e, Instant judgedAt) {
        forgetRows();
        try {
            return reader().update(INSERT, e.mentionId(), e.channel(), e.authorKey(), e.contactId(), e.consent(), e.kind(),
                    Timestamp.from(e.createdAt()), Timestamp.from(e.processedAt()), e.sentiment(), e.intent(),
                    e.influence(), e.followers(), e.engagement(), truncate(String.join(" ", e.interests()), 2000),
                    e.conversationId(), truncate(e.handle(), 255), truncate(e.text(), 100_000),
                    judgedAt == null ? null : Timestamp.from(judgedAt),
                    e.payload() == null || e.payload().length() > PAYLOAD_MAX ? null : e.payload(), e.mentionId()) == 1;
        } catch (DuplicateKeyException raced) {
            BatchConnection c = batch.get();
            if (c != null) {
                // another consumer holds the same mention: roll this batch back and let the redelivery find its row
                c.failed = true;
                throw new IllegalStateException("mention log: a concurrent insert of the same mention; batch redelivered", raced);
            }
            return false;
        }
    }

    /** True when the judges have finished with this mention ({@link #markJudged}). */
    public boolean judged(String mentionId) {
        Integer n = reader().queryForObject("SELECT COUNT(*) FROM hearth_mention_log WHERE mention_id = ? AND judged_at IS NOT NULL",
                Integer.class, mentionId);
        return n != null && n > 0;
    }

    /** True when this thread's log work is part of a stage batch (commits with it). */
    public boolean inBatch() {
        return batch.get() != null;
    }

    /** Takes a judged mark back (the judges failed; the mention must be judged as new when it comes again). */
    public void unmarkJudged(String mentionId) {
        forgetRows();
        reader().update("UPDATE hearth_mention_log SET judged_at = NULL WHERE mention_id = ?", mentionId);
    }

    public void markJudged(String mentionId, Instant at) {
        reader().update("UPDATE hearth_mention_log SET judged_at = ? WHERE mention_id = ? AND judged_at IS NULL",
                Timestamp.from(at), mentionId);
    }

    /**
     * Late attribution: the row of a mention processed as an unknown author's (or before its contact consented) now
     * belongs to the consenting contact {@code contactId}. Changes only a row that is unattributed, or this contact's
     * without consent (never another contact's); null when it changed nothing (already attributed: judged as known
     * before), else what the row said before. In a batch it commits with the batch, i.e. with the commands it causes.
     */
    public Attribution attribute(String mentionId, String contactId) {
        forgetRows();
        List<Attribution> before = reader().query("SELECT contact_id, consent FROM hearth_mention_log WHERE mention_id = ?",
                (rs, row) -> new Attribution(rs.getString(1), rs.getBoolean(2)), mentionId);
        if (before.isEmpty()) {
            return null;
        }
        int n = reader().update("UPDATE hearth_mention_log SET contact_id = ?, consent = TRUE WHERE mention_id = ?"
                + " AND (contact_id IS NULL OR (contact_id = ? AND consent = FALSE))", contactId, mentionId, contactId);
        return n == 1 ? before.get(0) : null;
    }

    /** Takes an {@link #attribute} back (the judges failed outside a batch: the next attempt must attribute again). */
    public void unattribute(String mentionId, Attribution before) {
        forgetRows();
        reader().update("UPDATE hearth_mention_log SET contact_id = ?, consent = ? WHERE mention_id = ?",
                before.contactId(), before.consent(), mentionId);
    }

    /**
     * Stored mentions that can be judged again (payload kept, text not purged by retention), posted in
     * [{@code from}, {@code until}) (null: open), of these authors (null: any) or of this contact (null: any),
     * {@code unattributed}: only rows without a consenting contact; at most {@code limit} after {@code afterId}, by id.
     */
    public List<Stored> stored(java.util.Collection<String> authorKeys, String contactId, Instant from, Instant until,
                               boolean unattributed, String afterId, int limit) {
        StringBuilder sql = new StringBuilder("SELECT mention_id, channel, author_key, contact_id, consent, created_at,"
                + " mention_json FROM hearth_mention_log WHERE mention_json IS NOT NULL AND text_purged_at IS NULL");
        List<Object> args = new ArrayList<>();
        if (authorKeys != null) {
            if (authorKeys.isEmpty()) {
                return List.of();
            }
            sql.append(" AND author_key IN (").append(String.join(",", java.util.Collections.nCopies(authorKeys.size(), "?")))
                    .append(")");
            args.addAll(authorKeys);
        }
        if (contactId != null) {
            sql.append(" AND contact_id = ?");
            args.add(contactId);
        }
        if (from != null) {
            sql.append(" AND created_at >= ?");
            args.add(Timestamp.from(from));
        }
        if (until != null) {
            sql.append(" AND created_at < ?");
            args.add(Timestamp.from(until));
        }
        if (unattributed) {
            sql.append(" AND (contact_id IS NULL OR consent = FALSE)");
        }
        if (afterId != null) {
            sql.append(" AND mention_id > ?");
            args.add(afterId);
        }
        sql.append(" ORDER BY mention_id FETCH FIRST ").append(Math.max(1, limit)).append(" ROWS ONLY");
        return reader().query(sql.toString(), (rs, row) -> new Stored(rs.getString(1), rs.getString(2),
                rs.getString(3), rs.getString(4), rs.getBoolean(5), rs.getTimestamp(6).toInstant(), rs.getString(7)),
                args.toArray());
    }

    public boolean exists(String mentionId) {
        Integer n = reader().queryForObject("SELECT COUNT(*) FROM hearth_mention_log WHERE mention_id = ?", Integer.class,
                mentionId);
        return n != null && n > 0;
    }

    /** The contact's mentions posted at or after {@code since}. */
    public WindowStats stats(String contactId, Instant since) {
        ContactRows rows = rowsInMention(contactId, since);
        if (rows != null) {
            return rows.stats(since);
        }
        return reader().queryForObject("SELECT COUNT(*),"
                        + " SUM(CASE WHEN sentiment >= ? THEN 1 ELSE 0 END),"
                        + " SUM(CASE WHEN sentiment <= ? THEN 1 ELSE 0 END),"
                        + " AVG(sentiment), MAX(influence),"
                        + " " + REACH_SUM + ", MAX(created_at)"
                        + " FROM hearth_mention_log WHERE contact_id = ? AND created_at >= ?",
                (rs, row) -> {
                    long count = rs.getLong(1);
                    if (count == 0) {
                        return WindowStats.EMPTY;
                    }
                    double avg = rs.getDouble(4);
                    Double average = rs.wasNull() ? null : avg;
                    int max = rs.getInt(5);
                    Integer maxInfluence = rs.wasNull() ? null : max;
                    Timestamp last = rs.getTimestamp(7);
                    return new WindowStats(count, rs.getLong(2), rs.getLong(3), average, maxInfluence, saturated(rs.getBigDecimal(6)),
                            last == null ? null : last.toInstant());
                }, POSITIVE, -POSITIVE, contactId, Timestamp.from(since));
    }

    /** The contact's {@code n} most frequent interests since {@code since}, most frequent first, ties by name. */
    public List<String> topInterests(String contactId, Instant since, int n) {
        ContactRows rows = rowsInMention(contactId, since);
        if (rows != null) {
            return rows.topInterests(since, n);
        }
        Map<String, Integer> counts = new HashMap<>();
        reader().query("SELECT interests FROM hearth_mention_log WHERE contact_id = ? AND created_at >= ?"
                + " AND interests IS NOT NULL", rs -> {
                    Arrays.stream(rs.getString(1).split(" ")).filter(s -> !s.isBlank())
                            .forEach(k -> counts.merge(k, 1, Integer::sum));
                }, contactId, Timestamp.from(since));
        return ranked(counts, n);
    }

    /** Every recorded mention id (tests and operations; mind the size). */
    public List<String> ids() {
        return reader().queryForList("SELECT mention_id FROM hearth_mention_log", String.class);
    }

    public long size() {
        Long n = reader().queryForObject("SELECT COUNT(*) FROM hearth_mention_log", Long.class);
        return n == null ? 0 : n;
    }

    private void forgetRows() {
        if (mentionRows.get() != null) {
            mentionRows.set(ContactRows.NONE);
        }
    }

    /**
     * The contact's rows posted at or after {@code since} when a mention's work is open (read once, again only for an
     * earlier {@code since} or another contact), else null: outside a mention every call reads the database.
     */
    private ContactRows rowsInMention(String contactId, Instant since) {
        ContactRows held = mentionRows.get();
        if (held == null || contactId == null) {
            return null;
        }
        java.time.LocalDateTime from = Timestamp.from(since).toLocalDateTime();
        if (held.covers(contactId, from)) {
            return held;
        }
        List<ContactRow> rows = reader().query("SELECT created_at, sentiment, influence, followers, engagement, interests"
                        + " FROM hearth_mention_log WHERE contact_id = ? AND created_at >= ?",
                (rs, i) -> {
                    double sentiment = rs.getDouble(2);
                    Double s = rs.wasNull() ? null : sentiment;
                    int influence = rs.getInt(3);
                    Integer inf = rs.wasNull() ? null : influence;
                    long followers = rs.getLong(4);
                    Long f = rs.wasNull() ? null : followers;
                    long engagement = rs.getLong(5);
                    Long e = rs.wasNull() ? null : engagement;
                    return new ContactRow(rs.getTimestamp(1).toLocalDateTime(), s, inf, f, e, rs.getString(6));
                }, contactId, Timestamp.from(since));
        ContactRows loaded = new ContactRows(contactId, from, rows);
        mentionRows.set(loaded);
        return loaded;
    }

    /** The columns the statistics read; {@code createdAt} as the database compares it (local date-time, as stored). */
    record ContactRow(java.time.LocalDateTime createdAt, Double sentiment, Integer influence, Long followers, Long engagement,
                      String interests) {
    }

    /**
     * One contact's rows since {@code from}, and the figures of {@link #stats} and {@link #topInterests} computed from
     * them exactly as the SQL does: NULLs skipped by AVG and MAX, reach summed exactly and capped per post and in total
     * at {@link Long#MAX_VALUE}, the window compared on the stored date-time.
     */
    static final class ContactRows {
        static final ContactRows NONE = new ContactRows(null, null, List.of());

        private final String contactId;
        private final java.time.LocalDateTime from;
        private final List<ContactRow> rows;

        ContactRows(String contactId, java.time.LocalDateTime from, List<ContactRow> rows) {
            this.contactId = contactId;
            this.from = from;
            this.rows = rows;
        }

        boolean covers(String contact, java.time.LocalDateTime since) {
            return contactId != null && contactId.equals(contact) && !since.isBefore(from);
        }

        WindowStats stats(Instant since) {
            java.time.LocalDateTime at = Timestamp.from(since).toLocalDateTime();
            long count = 0;
            long positive = 0;
            long negative = 0;
            double sentimentSum = 0;
            long sentiments = 0;
            Integer maxInfluence = null;
            java.math.BigInteger reach = java.math.BigInteger.ZERO;
            java.math.BigInteger cap = java.math.BigInteger.valueOf(Long.MAX_VALUE);
            java.time.LocalDateTime last = null;
            for (ContactRow r : rows) {
                if (r.createdAt().isBefore(at)) {
                    continue;
                }
                count++;
                if (r.sentiment() != null) {
                    sentimentSum += r.sentiment();
                    sentiments++;
                    if (r.sentiment() >= POSITIVE) {
                        positive++;
                    }
                    if (r.sentiment() <= -POSITIVE) {
                        negative++;
                    }
                }
                if (r.influence() != null && (maxInfluence == null || r.influence() > maxInfluence)) {
                    maxInfluence = r.influence();
                }
                java.math.BigInteger post = java.math.BigInteger.valueOf(r.followers() == null ? 0 : r.followers())
                        .multiply(java.math.BigInteger.ONE.add(java.math.BigInteger.valueOf(r.engagement() == null ? 0 : r.engagement())));
                reach = reach.add(post.min(cap));
                if (last == null || r.createdAt().isAfter(last)) {
                    last = r.createdAt();
                }
            }
            if (count == 0) {
                return WindowStats.EMPTY;
            }
            return new WindowStats(count, positive, negative, sentiments == 0 ? null : sentimentSum / sentiments, maxInfluence,
                    saturated(new java.math.BigDecimal(reach)), Timestamp.valueOf(last).toInstant());
        }

        List<String> topInterests(Instant since, int n) {
            java.time.LocalDateTime at = Timestamp.from(since).toLocalDateTime();
            Map<String, Integer> counts = new HashMap<>();
            for (ContactRow r : rows) {
                if (r.interests() != null && !r.createdAt().isBefore(at)) {
                    Arrays.stream(r.interests().split(" ")).filter(k -> !k.isBlank()).forEach(k -> counts.merge(k, 1, Integer::sum));
                }
            }
            return ranked(counts, n);
        }
    }

    private static List<String> ranked(Map<String, Integer> counts, int n) {
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        return sorted.stream().limit(n).map(Map.Entry::getKey).toList();
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    /**
     * A rules backfill judged this mention (issue 13): counted once per backfill, in the mention's transaction (a batch
     * that rolls back forgets it; a mention put back twice counts once).
     */
    public void backfilled(String backfillId, String mentionId, int rewardsAdded, int flagsChanged) {
        reader().update("INSERT INTO hearth_rules_backfill_mention (backfill_id, mention_id, rewards_added, flags_changed)"
                + " SELECT ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM hearth_rules_backfill_mention WHERE backfill_id = ?"
                + " AND mention_id = ?)", backfillId, mentionId, rewardsAdded, flagsChanged, backfillId, mentionId);
    }
}
