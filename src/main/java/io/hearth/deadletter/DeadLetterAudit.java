package io.hearth.deadletter;

import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.jdbc.support.KeyHolder;
import org.springframework.stereotype.Component;

/**
 * The audit log of dead-letter operations ({@code hearth_dead_letter_audit}): a row is written as {@code started} before
 * the broker is touched and completed after, so an operation cut off by a crash still shows who started it and when.
 * No personal data: credential name and roles, queue, message id, the filter's fields, counts.
 */
@Component
public class DeadLetterAudit {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public DeadLetterAudit(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /** Records an operation as started; answers its audit id. */
    public long started(String actor, String roles, String action, String queue, String target, String messageId,
                        String filter) {
        KeyHolder keys = new GeneratedKeyHolder();
        Timestamp now = Timestamp.from(clock.instant());
        jdbc.update(connection -> {
            PreparedStatement insert = connection.prepareStatement("INSERT INTO hearth_dead_letter_audit (at, actor, roles,"
                    + " action, queue_name, target, message_id, filter, selected, done, outcome) VALUES (?, ?, ?, ?, ?, ?, ?,"
                    + " ?, 0, 0, 'started')", Statement.RETURN_GENERATED_KEYS);
            insert.setTimestamp(1, now);
            insert.setString(2, cut(actor, 64));
            insert.setString(3, cut(roles, 128));
            insert.setString(4, action);
            insert.setString(5, queue);
            insert.setString(6, target);
            insert.setString(7, messageId);
            insert.setString(8, cut(filter, 512));
            return insert;
        }, keys);
        Map<String, Object> generated = keys.getKeys();
        // H2 answers the identity only; PostgreSQL every column: take audit_id by name
        Object id = generated == null ? null : generated.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase("audit_id")).map(Map.Entry::getValue).findFirst()
                .orElse(generated.size() == 1 ? generated.values().iterator().next() : null);
        if (!(id instanceof Number n)) {
            throw new IllegalStateException("the audit row got no id");
        }
        return n.longValue();
    }

    public void finished(long auditId, int selected, int done, String outcome) {
        jdbc.update("UPDATE hearth_dead_letter_audit SET selected = ?, done = ?, outcome = ?, finished_at = ? WHERE audit_id = ?",
                selected, done, outcome, Timestamp.from(clock.instant()), auditId);
    }

    /** The latest entries, newest first. */
    public List<Map<String, Object>> latest(int limit) {
        return jdbc.queryForList("SELECT audit_id AS \"id\", at AS \"at\", actor AS \"actor\", roles AS \"roles\","
                + " action AS \"action\", queue_name AS \"queue\", target AS \"target\", message_id AS \"messageId\","
                + " filter AS \"filter\", selected AS \"selected\", done AS \"done\", outcome AS \"outcome\","
                + " finished_at AS \"finishedAt\" FROM hearth_dead_letter_audit ORDER BY audit_id DESC"
                + " FETCH FIRST " + Math.max(1, Math.min(limit, 1000)) + " ROWS ONLY");
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
