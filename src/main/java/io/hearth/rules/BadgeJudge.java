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
 * Badges at milestones (a total of points, or a number of rewards of one rule) for one consenting contact's mention:
 * granted once, insert-once by {@code badge:<name>:<contact>}, and sent by the mention that granted it (again on its
 * replay, nobody else: the record never changes).
 */
final class BadgeJudge {

    private final RulesStore store;
    private final RewardRecords records;

    BadgeJudge(RulesStore store, RewardRecords records) {
        this.store = store;
        this.records = records;
    }

    /**
     * Adds the badge records to {@code out}. {@code touched}: a reward of the contact was sent for this mention;
     * returns whether one was then (that one or a new badge).
     */
    boolean judge(Rules rules, JudgedMention j, boolean touched, List<CrmCommand> out) {
        String contact = j.contactId();
        Instant at = JudgeSupport.postedAt(j);
        LocalDate day = at.atZone(ZoneOffset.UTC).toLocalDate();
        for (Rules.Badge badge : rules.badges()) {
            String rule = "badge:" + JudgeSupport.slug(badge.name());
            String key = JudgeSupport.key(rule, contact, null);
            Optional<RulesStore.Reward> existing = store.reward(key);
            if (existing.isPresent()) {
                // A badge never changes once granted: only the mention that granted it sends it again (its replay). Any
                // other mention re-sending it, a later reward's or a replay's, wrote the same record once more under a new
                // JMS message id: the broker-restart rewrite of ScaleOutClusterTest (docs/reliability.md).
                if (existing.get().sentBy(j.mention().id())) {
                    out.add(records.record(existing.get()));
                }
                continue;
            }
            if (!j.firstSeen() || !reached(badge, contact)) {
                continue;
            }
            RulesStore.Reward row = records.grant(new RulesStore.Reward(key, rule, contact, j.mention().id(), 0,
                    badge.name(), null, at, day.toString(), YearMonth.from(day).toString(), j.now()),
                    () -> RuleReasons.badge(badge, value(badge, contact)), j.now());
            if (row.sentBy(j.mention().id())) {   // else another consumer's mention granted it at the same moment
                out.add(records.record(row));
                touched = true;
            }
        }
        return touched;
    }

    private boolean reached(Rules.Badge badge, String contact) {
        return badge.atPoints() != null ? value(badge, contact) >= badge.atPoints() : value(badge, contact) >= badge.atCount();
    }

    /** What the badge counts: the contact's total points, or its rewards of the badge's rule. */
    private long value(Rules.Badge badge, String contact) {
        return badge.atPoints() != null ? store.total(contact) : store.count(contact, badge.rule());
    }
}
