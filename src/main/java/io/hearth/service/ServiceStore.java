package io.hearth.service;

import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;

/**
 * The service state (V33): the brand's first response per case (written inside the enrich stage's batch, through
 * its connection) and the ledger of agents' replies (written by the reply poster on its own, auto-committed
 * connection, so that "posting" is durable before the channel is called).
 */
public class ServiceStore {

    /** The insert-once savepoint (never nested in itself): one name, one statement text H2 keeps parsed (Savepoints). */
    private static final String INSERT_ONCE_SAVEPOINT = "hearth_insert_once";

    /** Where a reply is. */
    public enum State { queued, posting, posted, failed }

    public record Reply(String replyId, String caseKey, String channel, State state, int attempts, String postedId,
                        String postedUrl, String reason, Instant createdAt, Instant updatedAt) {
    }

    public record Response(String caseKey, String channel, Instant openedAt, Instant firstResponseAt,
                           String firstResponseId) {
    }

    private static final RowMapper<Reply> REPLY = (rs, i) -> new Reply(rs.getString("reply_id"), rs.getString("case_key"),
            rs.getString("channel"), State.valueOf(rs.getString("state")), rs.getInt("attempts"), rs.getString("posted_id"),
            rs.getString("posted_url"), rs.getString("reason"), rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());

    private static final RowMapper<Response> RESPONSE = (rs, i) -> new Response(rs.getString("case_key"),
            rs.getString("channel"), rs.getTimestamp("opened_at").toInstant(),
            rs.getTimestamp("first_response_at").toInstant(), rs.getString("first_response_id"));

    private final JdbcTemplate jdbc;
    private final Supplier<JdbcTemplate> batchAware;

    public ServiceStore(JdbcTemplate jdbc) {
        this(jdbc, () -> jdbc);
    }

    /** @param batchAware the enrich batch's template on a consumer thread (the mention log's reader), else the pool */
    public ServiceStore(JdbcTemplate jdbc, Supplier<JdbcTemplate> batchAware) {
        this.jdbc = jdbc;
        this.batchAware = batchAware;
    }

    // --- first responses (enrich batch) ---

    public Optional<Response> response(String caseKey) {
        return batchAware.get().query("SELECT * FROM hearth_case_response WHERE case_key = ?", RESPONSE, caseKey).stream()
                .findFirst();
    }

    /**
     * Records a brand answer in the case. True when it is the case's first response (new, or earlier than the one
     * known): the caller then measures it. An answer at or after the known first one changes nothing.
     */
    public boolean respond(String caseKey, String channel, Instant openedAt, Instant at, String responseId, Instant now) {
        JdbcTemplate t = batchAware.get();
        Optional<Response> known = response(caseKey);
        if (known.isEmpty()) {
            return insertOnce(t, "INSERT INTO hearth_case_response (case_key, channel, opened_at, first_response_at,"
                    + " first_response_id, recorded_at) VALUES (?, ?, ?, ?, ?, ?)", caseKey, channel, Timestamp.from(openedAt),
                    Timestamp.from(at), responseId, Timestamp.from(now));
        }
        if (at.isBefore(known.get().firstResponseAt())) {
            return t.update("UPDATE hearth_case_response SET first_response_at = ?, first_response_id = ?, recorded_at = ?"
                    + " WHERE case_key = ? AND first_response_at > ?", Timestamp.from(at), responseId, Timestamp.from(now),
                    caseKey, Timestamp.from(at)) == 1;
        }
        return false;
    }

    // --- reply ledger (own connection, auto-commit) ---

    public Optional<Reply> reply(String replyId) {
        return jdbc.query("SELECT * FROM hearth_social_reply WHERE reply_id = ?", REPLY, replyId).stream().findFirst();
    }

    /** The reply as read from the CRM, once: false when the ledger knows it already (an overlapping poll). */
    public boolean queue(String replyId, String caseKey, String channel, Instant now) {
        return insertOnce(jdbc, "INSERT INTO hearth_social_reply (reply_id, case_key, channel, state, attempts, created_at,"
                + " updated_at) VALUES (?, ?, ?, ?, 0, ?, ?)", replyId, caseKey, channel, State.queued.name(),
                Timestamp.from(now), Timestamp.from(now));
    }

    /** Written and committed before the channel is called: a redelivery then knows a post may have gone out. */
    public void posting(String replyId, String caseKey, String channel, Instant now) {
        queue(replyId, caseKey, channel, now);
        jdbc.update("UPDATE hearth_social_reply SET state = ?, attempts = attempts + 1, channel = ?, updated_at = ?"
                + " WHERE reply_id = ?", State.posting.name(), channel, Timestamp.from(now), replyId);
    }

    /** The call did not post (429, a connection refused before sending): back to queued. */
    public void notPosted(String replyId, Instant now) {
        jdbc.update("UPDATE hearth_social_reply SET state = ?, updated_at = ? WHERE reply_id = ? AND state = ?",
                State.queued.name(), Timestamp.from(now), replyId, State.posting.name());
    }

    public void posted(String replyId, String postedId, String postedUrl, Instant now) {
        jdbc.update("UPDATE hearth_social_reply SET state = ?, posted_id = ?, posted_url = ?, reason = NULL, updated_at = ?"
                + " WHERE reply_id = ?", State.posted.name(), postedId,
                postedUrl == null || postedUrl.length() > 1000 ? null : postedUrl, Timestamp.from(now), replyId);
    }

    public void failed(String replyId, String caseKey, String reason, Instant now) {
        queue(replyId, caseKey, null, now);
        jdbc.update("UPDATE hearth_social_reply SET state = ?, reason = ?, updated_at = ? WHERE reply_id = ?",
                State.failed.name(), reason.length() > 1000 ? reason.substring(0, 1000) : reason, Timestamp.from(now),
                replyId);
    }

    /** An operator's replay of a failed reply (from DLQ.service.replies) tries again. */
    public void retry(String replyId, Instant now) {
        jdbc.update("UPDATE hearth_social_reply SET state = ?, updated_at = ? WHERE reply_id = ? AND state = ?",
                State.queued.name(), Timestamp.from(now), replyId, State.failed.name());
    }

    private static boolean insertOnce(JdbcTemplate t, String sql, Object... args) {
        Boolean inserted = t.execute((ConnectionCallback<Boolean>) c -> {
            boolean savepoint = !c.getAutoCommit();
            if (savepoint) {
                io.hearth.state.Savepoints.set(c, INSERT_ONCE_SAVEPOINT);
            }
            try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
                new org.springframework.jdbc.core.ArgumentPreparedStatementSetter(args).setValues(ps);
                ps.executeUpdate();
            } catch (SQLException e) {
                if (savepoint) {
                    io.hearth.state.Savepoints.rollback(c, INSERT_ONCE_SAVEPOINT);
                }
                if (duplicate(e)) {
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

    private static boolean duplicate(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }
}
