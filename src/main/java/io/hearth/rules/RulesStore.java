package io.hearth.rules;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * The rules' state in the state database (V7): the reward ledger, advocate tiers and service cases; and read access to
 * the enrich stage's mention log (V4) for what a rule needs to know about earlier posts. All writes are insert-once.
 *
 * <p>Every read and write goes where the enrich stage writes its mention log: on a stage consumer's thread that is the
 * batch's connection ({@link io.hearth.enrich.MentionLog#reader()}), so the rules' state commits with the mention log
 * and the batch's CRM commands, or rolls back with them (issue 18: a tier stored by a rolled-back batch made its
 * redelivery emit no advocate flag). Inside such a transaction an insert-once that meets an existing key is undone to a
 * savepoint, so that PostgreSQL's transaction stays usable.
 */
public class RulesStore {

    /** The insert-once savepoint (never nested in itself): one name, one statement text H2 keeps parsed (Savepoints). */
    private static final String INSERT_ONCE_SAVEPOINT = "hearth_insert_once";

    /**
     * One granted reward. {@code mentionId} null: not tied to one post (a leader badge). {@code grantedBy}: the mention
     * whose judging granted the row (V37), the only one that sends it again on a replay; null: not known.
     */
    public record Reward(String key, String rule, String contactId, String mentionId, long points, String badge,
                         Long reach, Instant occurredAt, String dayKey, String monthKey, Instant awardedAt,
                         String grantedBy) {

        /** A row granted by the mention it is tied to ({@code grantedBy} = {@code mentionId}). */
        public Reward(String key, String rule, String contactId, String mentionId, long points, String badge,
                      Long reach, Instant occurredAt, String dayKey, String monthKey, Instant awardedAt) {
            this(key, rule, contactId, mentionId, points, badge, reach, occurredAt, dayKey, monthKey, awardedAt, mentionId);
        }

        /**
         * Whether judging {@code mention} sends this row: only the mention that granted it does, at its first judging
         * and at its replays. Any other mention that finds the row would only send the same record again under a new
         * JMS message id, which the CRM writer's marks cannot tell from new work (the broker-restart rewrite). Not known
         * (rows granted before V37 without a mention): sent, as before.
         */
        public boolean sentBy(String mention) {
            return grantedBy == null || grantedBy.equals(mention);
        }
    }

    /** {@code changedBy}: the mention whose judging last changed the tier (V37); null: not known. */
    public record AdvocateState(String contactId, String tier, Instant since, String changedBy) {

        public AdvocateState(String contactId, String tier, Instant since) {
            this(contactId, tier, since, null);
        }
    }

    public record CaseState(String caseKey, String authorKey, String contactId, String openedMention, Instant openedAt) {
    }

    /** What the mention log holds about one post. */
    public record Logged(String mentionId, String channel, String authorKey, String contactId, boolean consent,
                         Instant createdAt, Double sentiment, String intent, Integer influence, String conversationId,
                         String handle, String text) {
    }

    private static final RowMapper<Reward> REWARD = (rs, i) -> new Reward(rs.getString("reward_key"),
            rs.getString("rule_key"), rs.getString("contact_id"), rs.getString("mention_id"), rs.getLong("points"),
            rs.getString("badge"), rs.getObject("reach") == null ? null : rs.getLong("reach"),
            rs.getTimestamp("occurred_at").toInstant(), rs.getString("day_key"),
            rs.getString("month_key"), rs.getTimestamp("awarded_at").toInstant(),
            rs.getString("granted_by") != null ? rs.getString("granted_by") : rs.getString("mention_id"));

    private static final RowMapper<Logged> LOGGED = (rs, i) -> {
        double s = rs.getDouble("sentiment");
        Double sentiment = rs.wasNull() ? null : s;
        int inf = rs.getInt("influence");
        Integer influence = rs.wasNull() ? null : inf;
        return new Logged(rs.getString("mention_id"), rs.getString("channel"), rs.getString("author_key"),
                rs.getString("contact_id"), rs.getBoolean("consent"), rs.getTimestamp("created_at").toInstant(),
                sentiment, rs.getString("intent"), influence, rs.getString("conversation_id"), rs.getString("handle"),
                rs.getString("text"));
    };

