package io.hearth.rules;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import io.hearth.crm.CrmCommand;
import io.hearth.enrich.JudgedMention;
import io.hearth.mention.Mention;

/**
 * The reward rules of config/rules.yml for one consenting contact's mention: each rule whose window is open and whose
 * action the mention shows gets a ledger row under a deterministic key (rule + contact + mention or period),
 * insert-once; a challenge also needs one of its winners' slots; the points are fixed or drawn and held to the caps;
 * a catalogue item is chosen when the rule gives one. A replay finds the rows it granted and repeats them, and grants
 * nothing; a row another mention granted (a reward per day, month or contact) is that mention's to send.
 */
final class RewardJudge {

    private final RulesStore store;
    private final ActionObserver observer;
    private final RewardRecords records;
    /** null: no catalogue (older wiring in tests); rules with items then grant their points only. */
    private final CatalogueJudge items;
    /** Reward triggers (issue 13): the outbox a new grant of a rule with {@code triggers:} is written to; null: none. */
    private io.hearth.rules.triggers.RewardTriggers triggers;

    void triggers(io.hearth.rules.triggers.RewardTriggers triggers) {
        this.triggers = triggers;
    }

    RewardJudge(RulesStore store, ActionObserver observer, RewardRecords records, CatalogueJudge items) {
        this.store = store;
        this.observer = observer;
        this.records = records;
        this.items = items;
    }

    /** Adds the reward records for the mention to {@code out}; true when a reward of the contact was sent. */
    boolean judge(Rules rules, JudgedMention j, List<CrmCommand> out) {
        boolean touched = false;
        for (Rules.Reward reward : rules.rewards()) {
            touched |= reward(rules, reward, j, out);
        }
        return touched;
    }

    private boolean reward(Rules rules, Rules.Reward reward, JudgedMention j, List<CrmCommand> out) {
        Mention m = j.mention();
        String contact = j.contactId();
        Instant at = JudgeSupport.postedAt(j);
        LocalDate day = at.atZone(ZoneOffset.UTC).toLocalDate();
        String dayKey = day.toString();
        String monthKey = YearMonth.from(day).toString();
        if (!open(reward, day, j) || !observer.observed(rules, reward, j)
                || !io.hearth.enrich.Rejudging.Scope.rule(reward.key())) {
            return false;   // a rules backfill re-judges only the rules it names
        }
        String key = key(reward, contact, m.id(), dayKey, monthKey);
        Optional<RulesStore.Reward> existing = store.reward(key);
        if (existing.isPresent()) {
            // Sent again only by the mention that granted it (a replay of it: its first commands may have rolled back).
            // For any other mention (a later post of the same day, period or contact, or its replay) nothing changed,
            // and the same record under a new JMS message id would be written once more (docs/reliability.md).
            if (!existing.get().sentBy(m.id())) {
                return false;
            }
            out.add(records.record(existing.get()));
            return true;
        }
        if (!j.firstSeen()) {
            return false; // a replay or redelivery repeats what was granted, never grants anew
        }
        if (reward.action() == Rules.Action.challenge && !claimWinnerSlot(reward, contact)) {
            return false;
        }
        if (reward.cap() != null) {
            // issue 18 item 4: the usage below is read after any other batch's grants to this contact commit
            store.lockContactCaps(contact);
        }
        Optional<RewardPoints.Amount> amount = RewardPoints.capped(reward, RewardPoints.requested(reward, key),
                () -> store.pointsOnDay(contact, reward.key(), dayKey),
                () -> store.pointsInMonth(contact, reward.key(), monthKey));
        if (amount.isEmpty()) {
            return false;
        }
        long points = amount.get().points();
        CatalogueStore.Grant item = null;
        if (reward.item() != null && items != null) {
            item = items.item(rules, reward, key, contact, day, j.now()).orElse(null);
            if (item == null && points <= 0) {
                return false; // nothing to grant: no item left or matching, and no points
            }
        }
        CatalogueStore.Grant chosen = item;
        RulesStore.Reward row = records.grant(new RulesStore.Reward(key, reward.key(), contact, m.id(), points, null,
                reach(m), at, dayKey, monthKey, j.now()), () -> RuleReasons.withItem(RuleReasons.reward(reward,
                m.channel(), points, amount.get().requested(), amount.get().usedToday(), amount.get().usedThisMonth()),
                chosen), j.now(), why -> trigger(reward, key, contact, m.id(), points, chosen, why, j.now()));
        if (!row.sentBy(m.id())) {
            return false;   // another consumer's mention granted the key at the same moment: that mention sends it
        }
        out.add(records.record(row));
        return true;
    }

