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

    /** Reward triggers (issue 13): the outbox new grants of rules with {@code triggers:} go to; null: none. */
    public RulesJudge withTriggers(io.hearth.rules.triggers.RewardTriggers triggers) {
        rewards.triggers(triggers);
        return this;
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

    /** See {@link CaseJudge#priority}: the priority one post gives its case (the operator console shows it). */
    public static String priority(Rules.Priority p, Integer influence, Double sentiment) {
        return CaseJudge.priority(p, influence, sentiment);
    }

    /** Tells the case judge which posts are the brand's own (hearth.service.brand-accounts): they never open a case. */
    public void brandPosts(java.util.function.Predicate<Mention> brandPost) {
        cases.brandPosts(brandPost);
    }

    /** The conversation a post belongs to, as cases key it ({@code <channel>:<conversation>}); see {@link CaseJudge}. */
    public String conversationKey(Mention m) {
        return cases.conversationKey(m);
    }

    /** See {@link RewardPoints#draw}. */
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
