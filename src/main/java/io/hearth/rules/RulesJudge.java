package io.hearth.rules;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.hearth.crm.CrmCommand;
import io.hearth.crm.CrmMapping;
import io.hearth.enrich.JudgedMention;
import io.hearth.enrich.MentionJudge;
import io.hearth.enrich.MentionLog;
import io.hearth.mention.Mention;

/**
 * The rules of config/rules.yml applied to one judged mention (docs/rules.md), by focused judges:
 * <ul>
 * <li><b>rewards</b> (consenting contacts): {@link RewardJudge} (each observed action, {@link ActionObserver}, gets a
 * ledger row under a deterministic key, insert-once, and a {@code Social_Reward__c} upsert by that key; points fixed or
 * drawn and capped, {@link RewardPoints}; items from the catalogue, {@link CatalogueJudge}), then {@link BadgeJudge}
 * (badges at milestones) and {@link LeaderJudge} (period leaders) likewise; then the contact's
 * {@code Social_Points__c} as the ledger's total ({@link RewardRecords});</li>
 * <li><b>advocates</b> (consenting contacts): {@link AdvocateJudge}, the tier from the window statistics with
 * hysteresis, pushed to the Contact when it changes;</li>
 * <li><b>cases</b> (known contacts, or anyone above an influence; consent only if configured): {@link CaseJudge}, one
 * {@code Case} per conversation, upserted by {@code Social_Conversation_Id__c}; later posts of the conversation join
 * it.</li>
 * </ul>
 * A replayed or redelivered mention ({@link JudgedMention#firstSeen()} false) finds its ledger rows and case and yields
 * the same commands again (same keys, same values), and nothing new: nothing is granted twice or late, no case is opened
 * twice, no flag changes.
 */
public class RulesJudge implements MentionJudge {

    /** Salesforce's limit for the Text(255) external ids; longer keys keep their head and end in a hash. */
    static final int KEY_MAX = JudgeSupport.KEY_MAX;

    private final Supplier<Rules> rules;
    private final RewardRecords records;
    private final RewardJudge rewards;
    private final BadgeJudge badges;
    private final LeaderJudge leaders;
    private final AdvocateJudge advocates;
    private final CaseJudge cases;

    public RulesJudge(Supplier<Rules> rules, RulesStore store, MentionLog log, CrmMapping mapping) {
        this(rules, store, log, mapping, null);
    }

    /** {@code catalogue}: catalogue items and the reasons behind results (issue 13); null: neither. */
    public RulesJudge(Supplier<Rules> rules, RulesStore store, MentionLog log, CrmMapping mapping,
                      CatalogueStore catalogue) {
        this.rules = rules;
        this.records = new RewardRecords(store, mapping, catalogue);
        this.rewards = new RewardJudge(store, new ActionObserver(store::logged), records,
                catalogue == null ? null : new CatalogueJudge(catalogue, log));
        this.badges = new BadgeJudge(store, records);
        this.leaders = new LeaderJudge(store, records);
        this.advocates = new AdvocateJudge(store, log, mapping, catalogue);
        this.cases = new CaseJudge(store, mapping, catalogue);
    }

    @Override
    public List<CrmCommand> judge(JudgedMention j) {
        Rules r = rules.get();
        List<CrmCommand> out = new ArrayList<>();
        if (j.consented()) {
            boolean touched = rewards.judge(r, j, out);
            touched = badges.judge(r, j, touched, out);
            touched = leaders.judge(r, j, out) || touched;
            if (touched) {
                out.add(records.points(j.contactId()));
            }
            advocates.judge(r, j, out);
        }
        cases.judge(r, j, out);
        return out;
    }

<<<<<<< HEAD
    // --- rewards --------------------------------------------------------------------------------------------------

