package io.hearth.rules;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

import io.hearth.crm.CrmCommand;
import io.hearth.crm.CrmMapping;
import io.hearth.enrich.AuthorKeys;
import io.hearth.enrich.JudgedMention;
import io.hearth.enrich.MentionJudge;
import io.hearth.enrich.MentionLog;
import io.hearth.enrich.Rejudging;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionKind;

/**
 * The rules of config/rules.yml applied to one judged mention (docs/rules.md):
 * <ul>
 * <li><b>rewards</b> (consenting contacts): each observed action gets a ledger row under a deterministic key
 * (rule + contact + mention or period), insert-once, and a {@code Social_Reward__c} upsert by that key; badges at
 * milestones and period leaders likewise; then the contact's {@code Social_Points__c} as the ledger's total;</li>
 * <li><b>advocates</b> (consenting contacts): the tier from the window statistics with hysteresis, pushed to the Contact
 * when it changes;</li>
 * <li><b>cases</b> (known contacts, or anyone above an influence; consent only if configured): one {@code Case} per
 * conversation, upserted by {@code Social_Conversation_Id__c}; later posts of the conversation join it.</li>
 * </ul>
 * A replayed or redelivered mention ({@link JudgedMention#firstSeen()} false) finds its ledger rows and case and yields
 * the same commands again (same keys, same values), and nothing new: nothing is granted twice or late, no case is opened
 * twice, no flag changes.
 */
public class RulesJudge implements MentionJudge {

    /** Salesforce's limit for the Text(255) external ids; longer keys keep their head and end in a hash. */
    static final int KEY_MAX = 255;
    private static final int DESCRIPTION_POSTS = 20;
    /** hearth_rule_reason key of a contact's advocate flag. */
    static final String ADVOCATE = "advocate:";

    private final Supplier<Rules> rules;
    private final RulesStore store;
    private final MentionLog log;
    private final CrmMapping mapping;
    /** Catalogue items and the reasons behind results (issue 13); null: neither (older wiring in tests). */
    private final CatalogueStore catalogue;

    public RulesJudge(Supplier<Rules> rules, RulesStore store, MentionLog log, CrmMapping mapping) {
        this(rules, store, log, mapping, null);
    }

    public RulesJudge(Supplier<Rules> rules, RulesStore store, MentionLog log, CrmMapping mapping,
                      CatalogueStore catalogue) {
        this.rules = rules;
        this.store = store;
        this.log = log;
        this.mapping = mapping;
        this.catalogue = catalogue;
    }

    /** Reward triggers (issue 13): the outbox the grants of rules with {@code triggers:} are written to; null: none. */
    private io.hearth.rules.triggers.RewardTriggers triggers;

    public RulesJudge withTriggers(io.hearth.rules.triggers.RewardTriggers triggers) {
        this.triggers = triggers;
        return this;
    }

    /** Days of posts the interest profile for catalogue choices covers (as the Contact's Social_Interests__c). */
    static final int INTEREST_DAYS = 90;
    static final int INTEREST_TOP = 10;

    @Override
    public List<CrmCommand> judge(JudgedMention j) {
        Rules r = rules.get();
        List<CrmCommand> out = new ArrayList<>();
        if (j.consented()) {
            rewards(r, j, out);
            advocates(r, j, out);
        }
        cases(r, j, out);
        return out;
    }

    // --- rewards --------------------------------------------------------------------------------------------------

