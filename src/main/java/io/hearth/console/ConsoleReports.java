package io.hearth.console;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.hearth.rules.Rules;
import io.hearth.rules.RulesJudge;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The console's read model (docs/console.md): plain queries over the tables the pipeline already keeps — the mention log,
 * the rules ledger (rewards, advocates, cases, reasons), the erasure requests and the link codes. Nothing here is
 * counted twice: each figure is a query over the rows the hub writes anyway. No clear handles or post texts leave this
 * class; contacts appear by their CRM id (what the CRM admin sees), unknown authors only in the prospects report.
 */
public class ConsoleReports {

    /** Rows per list (recent rewards, cases, erasures). */
    static final int LIST_LIMIT = 50;

    private final JdbcTemplate jdbc;

    public ConsoleReports(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    // ---- Flow ---------------------------------------------------------------------------------------------------

    /** Mentions recorded per minute and channel over the last {@code minutes} minutes up to {@code now}. */
    public record Rate(Instant from, int minutes, List<String> channels, Map<String, long[]> perChannel, long total) {
    }

    public Rate mentionRate(Instant now, int minutes) {
        Instant end = now.truncatedTo(ChronoUnit.MINUTES).plus(1, ChronoUnit.MINUTES);
        Instant from = end.minus(minutes, ChronoUnit.MINUTES);
        Map<String, long[]> per = new TreeMap<>();
        long[] total = {0};
        jdbc.query("SELECT channel, processed_at FROM hearth_mention_log WHERE processed_at >= ? AND processed_at < ?",
                rs -> {
                    Instant at = rs.getTimestamp(2).toInstant();
                    int slot = (int) Duration.between(from, at).toMinutes();
                    if (slot >= 0 && slot < minutes) {
                        per.computeIfAbsent(rs.getString(1), c -> new long[minutes])[slot]++;
                        total[0]++;
                    }
                }, Timestamp.from(from), Timestamp.from(end));
        return new Rate(from, minutes, List.copyOf(per.keySet()), per, total[0]);
    }

    /** Mentions in the log (all time). */
    public long mentionsLogged() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM hearth_mention_log", Long.class);
        return n == null ? 0 : n;
    }

    // ---- Community ----------------------------------------------------------------------------------------------

    public record Advocate(String contactId, String tier, Instant since, String reason) {
    }

    public List<Advocate> advocates() {
        return jdbc.query("SELECT a.contact_id, a.tier, a.since, r.reason FROM hearth_advocate_state a"
                        + " LEFT JOIN hearth_rule_reason r ON r.record_key = " + concat("'advocate:'", "a.contact_id")
                        + " WHERE a.tier IS NOT NULL ORDER BY a.since DESC, a.contact_id",
                (rs, i) -> new Advocate(rs.getString(1), rs.getString(2), instant(rs.getTimestamp(3)), rs.getString(4)));
    }

    public record RewardRow(String rule, String contactId, long points, String badge, Instant occurredAt,
                            Instant awardedAt, String reason) {
    }

    public List<RewardRow> recentRewards(int limit) {
        return jdbc.query("SELECT l.rule_key, l.contact_id, l.points, l.badge, l.occurred_at, l.awarded_at, r.reason"
                        + " FROM hearth_reward_ledger l LEFT JOIN hearth_rule_reason r ON r.record_key = l.reward_key"
                        + " ORDER BY l.awarded_at DESC, l.reward_key LIMIT ?",
                (rs, i) -> new RewardRow(rs.getString(1), rs.getString(2), rs.getLong(3), rs.getString(4),
                        instant(rs.getTimestamp(5)), instant(rs.getTimestamp(6)), rs.getString(7)),
                limit);
    }

    /** One prize draw: its reward key, the seed it was drawn with, the points recorded, and whether they recompute. */
    public record DrawRow(String rule, String rewardKey, String contactId, String seed, long min, long max, long points,
                          boolean verified, Instant awardedAt) {
    }

    public List<DrawRow> draws(Rules rules, int limit) {
        List<DrawRow> out = new ArrayList<>();
        for (Rules.Reward reward : rules.rewards()) {
            Rules.Draw draw = reward.draw();
            if (draw == null) {
                continue;
            }
            jdbc.query("SELECT reward_key, contact_id, points, awarded_at FROM hearth_reward_ledger WHERE rule_key = ?"
                    + " ORDER BY awarded_at DESC LIMIT ?", rs -> {
                String key = rs.getString(1);
                long points = rs.getLong(3);
                out.add(new DrawRow(reward.key(), key, rs.getString(2), draw.seed(), draw.min(), draw.max(), points,
                        RulesJudge.draw(draw, key) == points, instant(rs.getTimestamp(4))));
            }, reward.key(), limit);
        }
        out.sort(Comparator.comparing(DrawRow::awardedAt).reversed());
        return out.size() > limit ? out.subList(0, limit) : out;
    }