    private void rewards(Rules rules, JudgedMention j, List<CrmCommand> out) {
        Mention m = j.mention();
        String contact = j.contactId();
        Instant at = postedAt(j);
        LocalDate day = at.atZone(ZoneOffset.UTC).toLocalDate();
        String dayKey = day.toString();
        String monthKey = YearMonth.from(day).toString();
        List<String> touched = new ArrayList<>();
        boolean capsLocked = false;
        for (Rules.Reward reward : rules.rewards()) {
            if ((reward.from() != null && day.isBefore(reward.from()))
                    || (reward.until() != null && day.isAfter(reward.until()))
                    || !withinRollingWindow(reward, day, j)) {
                continue;
            }
            if (!observed(rules, reward, j)) {
                continue;
            }
            Rules.Per per = reward.action() == Rules.Action.challenge ? Rules.Per.contact : reward.per();
            String key = key(reward.key(), contact, switch (per) {
                case mention -> m.id();
                case contact -> null;
                case day -> dayKey;
                case month -> monthKey;
            });
            Optional<RulesStore.Reward> existing = store.reward(key);
            if (existing.isPresent()) {
                out.add(rewardRecord(existing.get()));
                touched.add(contact);
                continue;
            }
            if (!j.firstSeen()) {
                continue; // a replay or redelivery repeats what was granted, never grants anew
            }
            if (reward.action() == Rules.Action.challenge && (store.holders(reward.key()) >= reward.challenge().winners()
                    || !store.claimChallengeSlot(reward.key(), contact, reward.challenge().winners()))) {
                continue;   // the slot makes the winners' count atomic across consumers (V23)
            }
            long requested = reward.points() != null ? reward.points()
                    : reward.draw() != null ? draw(reward.draw(), key) : 0;
            long points = requested;
            Long usedToday = null;
            Long usedThisMonth = null;
            if (reward.cap() != null) {
                if (!capsLocked) {
                    store.lockContactCaps(contact);   // the usage below is read after any other batch's grants commit
                    capsLocked = true;
                }
                if (reward.cap().perDay() != null) {
                    usedToday = store.pointsOnDay(contact, reward.key(), dayKey);
                    points = Math.min(points, reward.cap().perDay() - usedToday);
                }
                if (reward.cap().perMonth() != null) {
                    usedThisMonth = store.pointsInMonth(contact, reward.key(), monthKey);
                    points = Math.min(points, reward.cap().perMonth() - usedThisMonth);
                }
                if (points <= 0 && reward.item() == null) {
                    continue;
                }
                points = Math.max(0, points);
            }
            CatalogueStore.Grant item = null;
            if (reward.item() != null && catalogue != null) {
                item = chooseItem(rules, reward, key, contact, day, j).orElse(null);
                if (item == null && points <= 0) {
                    continue; // nothing to grant: no item left or matching, and no points
                }
            }
            RulesStore.Reward granted = new RulesStore.Reward(key, reward.key(), contact, m.id(), points, null,
                    reach(m), at, dayKey, monthKey, j.now());
            store.grant(granted);
            explain(key, contact, reward.key(), RuleReasons.withItem(
                    RuleReasons.reward(reward, m.channel(), points, requested, usedToday, usedThisMonth), item), j);
            out.add(rewardRecord(store.reward(key).orElse(granted)));
            touched.add(contact);
        }
        for (Rules.Badge badge : rules.badges()) {
            String key = key("badge:" + slug(badge.name()), contact, null);
            Optional<RulesStore.Reward> existing = store.reward(key);
            if (existing.isPresent()) {
                if (!touched.isEmpty() || !j.firstSeen()) {
                    out.add(rewardRecord(existing.get()));
                }
                continue;
            }
            if (!j.firstSeen()) {
                continue;
            }
            boolean reached = badge.atPoints() != null ? store.total(contact) >= badge.atPoints()
                    : store.count(contact, badge.rule()) >= badge.atCount();
            if (reached) {
                RulesStore.Reward granted = new RulesStore.Reward(key, "badge:" + slug(badge.name()), contact, m.id(), 0,
                        badge.name(), null, at, dayKey, monthKey, j.now());
                store.grant(granted);
                explain(key, contact, "badge:" + slug(badge.name()), RuleReasons.badge(badge, badge.atPoints() != null
                        ? store.total(contact) : store.count(contact, badge.rule())), j);
                out.add(rewardRecord(store.reward(key).orElse(granted)));
                touched.add(contact);
            }
        }
        for (Rules.Leaderboard board : rules.leaderboards()) {
            if (board.leaderBadge() == null || board.period() == Rules.Period.campaign) {
                continue;
            }
            // The previous period is over once a post of a later period is judged: its leader gets the badge (once).
            String previous = board.period() == Rules.Period.day ? day.minusDays(1).toString()
                    : YearMonth.from(day).minusMonths(1).toString();
            String column = board.period() == Rules.Period.day ? "day_key" : "month_key";
            String rule = "leader:" + board.key();
            String key = cut(rule + ":" + previous);
            Optional<RulesStore.Reward> existing = store.reward(key);
            if (existing.isPresent() && j.firstSeen()) {
                continue; // closed before: nothing to do (the common case, one lookup)
            }
            if (existing.isEmpty() && !j.firstSeen()) {
                continue;
            }
            List<RulesStore.Standing> top = existing.isPresent() ? List.of()
                    : store.leaderboard(board.rules(), column, previous, 1);
            if (existing.isEmpty() && top.isEmpty()) {
                continue;
            }
            RulesStore.Reward row = existing.orElseGet(() -> {
                String leader = top.get(0).contactId();
                long points = board.leaderPoints() == null ? 0 : board.leaderPoints();
                RulesStore.Reward granted = new RulesStore.Reward(key, rule, leader, null, points,
                        board.leaderBadge() + " " + previous, null, at, dayKey, monthKey, j.now());
                store.grant(granted);
                explain(key, leader, rule, RuleReasons.leader(board, previous, top.get(0).points()), j);
                return store.reward(key).orElse(granted);
            });
            if (existing.isEmpty() || !j.firstSeen()) {
                out.add(rewardRecord(row));
                if (row.contactId().equals(contact)) {
                    touched.add(contact);
                } else {
                    out.add(points(row.contactId()));
                }
            }
        }
        if (!touched.isEmpty()) {
            out.add(points(contact));
        }
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

    /** Whether the mention shows the reward's action (never a reward for what was not observed). */
    private boolean observed(Rules rules, Rules.Reward reward, JudgedMention j) {
        Mention m = j.mention();
        if (!reward.hashtags().isEmpty() && !hasAnyTag(m, reward.hashtags())) {
            return false;
        }
        MentionKind kind = m.kind();
        return switch (reward.action()) {
            case any -> true;
            case hashtag -> kind != MentionKind.REPOST; // amplifying is a share
            case mention -> kind != MentionKind.REPOST && namesBrand(rules.brand(), m);
            // A repost of the brand's content, or (for a reward with hashtags) of the campaign's content.
            case share -> (kind == MentionKind.REPOST || kind == MentionKind.QUOTE)
                    && (!reward.hashtags().isEmpty() || sharesBrand(rules.brand(), m));
            case answer -> answers(j);
            case challenge -> hasAnyTag(m, List.of(reward.challenge().hashtag()))
                    && reward.challenge().answers().stream().anyMatch(a -> contains(normal(m.text()), normal(a)));
        };
    }

    private boolean answers(JudgedMention j) {
        Mention m = j.mention();
        if (m.inReplyTo() == null || (m.kind() != MentionKind.REPLY && m.kind() != MentionKind.COMMENT)) {
            return false;
        }
        String intent = m.intent();
        if ("question".equals(intent) || "complaint".equals(intent)) {
            return false;
        }
        Optional<RulesStore.Logged> parent = store.logged(m.inReplyTo());
        String me = AuthorKeys.of(m.channel(), m.author() == null ? null : m.author().handle());
        return parent.isPresent() && "question".equals(parent.get().intent()) && !me.equals(parent.get().authorKey());
    }

    private static boolean namesBrand(Rules.Brand brand, Mention m) {
        if (mentionsHandle(brand, m)) {
            return true;
        }
        String text = normal(m.text());
        return brand.keywords().stream().anyMatch(k -> contains(text, normal(k)));
    }

    private boolean sharesBrand(Rules.Brand brand, Mention m) {
        if (mentionsHandle(brand, m)) {
            return true;
        }
        if (m.repostOf() != null) {
            Optional<RulesStore.Logged> original = store.logged(m.repostOf());
            if (original.isPresent()) {
                for (String h : brand.handles()) {
                    if (AuthorKeys.of(m.channel(), h).equals(original.get().authorKey())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean mentionsHandle(Rules.Brand brand, Mention m) {
        for (String h : brand.handles()) {
            String handle = strip(h, '@');
            if (m.mentions() != null && m.mentions().stream().anyMatch(x -> strip(x, '@').equalsIgnoreCase(handle))) {
                return true;
            }
            if (m.text() != null && m.text().toLowerCase(Locale.ROOT).contains("@" + handle.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasAnyTag(Mention m, List<String> tags) {
        List<String> have = new ArrayList<>();
        if (m.hashtags() != null) {
            m.hashtags().forEach(t -> have.add(strip(t, '#').toLowerCase(Locale.ROOT)));
        }
        String text = m.text() == null ? "" : m.text().toLowerCase(Locale.ROOT);
        for (String t : tags) {
            String tag = strip(t, '#').toLowerCase(Locale.ROOT);
            if (have.contains(tag) || java.util.regex.Pattern.compile("#" + java.util.regex.Pattern.quote(tag)
                    + "(?![\\p{L}\\p{N}_])").matcher(text).find()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Prize-draw points: min + SHA-256(seed ":" reward key) mod (max − min + 1). Anyone with the seed and the
     * {@code Social_Reward__c.External_Id__c} can recompute it (docs/rules.md).
     */
=======
    /** See {@link RewardPoints#draw}. */
>>>>>>> main
    public static long draw(Rules.Draw draw, String rewardKey) {
        return RewardPoints.draw(draw, rewardKey);
    }

    /** See {@link RewardJudge#reach}. */
    static Long reach(Mention m) {
        return RewardJudge.reach(m);
    }

    /** See {@link RewardJudge#withinRollingWindow}. */
    static boolean withinRollingWindow(Rules.Reward reward, LocalDate postDay, JudgedMention j) {
        return RewardJudge.withinRollingWindow(reward, postDay, j);
    }

    /** See {@link AdvocateJudge#tier}. */
    static String tier(List<Rules.Tier> tiers, MentionLog.WindowStats s, String current) {
        return AdvocateJudge.tier(tiers, s, current);
    }

    /** See {@link JudgeSupport#key}. */
    static String key(String rule, String contact, String detail) {
        return JudgeSupport.key(rule, contact, detail);
    }
}