    private void rewards(Rules rules, JudgedMention j, List<CrmCommand> out) {
        Mention m = j.mention();
        String contact = j.contactId();
        Instant at = postedAt(j);
        LocalDate day = at.atZone(ZoneOffset.UTC).toLocalDate();
        String dayKey = day.toString();
        String monthKey = YearMonth.from(day).toString();
        List<String> touched = new ArrayList<>();
        for (Rules.Reward reward : rules.rewards()) {
            if ((reward.from() != null && day.isBefore(reward.from()))
                    || (reward.until() != null && day.isAfter(reward.until()))
                    || !withinRollingWindow(reward, day, j)) {
                continue;
            }
            if (!observed(rules, reward, j) || !Rejudging.Scope.rule(reward.key())) {
                continue;   // a backfill re-judges only the rules it names
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
            boolean added = store.grant(granted);
            String why = RuleReasons.withItem(
                    RuleReasons.reward(reward, m.channel(), points, requested, usedToday, usedThisMonth), item);
            explain(key, contact, reward.key(), why, j);
            if (added) {
                Rejudging.Scope.rewardAdded();
                trigger(reward, granted, item, why, j);
            }
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
                if (store.grant(granted)) {
                    Rejudging.Scope.rewardAdded();
                }
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
    public static long draw(Rules.Draw draw, String rewardKey) {
        byte[] h = sha256(draw.seed() + ":" + rewardKey);
        BigInteger span = BigInteger.valueOf(draw.max() - draw.min() + 1);
        return draw.min() + new BigInteger(1, h).mod(span).longValueExact();
    }

    /** The grant's triggers, fixed now in the outbox (docs/rules.md "Reward triggers"). */
    private void trigger(Rules.Reward reward, RulesStore.Reward granted, CatalogueStore.Grant item, String why,
                         JudgedMention j) {
        if (triggers == null || reward.triggers().isEmpty()) {
            return;
        }
        triggers.record(new io.hearth.rules.triggers.RewardTriggers.Granted(granted.key(), granted.rule(),
                granted.contactId(), granted.mentionId(), granted.points(), item == null ? null : item.itemKey(),
                item == null ? null : item.reason(), RuleReasons.cut(why), granted.awardedAt()), reward.triggers(), j.now());
    }

    private CrmCommand rewardRecord(RulesStore.Reward r) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("Contact__c", r.contactId());
        f.put("Rule__c", r.rule());
        f.put("Points__c", r.points());
        f.put("Badge__c", r.badge());
        f.put("Reach__c", r.reach());
        if (r.mentionId() != null) {
            Map<String, Object> parent = new LinkedHashMap<>();
            parent.put(mapping.name("External_Id__c"), r.mentionId());
            f.put(relationship(mapping.name("Mention__c")), parent);
        }
        f.put("Awarded_At__c", r.awardedAt().toString());
        if (catalogue != null) {
            catalogue.reason(r.key()).ifPresent(why -> f.put("Reason__c", why.reason()));
            catalogue.grant(r.key()).ifPresent(g -> {
                f.put("Item__c", g.itemKey());
                f.put("Item_Reason__c", g.reason());
            });
        }
        return mapping.upsert("Social_Reward__c", "External_Id__c", r.key(), f);
    }

    /** The reward's catalogue item: granted before under this key, else chosen by the contact's interests and claimed. */
    private Optional<CatalogueStore.Grant> chooseItem(Rules rules, Rules.Reward reward, String key, String contact,
                                                      LocalDate day, JudgedMention j) {
        Optional<CatalogueStore.Grant> before = catalogue.grant(key);
        if (before.isPresent()) {
            return before;
        }
        List<String> interests = log.topInterests(contact, j.now().minus(Duration.ofDays(INTEREST_DAYS)), INTEREST_TOP);
        List<CatalogueChooser.Choice> choices = CatalogueChooser.rank(rules.catalogue(), reward.item(), interests, day,
                catalogue::taken, item -> catalogue.held(contact, item));
        return catalogue.claim(key, contact, choices, day, j.now());
    }

    /** Records the rule key and reason of a record once (insert-once by its key); replays send the recorded one. */
    private void explain(String recordKey, String contact, String ruleKey, String reason, JudgedMention j) {
        if (catalogue != null) {
            catalogue.reasonOnce(recordKey, contact, ruleKey, reason, j.now());
        }
    }

    private CrmCommand points(String contactId) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("Social_Points__c", store.total(contactId));
        return mapping.update("Contact", contactId, f);
    }

    // --- advocates ------------------------------------------------------------------------------------------------

    private void advocates(Rules rules, JudgedMention j, List<CrmCommand> out) {
        if (rules.advocates() == null || rules.advocates().tiers().isEmpty()) {
            return;
        }
        String contact = j.contactId();
        MentionLog.WindowStats stats = log.stats(contact, j.now().minus(Duration.ofDays(rules.advocates().windowDays())));
        Optional<RulesStore.AdvocateState> state = store.advocate(contact);
        if (!j.firstSeen()) {
            // A replay re-sends the state as it is (absolute: no flag changes), never moves it.
            state.ifPresent(s -> out.add(advocateUpdate(contact, s)));
            return;
        }
        String current = state.map(RulesStore.AdvocateState::tier).orElse(null);
        String next = tier(rules.advocates().tiers(), stats, current);
        if (Objects.equals(current, next)) {
            return;
        }
        Instant since = next == null ? null
                : current != null && state.get().since() != null ? state.get().since() : j.now();
        RulesStore.AdvocateState changed = new RulesStore.AdvocateState(contact, next, since);
        store.saveAdvocate(changed, j.now());
        Rejudging.Scope.flagChanged();
        if (catalogue != null) {
            catalogue.saveReason(ADVOCATE + contact, contact, "advocates:" + (next != null ? next : current),
                    RuleReasons.advocate(rules.advocates().tiers(), current, next, stats, rules.advocates().windowDays()),
                    j.now());
        }
        out.add(advocateUpdate(contact, changed));
    }

    /**
     * The tier a contact is in: the highest tier whose enter thresholds are met; but a contact in a tier stays in it
     * (or above what the enter thresholds give) while its leave thresholds are still met — hysteresis.
     */
    static String tier(List<Rules.Tier> tiers, MentionLog.WindowStats s, String current) {
        int entered = -1;
        for (int i = 0; i < tiers.size(); i++) {
            if (meets(tiers.get(i).enter(), s)) {
                entered = i;
                break;
            }
        }
        int held = -1;
        for (int i = 0; i < tiers.size(); i++) {
            if (tiers.get(i).name().equals(current)) {
                Rules.Tier t = tiers.get(i);
                held = meets(t.leave() == null ? t.enter() : t.leave(), s) ? i : -1;
            }
        }
        int best = entered < 0 ? held : held < 0 ? entered : Math.min(entered, held);
        return best < 0 ? null : tiers.get(best).name();
    }

    private static boolean meets(Rules.Thresholds t, MentionLog.WindowStats s) {
        if (t.positiveMentions() != null && s.positive() < t.positiveMentions()) {
            return false;
        }
        if (t.averageSentiment() != null && (s.averageSentiment() == null || s.averageSentiment() < t.averageSentiment())) {
            return false;
        }
        return t.influence() == null || (s.maxInfluence() != null && s.maxInfluence() >= t.influence());
    }

    private CrmCommand advocateUpdate(String contact, RulesStore.AdvocateState s) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("Advocate__c", s.tier() != null);
        f.put("Advocate_Tier__c", s.tier());
        f.put("Advocate_Since__c", s.since() == null ? null : s.since().atZone(ZoneOffset.UTC).toLocalDate().toString());
        if (catalogue != null) {
            catalogue.reason(ADVOCATE + contact).ifPresent(why -> {
                f.put("Advocate_Rule__c", why.ruleKey());
                f.put("Advocate_Reason__c", why.reason());
            });
        }
        return mapping.update("Contact", contact, f);
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

    // --- cases ----------------------------------------------------------------------------------------------------

    private void cases(Rules rules, JudgedMention j, List<CrmCommand> out) {
        if (!Rejudging.Scope.cases()) {
            return; // a backfill without cases: true
        }
        Rules.Cases c = rules.cases();
        if (c == null || !c.enabled()) {
            return;
        }
        Mention m = j.mention();
        String authorKey = caseAuthorKey(m);
        String conversation = conversationKey(m);
        Instant at = postedAt(j);
        boolean wanted = c.intents().contains(m.intent()) && keywordsMatch(c, m);
        boolean eligible = j.known() ? (!c.requireConsent() || j.consented())
                : c.who() == Rules.Who.anyone && m.influence() != null && m.influence() >= c.minInfluence();

        String caseKey = store.caseOfMention(m.id()).orElse(null);
        if (caseKey == null && !j.firstSeen()) {
            return; // a replay repeats the case a post joined, never opens or joins one anew
        }
        if (caseKey == null) {
            Optional<String> ofConversation = store.caseOfConversation(conversation);
            if (ofConversation.isPresent()) {
                // A later post in the case's conversation by its author joins the case, whatever its intent.
                RulesStore.CaseState state = store.caseState(ofConversation.get()).orElse(null);
                if (state != null && state.authorKey().equals(authorKey)) {
                    caseKey = ofConversation.get();
                }
            } else if (wanted && eligible && c.joinAuthorWithinHours() > 0) {
                caseKey = store.recentCaseOf(authorKey, at.minus(Duration.ofHours(c.joinAuthorWithinHours()))).orElse(null);
            }
            if (caseKey == null) {
                if (!(wanted && eligible) || ofConversation.isPresent()) {
                    return;
                }
                caseKey = key("case", null, conversation);
                store.openCase(new RulesStore.CaseState(caseKey, authorKey, j.contactId(), m.id(), at));
                if (catalogue != null) {
                    String keyword = c.keywords().stream().filter(k -> normal(m.text()).contains(normal(k))).findFirst()
                            .orElse(null);
                    catalogue.reasonOnce(caseKey, j.contactId(), "cases:" + m.intent(), RuleReasons.caseOpened(m.intent(),
                            m.channel(), j.known(), m.influence(), c, keyword), j.now());
                }
            }
            store.addToCase(caseKey, conversation, m.id(), at);
        }
        RulesStore.CaseState state = store.caseState(caseKey).orElse(null);
        if (state == null) {
            return; // the case's author was erased (privacy): nothing to add to
        }
        if (state.openedMention().equals(m.id()) && !j.consented()) {
            // The enrich stage writes Social_Mention__c only for consenting contacts; the case needs its post anyway.
            out.add(caseMention(j));
        }
        out.add(caseRecord(c, state, j));
    }

    private CrmCommand caseRecord(Rules.Cases cases, RulesStore.CaseState state, JudgedMention j) {
        List<RulesStore.Logged> posts = new ArrayList<>();
        for (String id : store.mentionsOfCase(state.caseKey())) {
            store.logged(id).ifPresent(posts::add);
        }
        RulesStore.Logged first = posts.isEmpty() ? null : posts.get(0);
        String priority = "Low";
        Rules.Priority p = cases.priority();
        for (RulesStore.Logged post : posts) {
            priority = max(priority, priority(p, post.influence(), post.sentiment()));
        }
        StringBuilder d = new StringBuilder();
        int from = Math.max(0, posts.size() - DESCRIPTION_POSTS);
        if (from > 0) {
            d.append("(").append(from).append(" earlier post(s) not shown)\n\n");
        }
        for (RulesStore.Logged post : posts.subList(from, posts.size())) {
            d.append(post.createdAt()).append(" · ").append(post.channel());
            if (post.handle() != null) {
                d.append(" · @").append(post.handle());
            }
            d.append(" · ").append(post.intent() == null ? "other" : post.intent());
            if (post.sentiment() != null) {
                d.append(String.format(Locale.ROOT, " · sentiment %.2f", post.sentiment()));
            }
            if (post.influence() != null) {
                d.append(" · influence ").append(post.influence());
            }
            d.append('\n').append(post.text() == null ? "(text purged by retention)" : post.text()).append("\n\n");
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("Origin", "Social");
        String contact = state.contactId() != null ? state.contactId() : j.contactId();
        if (contact != null) {
            f.put("ContactId", contact);
        }
        f.put("Priority", priority);
        String intent = first == null || first.intent() == null ? "post" : first.intent();
        String text = first == null || first.text() == null ? "" : first.text().replaceAll("\\s+", " ").strip();
        f.put("Subject", cutTo("Social " + intent + " on " + (first == null ? j.mention().channel() : first.channel())
                + ": " + text, 255));
        f.put("Description", cutTo(d.toString().strip(), 32_000));
        Map<String, Object> parent = new LinkedHashMap<>();
        parent.put(mapping.name("External_Id__c"), state.openedMention());
        f.put(relationship(mapping.name("Social_Mention__c")), parent);
        if (catalogue != null) {
            catalogue.reason(state.caseKey()).ifPresent(why -> {
                f.put("Social_Rule__c", why.ruleKey());
                f.put("Social_Reason__c", why.reason());
            });
        }
        return mapping.upsert("Case", "Social_Conversation_Id__c", state.caseKey(), f);
    }

    private CrmCommand caseMention(JudgedMention j) {
        Mention m = j.mention();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("Channel__c", m.channel());
        f.put("Author_Handle__c", cutTo(m.author() == null ? null : m.author().handle(), 255));
        f.put("Text__c", cutTo(m.text(), 32_768));
        f.put("Url__c", m.url() != null && m.url().length() <= 255 ? m.url() : null);
        f.put("Posted_At__c", m.createdAt() == null ? null : m.createdAt().toString());
        f.put("Kind__c", m.kind() == null ? null : m.kind().name().toLowerCase(Locale.ROOT));
        f.put("Sentiment__c", m.sentiment() == null ? null : Math.round(m.sentiment() * 100) / 100.0);
        f.put("Intent__c", m.intent());
        f.put("Influence__c", m.influence());
        return mapping.upsert("Social_Mention__c", "External_Id__c", m.id(), f);
    }

    /**
     * Who a case belongs to, pseudonymised: by handle, else by the channel's author id (Facebook pages give no handle),
     * else nobody else (the post's own id), so authors without a handle never share a case.
     */
    static String caseAuthorKey(Mention m) {
        Mention.Author a = m.author();
        if (a != null && a.handle() != null && !a.handle().isBlank()) {
            return AuthorKeys.of(m.channel(), a.handle());
        }
        if (a != null && a.nativeId() != null && !a.nativeId().isBlank()) {
            return AuthorKeys.of(m.channel(), "id:" + a.nativeId());
        }
        return AuthorKeys.of(m.channel(), "post:" + m.id());
    }

    static String priority(Rules.Priority p, Integer influence, Double sentiment) {
        int inf = influence == null ? 0 : influence;
        if (inf >= p.highInfluence() || (sentiment != null && sentiment <= p.highSentiment())) {
            return "High";
        }
        return inf < p.lowInfluence() && (sentiment == null || sentiment > -0.25) ? "Low" : "Medium";
    }

    private static String max(String a, String b) {
        List<String> order = List.of("Low", "Medium", "High");
        return order.indexOf(a) >= order.indexOf(b) ? a : b;
    }

    private static boolean keywordsMatch(Rules.Cases c, Mention m) {
        if (c.keywords().isEmpty()) {
            return true;
        }
        String text = normal(m.text());
        return c.keywords().stream().anyMatch(k -> text.contains(normal(k)));
    }

    /**
     * The conversation a post belongs to: the channel's conversation id, else the conversation of the post it replies
     * to (as far as the hub has seen it), else the post itself; always prefixed with the channel.
     */
    String conversationKey(Mention m) {
        String conversation = m.conversationId();
        if ((conversation == null || conversation.isBlank()) && m.inReplyTo() != null) {
            conversation = store.conversationOfMention(m.inReplyTo())
                    .or(() -> store.logged(m.inReplyTo()).map(l -> l.conversationId() != null ? l.conversationId()
                            : l.mentionId()))
                    .orElse(m.inReplyTo());
        }
        if (conversation == null || conversation.isBlank()) {
            conversation = m.id();
        }
        return conversation.startsWith(m.channel() + ":") ? conversation : m.channel() + ":" + conversation;
    }

    // --- helpers --------------------------------------------------------------------------------------------------

    private static Instant postedAt(JudgedMention j) {
        return j.mention().createdAt() != null ? j.mention().createdAt() : j.now();
    }

    /** rule:contact:detail, within {@link #KEY_MAX}. */
    static String key(String rule, String contact, String detail) {
        StringBuilder b = new StringBuilder(rule);
        if (contact != null) {
            b.append(':').append(contact);
        }
        if (detail != null) {
            b.append(':').append(detail);
        }
        return cut(b.toString());
    }

    private static String cut(String key) {
        if (key.length() <= KEY_MAX) {
            return key;
        }
        String hash = HexFormat.of().formatHex(sha256(key)).substring(0, 32);
        return key.substring(0, KEY_MAX - 34) + "#h" + hash;
    }

    private static String relationship(String lookupField) {
        return lookupField.endsWith("__c") ? lookupField.substring(0, lookupField.length() - 3) + "__r" : lookupField;
    }

    private static String slug(String s) {
        return normal(s).replace(' ', '-');
    }

    /** Lower case, accents and punctuation removed, single spaces: how answers and keywords are compared. */
    static String normal(String s) {
        if (s == null) {
            return "";
        }
        String n = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        return n.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
    }

    private static boolean contains(String haystack, String needle) {
        return !needle.isEmpty() && (" " + haystack + " ").contains(" " + needle + " ");
    }

    private static String strip(String s, char prefix) {
        return s != null && !s.isEmpty() && s.charAt(0) == prefix ? s.substring(1) : s == null ? "" : s;
    }

    private static String cutTo(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