    // ---- Cases --------------------------------------------------------------------------------------------------

    /** One post of a case's conversation: what the scorer made of it, no text and no handle. */
    public record CasePost(String mentionId, String channel, String intent, Double sentiment, Integer influence,
                           Instant createdAt, String priority) {
    }

    public record CaseRow(String caseKey, String contactId, String openedMention, Instant openedAt, Instant lastAt,
                          String priority, String rule, String reason, List<CasePost> conversation) {
    }

    public List<CaseRow> recentCases(Rules.Priority priority, int limit) {
        List<CaseRow> cases = jdbc.query("SELECT c.case_key, c.contact_id, c.opened_mention, c.opened_at, c.last_at,"
                        + " r.rule_key, r.reason FROM hearth_case_state c"
                        + " LEFT JOIN hearth_rule_reason r ON r.record_key = c.case_key"
                        + " ORDER BY c.last_at DESC, c.case_key LIMIT ?",
                (rs, i) -> new CaseRow(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs.getTimestamp(4)),
                        instant(rs.getTimestamp(5)), null, rs.getString(6), rs.getString(7), List.of()),
                limit);
        List<CaseRow> out = new ArrayList<>();
        for (CaseRow c : cases) {
            List<CasePost> posts = jdbc.query("SELECT m.mention_id, l.channel, l.intent, l.sentiment, l.influence,"
                            + " m.created_at FROM hearth_case_mention m"
                            + " LEFT JOIN hearth_mention_log l ON l.mention_id = m.mention_id"
                            + " WHERE m.case_key = ? ORDER BY m.created_at, m.mention_id",
                    (rs, i) -> {
                        Double sentiment = rs.getObject(4) == null ? null : rs.getDouble(4);
                        Integer influence = rs.getObject(5) == null ? null : rs.getInt(5);
                        return new CasePost(rs.getString(1), rs.getString(2), rs.getString(3), sentiment, influence,
                                instant(rs.getTimestamp(6)), RulesJudge.priority(priority, influence, sentiment));
                    }, c.caseKey());
            String highest = "Low";
            for (CasePost p : posts) {
                highest = max(highest, p.priority());
            }
            out.add(new CaseRow(c.caseKey(), c.contactId(), c.openedMention(), c.openedAt(), c.lastAt(), highest,
                    c.rule(), c.reason(), posts));
        }
        return out;
    }

    private static String max(String a, String b) {
        List<String> order = List.of("Low", "Medium", "High");
        return order.indexOf(a) >= order.indexOf(b) ? a : b;
    }

    // ---- Campaigns ----------------------------------------------------------------------------------------------

    public record Day(LocalDate day, long points, long mentions, Double sentiment) {
    }

    public record Interest(String interest, long mentions) {
    }

    public record Campaign(String key, String action, List<String> hashtags, LocalDate from, LocalDate until,
                           Integer withinDays, long participants, long rewards, long points, long reach, long mentions,
                           List<Day> days, List<Interest> topInterests) {
    }

    /** The campaigns of the rules in force: every reward with hashtags or a challenge. */
    public List<Campaign> campaigns(Rules rules) {
        List<Campaign> out = new ArrayList<>();
        for (Rules.Reward reward : rules.rewards()) {
            List<String> tags = new ArrayList<>(reward.hashtags());
            if (reward.challenge() != null && reward.challenge().hashtag() != null) {
                tags.add(reward.challenge().hashtag());
            }
            if (tags.isEmpty()) {
                continue;
            }
            out.add(campaign(reward, tags));
        }
        return out;
    }

    private Campaign campaign(Rules.Reward reward, List<String> tags) {
        Map<String, Object> totals = jdbc.queryForMap("SELECT COUNT(DISTINCT contact_id) AS participants,"
                + " COUNT(*) AS rewards, COALESCE(SUM(points), 0) AS points, COALESCE(SUM(reach), 0) AS reach"
                + " FROM hearth_reward_ledger WHERE rule_key = ?", reward.key());
        TreeMap<LocalDate, long[]> points = new TreeMap<>();
        jdbc.query("SELECT day_key, SUM(points) FROM hearth_reward_ledger WHERE rule_key = ? GROUP BY day_key",
                rs -> {
                    points.computeIfAbsent(LocalDate.parse(rs.getString(1)), d -> new long[1])[0] = rs.getLong(2);
                }, reward.key());
        // The campaign's mentions: the mention log's interests hold each post's hashtags as '#tag' (lower case).
        TreeMap<LocalDate, double[]> sentiment = new TreeMap<>();   // day -> {mentions, scored, sum}
        Map<String, Long> interests = new HashMap<>();
        long[] mentions = {0};
        StringBuilder where = new StringBuilder();
        List<Object> args = new ArrayList<>();
        for (String tag : tags) {
            where.append(where.isEmpty() ? "" : " OR ").append("(' ' || interests || ' ') LIKE ?");
            args.add("% #" + tag.toLowerCase(Locale.ROOT) + " %");
        }
        jdbc.query("SELECT created_at, sentiment, interests FROM hearth_mention_log WHERE interests IS NOT NULL AND ("
                + where + ")", rs -> {
            mentions[0]++;
            LocalDate day = rs.getTimestamp(1).toInstant().atZone(ZoneOffset.UTC).toLocalDate();
            double[] d = sentiment.computeIfAbsent(day, k -> new double[3]);
            d[0]++;
            if (rs.getObject(2) != null) {
                d[1]++;
                d[2] += rs.getDouble(2);
            }
            for (String interest : rs.getString(3).split(" ")) {
                if (!interest.isBlank() && tags.stream().noneMatch(t -> interest.equalsIgnoreCase("#" + t))) {
                    interests.merge(interest, 1L, Long::sum);
                }
            }
        }, args.toArray());
        TreeMap<LocalDate, Day> days = new TreeMap<>();
        points.forEach((day, p) -> days.put(day, new Day(day, p[0], 0, null)));
        sentiment.forEach((day, s) -> {
            Day d = days.get(day);
            days.put(day, new Day(day, d == null ? 0 : d.points(), (long) s[0], s[1] == 0 ? null : s[2] / s[1]));
        });
        List<Interest> top = interests.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(10).map(e -> new Interest(e.getKey(), e.getValue())).toList();
        return new Campaign(reward.key(), reward.action().name(), tags, reward.from(), reward.until(),
                reward.withinDays(), number(totals.get("participants")), number(totals.get("rewards")),
                number(totals.get("points")), number(totals.get("reach")), mentions[0], List.copyOf(days.values()), top);
    }

    // ---- Privacy ------------------------------------------------------------------------------------------------

    /** An erasure request as the console shows it: state and numbers, not the subject (contact id or handle). */
    public record Erasure(String id, String subjectKind, String status, Instant requestedAt, Instant finishedAt,
                          int attempts, String lastError, String counts) {
    }

    public List<Erasure> erasures(int limit) {
        return jdbc.query("SELECT erasure_id, subject_kind, status, requested_at, finished_at, attempts, last_error,"
                        + " counts FROM hearth_erasure_request ORDER BY requested_at DESC LIMIT ?",
                (rs, i) -> new Erasure(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs.getTimestamp(4)),
                        instant(rs.getTimestamp(5)), rs.getInt(6), rs.getString(7), rs.getString(8)),
                limit);
    }

    public Map<String, Long> erasuresByStatus() {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String s : List.of("pending", "running", "done", "failed")) {
            out.put(s, 0L);
        }
        jdbc.query("SELECT status, COUNT(*) FROM hearth_erasure_request GROUP BY status",
                rs -> {
                    out.put(rs.getString(1), rs.getLong(2));
                });
        return out;
    }

    /**
     * Link codes (counts only, never a code): issued, used, open (neither used nor expired), expired unused; and the
     * authors locked out now ({@code maxWrongCodes} wrong codes within {@code lockoutWindow}, docs/privacy.md).
     */
    public record LinkCounts(long issued, long used, long open, long expired, long lockedAuthors) {
    }

    public LinkCounts linkCounts(Instant now, int maxWrongCodes, Duration lockoutWindow) {
        Timestamp t = Timestamp.from(now);
        Map<String, Object> row = jdbc.queryForMap("SELECT COUNT(*) AS issued,"
                + " COALESCE(SUM(CASE WHEN used_at IS NOT NULL THEN 1 ELSE 0 END), 0) AS used,"
                + " COALESCE(SUM(CASE WHEN used_at IS NULL AND expires_at > ? THEN 1 ELSE 0 END), 0) AS open,"
                + " COALESCE(SUM(CASE WHEN used_at IS NULL AND expires_at <= ? THEN 1 ELSE 0 END), 0) AS expired"
                + " FROM hearth_link_code", t, t);
        Long locked = jdbc.queryForObject("SELECT COUNT(*) FROM (SELECT author_key FROM hearth_link_failure"
                + " WHERE attempted_at > ? GROUP BY author_key HAVING COUNT(*) >= ?) locked", Long.class,
                Timestamp.from(now.minus(lockoutWindow)), maxWrongCodes);
        return new LinkCounts(number(row.get("issued")), number(row.get("used")), number(row.get("open")),
                number(row.get("expired")), locked == null ? 0 : locked);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private static String concat(String a, String b) {
        return "CONCAT(" + a + ", " + b + ")";   // H2 and PostgreSQL both have CONCAT
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    private static long number(Object o) {
        return o instanceof Number n ? n.longValue() : 0L;
    }
}
