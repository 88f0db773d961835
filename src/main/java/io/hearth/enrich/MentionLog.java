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
 */
@Component
public class MentionLog {

    /** One processed mention as the hub keeps it. {@code contactId} null: unknown author. */
    public record Entry(String mentionId, String channel, String authorKey, String contactId, boolean consent,
                        String kind, Instant createdAt, Instant processedAt, Double sentiment, String intent,
                        Integer influence, Long followers, Long engagement, List<String> interests,
                        String conversationId, String handle, String text) {
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

    /** The sentiment at and above which a mention counts as positive. */
    public static final double POSITIVE = 0.25;

    private static final String INSERT = "INSERT INTO hearth_mention_log (mention_id, channel, author_key, contact_id,"
            + " consent, kind, created_at, processed_at, sentiment, intent, influence, followers, engagement, interests,"
            + " conversation_id, handle, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private final JdbcTemplate jdbc;

    public MentionLog(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Records the mention unless it is already recorded; true when this call recorded it. */
    public boolean record(Entry e) {
        if (exists(e.mentionId())) {
            return false;
        }
        try {
            jdbc.update(INSERT, e.mentionId(), e.channel(), e.authorKey(), e.contactId(), e.consent(), e.kind(),
                    Timestamp.from(e.createdAt()), Timestamp.from(e.processedAt()), e.sentiment(), e.intent(),
                    e.influence(), e.followers(), e.engagement(), truncate(String.join(" ", e.interests()), 2000),
                    e.conversationId(), truncate(e.handle(), 255), truncate(e.text(), 100_000));
            return true;
        } catch (DuplicateKeyException raced) {
            return false;
        }
    }

    /** True when the judges have finished with this mention ({@link #markJudged}). */
    public boolean judged(String mentionId) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM hearth_mention_log WHERE mention_id = ? AND judged_at IS NOT NULL",
                Integer.class, mentionId);
        return n != null && n > 0;
    }

    public void markJudged(String mentionId, Instant at) {
        jdbc.update("UPDATE hearth_mention_log SET judged_at = ? WHERE mention_id = ? AND judged_at IS NULL",
                Timestamp.from(at), mentionId);
    }

    public boolean exists(String mentionId) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM hearth_mention_log WHERE mention_id = ?", Integer.class,
                mentionId);
        return n != null && n > 0;
    }

    /** The contact's mentions posted at or after {@code since}. */
    public WindowStats stats(String contactId, Instant since) {
        return jdbc.queryForObject("SELECT COUNT(*),"
                        + " SUM(CASE WHEN sentiment >= ? THEN 1 ELSE 0 END),"
                        + " SUM(CASE WHEN sentiment <= ? THEN 1 ELSE 0 END),"
                        + " AVG(sentiment), MAX(influence),"
                        + " SUM(COALESCE(followers, 0) * (1 + COALESCE(engagement, 0))), MAX(created_at)"
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
                    return new WindowStats(count, rs.getLong(2), rs.getLong(3), average, maxInfluence, rs.getLong(6),
                            last == null ? null : last.toInstant());
                }, POSITIVE, -POSITIVE, contactId, Timestamp.from(since));
    }

    /** The contact's {@code n} most frequent interests since {@code since}, most frequent first, ties by name. */
    public List<String> topInterests(String contactId, Instant since, int n) {
        Map<String, Integer> counts = new HashMap<>();
        jdbc.query("SELECT interests FROM hearth_mention_log WHERE contact_id = ? AND created_at >= ?"
                + " AND interests IS NOT NULL", rs -> {
                    Arrays.stream(rs.getString(1).split(" ")).filter(s -> !s.isBlank())
                            .forEach(k -> counts.merge(k, 1, Integer::sum));
                }, contactId, Timestamp.from(since));
        List<Map.Entry<String, Integer>> sorted = new ArrayList<>(counts.entrySet());
        sorted.sort(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())
                .thenComparing(Map.Entry.comparingByKey()));
        return sorted.stream().limit(n).map(Map.Entry::getKey).toList();
    }

    /** Every recorded mention id (tests and operations; mind the size). */
    public List<String> ids() {
        return jdbc.queryForList("SELECT mention_id FROM hearth_mention_log", String.class);
    }

    public long size() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM hearth_mention_log", Long.class);
        return n == null ? 0 : n;
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
