package io.hearth.rules;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import io.hearth.crm.CrmCommand;
import io.hearth.enrich.JudgedMention;

/**
 * Period leaders: the previous day's or month's leader of a leaderboard with a {@code leader-badge} gets it (and its
 * points) once, when the first mention of a later period is judged (that mention is kept as the row's
 * {@code grantedBy}); a replay of that mention re-sends the row, nobody else does.
 */
final class LeaderJudge {

    private final RulesStore store;
    private final RewardRecords records;

    LeaderJudge(RulesStore store, RewardRecords records) {
        this.store = store;
        this.records = records;
    }

    /**
     * Adds the leader records to {@code out} (and the Contact points of a leader who is someone else); true when a
     * leader row of the mention's own contact was sent.
     */
    boolean judge(Rules rules, JudgedMention j, List<CrmCommand> out) {
        String contact = j.contactId();
        Instant at = JudgeSupport.postedAt(j);
        LocalDate day = at.atZone(ZoneOffset.UTC).toLocalDate();
        boolean touched = false;
        for (Rules.Leaderboard board : rules.leaderboards()) {
            if (board.leaderBadge() == null || board.period() == Rules.Period.campaign) {
                continue;
            }
            // The previous period is over once a post of a later period is judged: its leader gets the badge (once).
            String previous = previousPeriod(board.period(), day);
            String column = board.period() == Rules.Period.day ? "day_key" : "month_key";
            String rule = "leader:" + board.key();
            String key = JudgeSupport.cut(rule + ":" + previous);
            Optional<RulesStore.Reward> existing = store.reward(key);
            String mention = j.mention().id();
            if (existing.isPresent()) {
                String closer = existing.get().grantedBy();
                // Closed before: only the mention that closed the period sends the row again (its replay). Any other
                // mention's replay re-sending it wrote the same record once more under a new JMS message id
                // (docs/reliability.md). A row from before V37 names no closer: a replay sends it, as before.
                boolean resend = mention.equals(closer) || (closer == null && !j.firstSeen());
                if (!resend) {
                    continue; // the common case, one lookup
                }
            } else if (!j.firstSeen()) {
                continue;
            }
            List<RulesStore.Standing> top = existing.isPresent() ? List.of()
                    : store.leaderboard(board.rules(), column, previous, 1);
            if (existing.isEmpty() && top.isEmpty()) {
                continue;
            }
            RulesStore.Reward row = existing.orElseGet(() -> records.grant(new RulesStore.Reward(key, rule,
                    top.get(0).contactId(), null, board.leaderPoints() == null ? 0 : board.leaderPoints(),
                    board.leaderBadge() + " " + previous, null, at, day.toString(), YearMonth.from(day).toString(),
                    j.now(), mention), () -> RuleReasons.leader(board, previous, top.get(0).points()), j.now()));
            if (existing.isEmpty() && !row.sentBy(mention)) {
                continue; // another consumer's mention closed the period at the same moment: that mention sends it
            }
            out.add(records.record(row));
            if (row.contactId().equals(contact)) {
                touched = true;
            } else {
                out.add(records.points(row.contactId()));
            }
        }
        return touched;
    }

    /** The period before the post's: the day before, or the month before. */
    static String previousPeriod(Rules.Period period, LocalDate day) {
        return period == Rules.Period.day ? day.minusDays(1).toString() : YearMonth.from(day).minusMonths(1).toString();
    }
}