    /** A new grant's triggers, fixed now in the outbox (docs/rules.md "Reward triggers"). */
    private void trigger(Rules.Reward reward, String key, String contact, String mentionId, long points,
                         CatalogueStore.Grant item, String why, Instant now) {
        if (triggers == null || reward.triggers().isEmpty()) {
            return;
        }
        triggers.record(new io.hearth.rules.triggers.RewardTriggers.Granted(key, reward.key(), contact, mentionId, points,
                item == null ? null : item.itemKey(), item == null ? null : item.reason(), RuleReasons.cut(why), now),
                reward.triggers().stream().map(t -> io.hearth.rules.triggers.RewardTriggers.Target.valueOf(t.name())).toList(),
                now);
    }

    /** The reward's from/until dates and rolling window hold the post's UTC day. */
    static boolean open(Rules.Reward reward, LocalDate day, JudgedMention j) {
        return (reward.from() == null || !day.isBefore(reward.from()))
                && (reward.until() == null || !day.isAfter(reward.until()))
                && withinRollingWindow(reward, day, j);
    }

    /** The ledger key: rule + contact + what the reward is per (a challenge: once per contact). */
    static String key(Rules.Reward reward, String contact, String mentionId, String dayKey, String monthKey) {
        Rules.Per per = reward.action() == Rules.Action.challenge ? Rules.Per.contact : reward.per();
        return JudgeSupport.key(reward.key(), contact, switch (per) {
            case mention -> mentionId;
            case contact -> null;
            case day -> dayKey;
            case month -> monthKey;
        });
    }

    /** A challenge's winners' slot for the contact; the slot makes the winners' count atomic across consumers (V23). */
    private boolean claimWinnerSlot(Rules.Reward reward, String contact) {
        return store.holders(reward.key()) < reward.challenge().winners()
                && store.claimChallengeSlot(reward.key(), contact, reward.challenge().winners());
    }

    /** A reward's rolling window ({@code within-days}): the post's UTC day among the last N days of the judging day. */
    static boolean withinRollingWindow(Rules.Reward reward, LocalDate postDay, JudgedMention j) {
        if (reward.withinDays() == null) {
            return true;
        }
        LocalDate today = j.now().atZone(ZoneOffset.UTC).toLocalDate();
        // a day of slack for posts stamped slightly ahead of the hub's clock
        return !postDay.isBefore(today.minusDays(reward.withinDays() - 1L)) && !postDay.isAfter(today.plusDays(1));
    }

    /** The post's reach as the mention log sums it: followers × (1 + likes + reposts + replies + quotes); null: unknown. */
    static Long reach(Mention m) {
        Long followers = m.author() == null ? null : m.author().followers();
        if (followers == null) {
            return null;
        }
        Mention.Engagement e = m.engagement();
        long engagement = e == null ? 0 : saturatedSum(nz(e.likes()), nz(e.reposts()), nz(e.replies()), nz(e.quotes()));
        // saturating: channel counters are untrusted input, and a wrapped product turned negative
        long plusOne = engagement == Long.MAX_VALUE ? Long.MAX_VALUE : engagement + 1;
        return followers <= 0 ? 0 : followers > Long.MAX_VALUE / plusOne ? Long.MAX_VALUE : followers * plusOne;
    }

    private static long saturatedSum(long... values) {
        long total = 0;
        for (long v : values) {
            total = v > 0 && total > Long.MAX_VALUE - v ? Long.MAX_VALUE : total + Math.max(v, 0);
        }
        return total;
    }

    private static long nz(Long v) {
        return v == null ? 0 : v;
    }
}