    /** Where this thread reads and writes: the stage batch's connection on a consumer thread, else the pool. */
    private final java.util.function.Supplier<JdbcTemplate> template;

    public RulesStore(JdbcTemplate jdbc) {
        this(jdbc, () -> jdbc);
    }

    /** @param batchAware the template of this thread's batch transaction, if any (the mention log's {@code reader}) */
    public RulesStore(JdbcTemplate jdbc, java.util.function.Supplier<JdbcTemplate> batchAware) {
        this.template = batchAware;
    }

    private JdbcTemplate jdbc() {
        return template.get();
    }

    /**
     * Runs an INSERT that may meet an existing key; false when it did. Inside a transaction (a batch connection) the
     * statement runs under a savepoint that a duplicate key rolls back to: PostgreSQL would otherwise abort the whole
     * transaction, and every later statement of the batch would fail.
     */
    private boolean insertOnce(String sql, Object... args) {
        JdbcTemplate t = jdbc();
        Boolean inserted = t.execute((org.springframework.jdbc.core.ConnectionCallback<Boolean>) c -> {
            boolean savepoint = !c.getAutoCommit();
            if (savepoint) {
                io.hearth.state.Savepoints.set(c, INSERT_ONCE_SAVEPOINT);
            }
            try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
                new org.springframework.jdbc.core.ArgumentPreparedStatementSetter(args).setValues(ps);
                ps.executeUpdate();
            } catch (java.sql.SQLException e) {
                if (savepoint) {
                    io.hearth.state.Savepoints.rollback(c, INSERT_ONCE_SAVEPOINT);
                }
                if (isDuplicateKey(e)) {
                    return false;
                }
                throw e;
            }
            if (savepoint) {
                io.hearth.state.Savepoints.release(c, INSERT_ONCE_SAVEPOINT);
            }
            return true;
        });
        return Boolean.TRUE.equals(inserted);
    }

    /** SQLState 23505 (unique violation) on PostgreSQL and H2. */
    private static boolean isDuplicateKey(java.sql.SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    // --- ledger ---

    public Optional<Reward> reward(String key) {
        return jdbc().query("SELECT * FROM hearth_reward_ledger WHERE reward_key = ?", REWARD, key).stream().findFirst();
    }

    /** Inserts the reward unless its key is taken; true when this call granted it. */
    public boolean grant(Reward r) {
        return insertOnce("INSERT INTO hearth_reward_ledger (reward_key, rule_key, contact_id, mention_id, points, badge,"
                        + " reach, occurred_at, day_key, month_key, awarded_at, granted_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                r.key(), r.rule(), r.contactId(), r.mentionId(), r.points(), r.badge(), r.reach(),
                Timestamp.from(r.occurredAt()), r.dayKey(), r.monthKey(), Timestamp.from(r.awardedAt()), r.grantedBy());
    }

    public long total(String contactId) {
        Long n = jdbc().queryForObject("SELECT COALESCE(SUM(points), 0) FROM hearth_reward_ledger WHERE contact_id = ?",
                Long.class, contactId);
        return n == null ? 0 : n;
    }

    public long pointsOnDay(String contactId, String rule, String dayKey) {
        Long n = jdbc().queryForObject("SELECT COALESCE(SUM(points), 0) FROM hearth_reward_ledger WHERE contact_id = ?"
                + " AND rule_key = ? AND day_key = ?", Long.class, contactId, rule, dayKey);
        return n == null ? 0 : n;
    }

    public long pointsInMonth(String contactId, String rule, String monthKey) {
        Long n = jdbc().queryForObject("SELECT COALESCE(SUM(points), 0) FROM hearth_reward_ledger WHERE contact_id = ?"
                + " AND rule_key = ? AND month_key = ?", Long.class, contactId, rule, monthKey);
        return n == null ? 0 : n;
    }

    public long count(String contactId, String rule) {
        Long n = jdbc().queryForObject("SELECT COUNT(*) FROM hearth_reward_ledger WHERE contact_id = ? AND rule_key = ?",
                Long.class, contactId, rule);
        return n == null ? 0 : n;
    }

    /** How many contacts hold a reward of this rule (challenge winners). */
    public long holders(String rule) {
        Long n = jdbc().queryForObject("SELECT COUNT(DISTINCT contact_id) FROM hearth_reward_ledger WHERE rule_key = ?",
                Long.class, rule);
        return n == null ? 0 : n;
    }

    /**
     * Claims one of the challenge's {@code winners} slots for the contact (V23), atomically across consumers: a slot
     * another open transaction is inserting makes this one wait for it, then take the next. False: all taken.
     */
    /**
     * Takes the contact's caps lock (V30, {@code hearth_contact_cap_lock}) for the rest of this batch transaction (issue
     * 18 item 4): the points already used today / this month are read after it, so two consumers judging mentions of one
     * contact (two of its handles, in two message groups) cannot both see the same usage and together exceed a cap; the
     * second waits for the first batch to commit (or roll back) and then reads its grants. The row is inserted once per
     * contact and updated, never deleted; outside a batch (auto-commit) it serialises nothing and costs two statements.
     */
    public void lockContactCaps(String contactId) {
        insertOnce("INSERT INTO hearth_contact_cap_lock (contact_id, version) VALUES (?, 0)", contactId);
        jdbc().update("UPDATE hearth_contact_cap_lock SET version = version + 1 WHERE contact_id = ?", contactId);
    }

    public boolean claimChallengeSlot(String rule, String contactId, int winners) {
        for (int slot = 0; slot < winners; slot++) {
            if (insertOnce("INSERT INTO hearth_challenge_slot (rule_key, slot, contact_id) VALUES (?, ?, ?)", rule, slot,
                    contactId)) {
                return true;
            }
        }
        return false;
    }

    public record Standing(String contactId, long points) {
    }

    /**
     * Points per contact of the given rules (empty: every reward rule) with {@code periodColumn} = {@code period}
     * (null: all time), highest first, ties by contact id (deterministic).
     */
    public List<Standing> leaderboard(List<String> rules, String periodColumn, String period, int limit) {
        StringBuilder sql = new StringBuilder("SELECT contact_id, SUM(points) AS p FROM hearth_reward_ledger WHERE"
                + " rule_key NOT LIKE 'badge:%' AND rule_key NOT LIKE 'leader:%'");
        List<Object> args = new java.util.ArrayList<>();
        if (!rules.isEmpty()) {
            sql.append(" AND rule_key IN (").append(String.join(",", rules.stream().map(r -> "?").toList())).append(")");
            args.addAll(rules);
        }
        if (period != null) {
            if (!periodColumn.equals("day_key") && !periodColumn.equals("month_key")) {
                throw new IllegalArgumentException("period column " + periodColumn);
            }
            sql.append(" AND ").append(periodColumn).append(" = ?");
            args.add(period);
        }
        sql.append(" GROUP BY contact_id HAVING SUM(points) > 0 ORDER BY p DESC, contact_id ASC LIMIT ").append(limit);
        return jdbc().query(sql.toString(), (rs, i) -> new Standing(rs.getString(1), rs.getLong(2)), args.toArray());
    }

    // --- advocates ---

    public Optional<AdvocateState> advocate(String contactId) {
        return jdbc().query("SELECT contact_id, tier, since, changed_by FROM hearth_advocate_state WHERE contact_id = ?",
                (rs, i) -> new AdvocateState(rs.getString(1), rs.getString(2),
                        rs.getTimestamp(3) == null ? null : rs.getTimestamp(3).toInstant(), rs.getString(4)), contactId)
                .stream().findFirst();
    }

    public void saveAdvocate(AdvocateState s, Instant now) {
        int n = jdbc().update("UPDATE hearth_advocate_state SET tier = ?, since = ?, changed_at = ?, changed_by = ?"
                        + " WHERE contact_id = ?",
                s.tier(), s.since() == null ? null : Timestamp.from(s.since()), Timestamp.from(now), s.changedBy(), s.contactId());
        if (n == 0 && !insertOnce("INSERT INTO hearth_advocate_state (contact_id, tier, since, changed_at, changed_by)"
                        + " VALUES (?, ?, ?, ?, ?)",
                s.contactId(), s.tier(), s.since() == null ? null : Timestamp.from(s.since()), Timestamp.from(now), s.changedBy())) {
            saveAdvocate(s, now);   // raced: the row is there now
        }
    }

    // --- cases ---

    public Optional<String> caseOfMention(String mentionId) {
        return jdbc().queryForList("SELECT case_key FROM hearth_case_mention WHERE mention_id = ?", String.class, mentionId)
                .stream().findFirst();
    }

    public Optional<String> caseOfConversation(String conversationKey) {
        return jdbc().queryForList("SELECT case_key FROM hearth_case_mention WHERE conversation_key = ? ORDER BY created_at",
                String.class, conversationKey).stream().findFirst();
    }

    public Optional<String> conversationOfMention(String mentionId) {
        return jdbc().queryForList("SELECT conversation_key FROM hearth_case_mention WHERE mention_id = ?", String.class,
                mentionId).stream().findFirst();
    }

    /** The author's latest case with a post at or after {@code since}. */
    public Optional<String> recentCaseOf(String authorKey, Instant since) {
        return jdbc().queryForList("SELECT case_key FROM hearth_case_state WHERE author_key = ? AND last_at >= ?"
                + " ORDER BY last_at DESC", String.class, authorKey, Timestamp.from(since)).stream().findFirst();
    }

    public Optional<CaseState> caseState(String caseKey) {
        return jdbc().query("SELECT * FROM hearth_case_state WHERE case_key = ?", (rs, i) -> new CaseState(
                rs.getString("case_key"), rs.getString("author_key"), rs.getString("contact_id"),
                rs.getString("opened_mention"), rs.getTimestamp("opened_at").toInstant()), caseKey).stream().findFirst();
    }

    public boolean openCase(CaseState c) {
        return insertOnce("INSERT INTO hearth_case_state (case_key, author_key, contact_id, opened_mention, opened_at,"
                + " last_at) VALUES (?, ?, ?, ?, ?, ?)", c.caseKey(), c.authorKey(), c.contactId(), c.openedMention(),
                Timestamp.from(c.openedAt()), Timestamp.from(c.openedAt()));
    }

    /** Adds the mention to the case (insert-once) and moves the case's last activity forward. */
    public void addToCase(String caseKey, String conversationKey, String mentionId, Instant at) {
        if (!insertOnce("INSERT INTO hearth_case_mention (mention_id, conversation_key, case_key, created_at)"
                + " VALUES (?, ?, ?, ?)", mentionId, conversationKey, caseKey, Timestamp.from(at))) {
            return;
        }
        jdbc().update("UPDATE hearth_case_state SET last_at = ? WHERE case_key = ? AND last_at < ?", Timestamp.from(at),
                caseKey, Timestamp.from(at));
    }

    public List<String> mentionsOfCase(String caseKey) {
        return jdbc().queryForList("SELECT mention_id FROM hearth_case_mention WHERE case_key = ? ORDER BY created_at,"
                + " mention_id", String.class, caseKey);
    }

    // --- mention log (V4, read only) ---

    /** An author the CRM does not know who used a hashtag: a prospect (reported, never created in the CRM). */
    public record Prospect(String channel, String handle, long posts, long reach, Instant lastPostAt) {
    }

    /**
     * Unknown authors (no contact) whose posts since {@code since} carry the hashtag, most reach first. Only while the
     * mention log still holds their clear handle (retention purges it, and with it the prospect).
     */
    public List<Prospect> prospects(String hashtag, Instant since, int limit) {
        String tag = "%#" + hashtag.toLowerCase(java.util.Locale.ROOT) + "%";
        return jdbc().query("SELECT channel, handle, COUNT(*), " + io.hearth.enrich.MentionLog.REACH_SUM + ","
                        + " MAX(created_at) FROM hearth_mention_log WHERE contact_id IS NULL AND handle IS NOT NULL"
                        + " AND created_at >= ? AND (LOWER(interests) LIKE ? OR LOWER(text) LIKE ?)"
                        + " GROUP BY channel, handle ORDER BY 4 DESC, 1, 2 LIMIT " + limit,
                (rs, i) -> new Prospect(rs.getString(1), rs.getString(2), rs.getLong(3),
                        io.hearth.enrich.MentionLog.saturated(rs.getBigDecimal(4)),
                        rs.getTimestamp(5).toInstant()), Timestamp.from(since), tag, tag);
    }

    public Optional<Logged> logged(String mentionId) {
        return jdbc().query("SELECT * FROM hearth_mention_log WHERE mention_id = ?", LOGGED, mentionId).stream().findFirst();
    }
}
