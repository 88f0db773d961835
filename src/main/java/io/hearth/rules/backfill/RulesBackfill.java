package io.hearth.rules.backfill;

import java.sql.Date;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;

import io.hearth.enrich.Rejudging;
import io.hearth.rules.Rules;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Rules backfill (issue 13, docs/rules.md "Backfill"): stored mentions posted in a date range are judged again under the
 * rules now in force. {@link #request} validates and records a run (V32 {@code hearth_rules_backfill}, state pending);
 * job {@code job-rules-backfill} (one hub of a cluster) takes it ({@link #next}): the mention log's stored mentions of
 * the range become {@link Rejudging} requests in mode rules, put back on {@code social.mentions} with the run's id and
 * scope (reward keys, cases) in headers; the enrich stage judges each as new within that scope and records, with the
 * batch, that it did and what it added ({@code hearth_rules_backfill_mention}). The rules' ledgers are insert-once by
 * deterministic keys: what was granted before is repeated, never granted twice, so a second run adds nothing.
 * Consent is the enrich stage's: only mentions of authors who are consenting known contacts now get rewards and flags.
 */
public class RulesBackfill {

    private static final Logger log = LoggerFactory.getLogger(RulesBackfill.class);

    /** The longest range one run may cover. */
    static final int MAX_DAYS = 3660;

    /** A request as posted; {@code rules} null or empty: every reward rule. */
    public record Request(String from, String until, List<String> rules, Boolean cases) {
    }

    /** A bad request: the message says what to fix. */
    public static class InvalidRequest extends RuntimeException {
        public InvalidRequest(String message) {
            super(message);
        }
    }

    /** What the job puts back for one run. */
    public record Run(String id, List<Rejudging.Request> requests, String rules, boolean cases) {
    }

    private final JdbcTemplate jdbc;
    private final Rejudging rejudging;
    private final Supplier<Rules> rules;
    private final Clock clock;

    public RulesBackfill(JdbcTemplate jdbc, Rejudging rejudging, Supplier<Rules> rules, Clock clock) {
        this.jdbc = jdbc;
        this.rejudging = rejudging;
        this.rules = rules;
        this.clock = clock;
    }

    /** Validates and records a run; its id. */
    public String request(Request r) {
        if (r == null) {
            throw new InvalidRequest("a JSON body is needed: {\"from\":\"YYYY-MM-DD\",\"until\":\"YYYY-MM-DD\",\"rules\":[...],\"cases\":false}");
        }
        LocalDate from = day("from", r.from());
        LocalDate until = day("until", r.until());
        if (until.isBefore(from)) {
            throw new InvalidRequest("until (" + until + ") is before from (" + from + ")");
        }
        if (from.plusDays(MAX_DAYS).isBefore(until)) {
            throw new InvalidRequest("the range covers more than " + MAX_DAYS + " days");
        }
        Set<String> keys = new LinkedHashSet<>();
        if (r.rules() != null) {
            List<String> known = rules.get().rewards().stream().map(Rules.Reward::key).toList();
            List<String> unknown = new ArrayList<>();
            for (String k : r.rules()) {
                if (k == null || !known.contains(k)) {
                    unknown.add(String.valueOf(k));
                } else {
                    keys.add(k);
                }
            }
            if (!unknown.isEmpty()) {
                throw new InvalidRequest("no reward rule " + String.join(", ", unknown) + " in the rules in force (rules: "
                        + (known.isEmpty() ? "none" : String.join(", ", known)) + ")");
            }
        }
        String id = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO hearth_rules_backfill (id, from_day, until_day, rules, cases, state, requested_at)"
                        + " VALUES (?, ?, ?, ?, ?, 'pending', ?)", id, Date.valueOf(from), Date.valueOf(until),
                keys.isEmpty() ? null : String.join(",", keys), Boolean.TRUE.equals(r.cases()),
                Timestamp.from(clock.instant()));
        log.info("Rules backfill {} requested: posts of {} .. {}, rules {}, cases {}", id, from, until,
                keys.isEmpty() ? "all" : keys, Boolean.TRUE.equals(r.cases()));
        return id;
    }

    private static LocalDate day(String field, String value) {
        if (value == null || value.isBlank()) {
            throw new InvalidRequest(field + " is required (YYYY-MM-DD)");
        }
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new InvalidRequest(field + ": '" + value + "' is not a valid date (YYYY-MM-DD)");
        }
    }

    /** The run's state as the API shows it; empty: no such run. */
    public Optional<Map<String, Object>> status(String id) {
        List<Map<String, Object>> rows = jdbc.query("SELECT b.id, b.state, b.total, b.sent_at, b.error,"
                + " (SELECT COUNT(*) FROM hearth_rules_backfill_mention m WHERE m.backfill_id = b.id),"
                + " (SELECT COALESCE(SUM(rewards_added), 0) FROM hearth_rules_backfill_mention m WHERE m.backfill_id = b.id),"
                + " (SELECT COALESCE(SUM(flags_changed), 0) FROM hearth_rules_backfill_mention m WHERE m.backfill_id = b.id)"
                + " FROM hearth_rules_backfill b WHERE b.id = ?", (rs, i) -> {
                    long total = rs.getLong(3);
                    long done = rs.getLong(6);
                    String state = rs.getString(2);
                    String shown = "failed".equals(state) ? "failed"
                            : rs.getTimestamp(4) != null && done >= total ? "done" : "running";
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", rs.getString(1));
                    m.put("state", shown);
                    m.put("done", done);
                    m.put("total", total);
                    m.put("rewardsAdded", rs.getLong(7));
                    m.put("flagsChanged", rs.getLong(8));
                    if (rs.getString(5) != null) {
                        m.put("error", rs.getString(5));
                    }
                    return m;
                }, id);
        return rows.stream().findFirst();
    }

    /**
     * Job step: the oldest run not sent yet (pending, or running after a hub stopped while sending it: sending again is
     * harmless), marked running with its total; null: none.
     */
    public Run next() {
        List<Map<String, Object>> rows = jdbc.queryForList("SELECT id, from_day, until_day, rules, cases FROM"
                + " hearth_rules_backfill WHERE state IN ('pending', 'running') AND sent_at IS NULL ORDER BY requested_at, id"
                + " LIMIT 1");
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, Object> row = rows.get(0);
        String id = (String) row.get("id");
        LocalDate from = ((java.sql.Date) row.get("from_day")).toLocalDate();
        LocalDate until = ((java.sql.Date) row.get("until_day")).toLocalDate();
        List<Rejudging.Request> requests = rejudging.requests(Rejudging.Selection.posted(
                from.atStartOfDay(ZoneOffset.UTC).toInstant(), until.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant()),
                Rejudging.Mode.RULES, null);
        jdbc.update("UPDATE hearth_rules_backfill SET state = 'running', total = ?, started_at = ? WHERE id = ?",
                requests.size(), Timestamp.from(clock.instant()), id);
        Object cases = row.get("cases");
        return new Run(id, requests, (String) row.get("rules"), Boolean.TRUE.equals(cases));
    }

    /** Job step: every mention of the run is on social.mentions. */
    public void sent(Run run) {
        jdbc.update("UPDATE hearth_rules_backfill SET sent_at = ? WHERE id = ?", Timestamp.from(clock.instant()), run.id());
        log.info("Rules backfill {}: {} stored mention(s) put back on social.mentions", run.id(), run.requests().size());
    }

    /** Job error step: the run failed (the type only in the row and the log: messages can quote personal data). */
    public void failed(Exchange exchange) {
        Run run = exchange.getProperty("HearthBackfillRun", Run.class);
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String why = cause == null ? "unknown failure" : cause.getClass().getSimpleName();
        log.warn("Rules backfill {} failed: {}", run == null ? "(selection)" : run.id(), why);
        if (run != null) {
            jdbc.update("UPDATE hearth_rules_backfill SET state = 'failed', error = ? WHERE id = ?", why, run.id());
        }
    }
}
