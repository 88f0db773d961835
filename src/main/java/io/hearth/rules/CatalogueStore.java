package io.hearth.rules;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.springframework.jdbc.core.ArgumentPreparedStatementSetter;
import org.springframework.jdbc.core.ConnectionCallback;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Catalogue grants (V29 {@code hearth_catalogue_grant}) and the reasons behind rule results (V29
 * {@code hearth_rule_reason}). Reads and writes go through {@code template} — the mention log's batch-aware template,
 * so they commit or roll back with the stage batch like the rest of the rules' state.
 *
 * <p>Stock is exact under concurrency and redelivery by unique keys rather than by reads: a grant inserts the item's
 * next stock unit ({@code (item_key, unit)} unique, unit ≤ stock) and the contact's next unit of it ({@code (item_key,
 * contact_id, contact_unit)} unique, ≤ per-contact), under the reward's key (primary key: one item per reward, ever).
 * A consumer that loses a race for a unit gets a duplicate key (rolled back to a savepoint inside a transaction) and
 * tries the next unit, or the next item when the stock is gone.
 */
public class CatalogueStore {

    /** The insert-once savepoint (never nested in itself): one name, one statement text H2 keeps parsed (Savepoints). */
    private static final String INSERT_ONCE_SAVEPOINT = "hearth_insert_once";

    /** A catalogue item granted by one reward. */
    public record Grant(String rewardKey, String itemKey, int unit, String contactId, String reason, Instant grantedAt) {
    }

    /** The rule and reason recorded for one CRM record. */
    public record Reason(String ruleKey, String reason) {
    }

    private static final int RACE_RETRIES = 5;

    private final Supplier<JdbcTemplate> template;

    public CatalogueStore(Supplier<JdbcTemplate> template) {
        this.template = template;
    }

    private JdbcTemplate jdbc() {
        return template.get();
    }

    public Optional<Grant> grant(String rewardKey) {
        return jdbc().query("SELECT reward_key, item_key, unit, contact_id, reason, granted_at FROM hearth_catalogue_grant"
                + " WHERE reward_key = ?", (rs, i) -> new Grant(rs.getString(1), rs.getString(2), rs.getInt(3),
                rs.getString(4), rs.getString(5), rs.getTimestamp(6).toInstant()), rewardKey).stream().findFirst();
    }

    /** Units of the item given so far (the highest unit taken; erasing a grant does not give its unit back). */
    public long taken(String itemKey) {
        Long n = jdbc().queryForObject("SELECT COALESCE(MAX(unit), 0) FROM hearth_catalogue_grant WHERE item_key = ?",
                Long.class, itemKey);
        return n == null ? 0 : n;
    }

    public long held(String contactId, String itemKey) {
        Long n = jdbc().queryForObject("SELECT COALESCE(MAX(contact_unit), 0) FROM hearth_catalogue_grant WHERE item_key = ?"
                + " AND contact_id = ?", Long.class, itemKey, contactId);
        return n == null ? 0 : n;
    }

    /**
     * The reward's item: the one granted before under this key, else the first of {@code choices} (ranked by
     * {@link CatalogueChooser}) whose stock and per-contact limit still allow it, claimed insert-once. Empty: none left.
     */
    public Optional<Grant> claim(String rewardKey, String contactId, List<CatalogueChooser.Choice> choices,
                                 LocalDate day, Instant now) {
        Optional<Grant> before = grant(rewardKey);
        if (before.isPresent()) {
            return before;
        }
        for (CatalogueChooser.Choice choice : choices) {
            Rules.CatalogueItem item = choice.item();
            for (int attempt = 0; attempt < RACE_RETRIES; attempt++) {
                long unit = taken(item.key()) + 1;
                long mine = held(contactId, item.key()) + 1;
                if ((item.stock() != null && unit > item.stock()) || mine > item.perContact() || !item.validOn(day)) {
                    break;
                }
                String reason = cut(choice.reason(), 255);
                if (insertOnce("INSERT INTO hearth_catalogue_grant (reward_key, item_key, unit, contact_id, contact_unit,"
                        + " reason, granted_at) VALUES (?, ?, ?, ?, ?, ?, ?)", rewardKey, item.key(), (int) unit, contactId,
                        (int) mine, reason, Timestamp.from(now))) {
                    return Optional.of(new Grant(rewardKey, item.key(), (int) unit, contactId, reason, now));
                }
                Optional<Grant> raced = grant(rewardKey);
                if (raced.isPresent()) {
                    return raced; // the same reward was granted by another consumer (redelivery in parallel)
                }
            }
        }
        // sold out for this contact: unless a twin of this reward (a redelivery judged at the same time) took the unit
        return grant(rewardKey);
    }

    // --- reasons ---

    public Optional<Reason> reason(String recordKey) {
        return jdbc().query("SELECT rule_key, reason FROM hearth_rule_reason WHERE record_key = ?",
                (rs, i) -> new Reason(rs.getString(1), rs.getString(2)), recordKey).stream().findFirst();
    }

    /** Records the reason of a record decided once (a reward, a case): the first reason stays. */
    public Reason reasonOnce(String recordKey, String contactId, String ruleKey, String reason, Instant now) {
        insertOnce("INSERT INTO hearth_rule_reason (record_key, contact_id, rule_key, reason, decided_at)"
                + " VALUES (?, ?, ?, ?, ?)", recordKey, contactId, cut(ruleKey, 120), cut(reason, 255), Timestamp.from(now));
        return reason(recordKey).orElse(new Reason(ruleKey, reason));
    }

    /** Records the reason of a record whose state changes (an advocate flag): replaces the previous one. */
    public void saveReason(String recordKey, String contactId, String ruleKey, String reason, Instant now) {
        int n = jdbc().update("UPDATE hearth_rule_reason SET rule_key = ?, reason = ?, decided_at = ? WHERE record_key = ?",
                cut(ruleKey, 120), cut(reason, 255), Timestamp.from(now), recordKey);
        if (n == 0 && !insertOnce("INSERT INTO hearth_rule_reason (record_key, contact_id, rule_key, reason, decided_at)"
                + " VALUES (?, ?, ?, ?, ?)", recordKey, contactId, cut(ruleKey, 120), cut(reason, 255), Timestamp.from(now))) {
            saveReason(recordKey, contactId, ruleKey, reason, now);
        }
    }

    /**
     * Erasure (docs/privacy.md): the contact's catalogue grants lose everything that names the person (reward key,
     * contact, reason) but keep their stock unit, so an erasure never puts a given item back into the stock.
     */
    public static int anonymise(JdbcTemplate jdbc, String contactId) {
        return jdbc.update("UPDATE hearth_catalogue_grant SET reward_key = 'erased:' || item_key || ':' || unit,"
                + " contact_id = '-', contact_unit = -unit, reason = 'erased' WHERE contact_id = ?", contactId);
    }

    /**
     * Runs an INSERT that may meet an existing key; false when it did. Inside a transaction it runs under a savepoint
     * that a duplicate key rolls back to (PostgreSQL would otherwise abort the whole transaction).
     */
    private boolean insertOnce(String sql, Object... args) {
        Boolean inserted = jdbc().execute((ConnectionCallback<Boolean>) c -> {
            boolean savepoint = !c.getAutoCommit();
            if (savepoint) {
                io.hearth.state.Savepoints.set(c, INSERT_ONCE_SAVEPOINT);
            }
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                new ArgumentPreparedStatementSetter(args).setValues(ps);
                ps.executeUpdate();
            } catch (SQLException e) {
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

    private static boolean isDuplicateKey(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && "23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
