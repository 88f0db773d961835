package io.hearth.rules;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.hearth.crm.CrmCommand;
import io.hearth.crm.CrmMapping;
import io.hearth.enrich.JudgedMention;
import io.hearth.enrich.MentionLog;

/**
 * Advocate tiers for one consenting contact's mention: the tier from the window statistics with hysteresis
 * ({@link #tier}), pushed to the Contact when it changes; a replay re-sends the state as it is.
 */
final class AdvocateJudge {

    /** hearth_rule_reason key of a contact's advocate flag. */
    static final String ADVOCATE = "advocate:";

    private final RulesStore store;
    private final MentionLog log;
    private final CrmMapping mapping;
    /** null: no reasons (older wiring in tests). */
    private final CatalogueStore catalogue;

    AdvocateJudge(RulesStore store, MentionLog log, CrmMapping mapping, CatalogueStore catalogue) {
        this.store = store;
        this.log = log;
        this.mapping = mapping;
        this.catalogue = catalogue;
    }

    void judge(Rules rules, JudgedMention j, List<CrmCommand> out) {
        if (rules.advocates() == null || rules.advocates().tiers().isEmpty()) {
            return;
        }
        String contact = j.contactId();
        MentionLog.WindowStats stats = log.stats(contact, j.now().minus(Duration.ofDays(rules.advocates().windowDays())));
        Optional<RulesStore.AdvocateState> state = store.advocate(contact);
        if (!j.firstSeen()) {
            // A replay re-sends the state as it is (absolute: no flag changes), never moves it; and only when the replayed
            // mention made the last change (its first commands may have rolled back). Another mention's change was that
            // mention's to send: sent again here it was one more write of the same values (docs/reliability.md).
            // A state from before V37 names no mention: sent, as before.
            state.filter(s -> s.changedBy() == null || s.changedBy().equals(j.mention().id()))
                    .ifPresent(s -> out.add(update(contact, s)));
            return;
        }
        String current = state.map(RulesStore.AdvocateState::tier).orElse(null);
        String next = tier(rules.advocates().tiers(), stats, current);
        if (Objects.equals(current, next)) {
            return;
        }
        Instant since = next == null ? null
                : current != null && state.get().since() != null ? state.get().since() : j.now();
        RulesStore.AdvocateState changed = new RulesStore.AdvocateState(contact, next, since, j.mention().id());
        store.saveAdvocate(changed, j.now());
        io.hearth.enrich.Rejudging.Scope.flagChanged();
        if (catalogue != null) {
            catalogue.saveReason(ADVOCATE + contact, contact, "advocates:" + (next != null ? next : current),
                    RuleReasons.advocate(rules.advocates().tiers(), current, next, stats, rules.advocates().windowDays()),
                    j.now());
        }
        out.add(update(contact, changed));
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

    static boolean meets(Rules.Thresholds t, MentionLog.WindowStats s) {
        if (t.positiveMentions() != null && s.positive() < t.positiveMentions()) {
            return false;
        }
        if (t.averageSentiment() != null && (s.averageSentiment() == null || s.averageSentiment() < t.averageSentiment())) {
            return false;
        }
        return t.influence() == null || (s.maxInfluence() != null && s.maxInfluence() >= t.influence());
    }

    private CrmCommand update(String contact, RulesStore.AdvocateState s) {
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
}
