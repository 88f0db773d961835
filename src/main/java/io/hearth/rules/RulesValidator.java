package io.hearth.rules;

import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.error.Mark;

/**
 * What binding cannot check in config/rules.yml (negative caps, dates in the wrong order, unknown rule references), one
 * section at a time in the file's order: advocates, catalogue, rewards, badges, leaderboards, cases. The first problem
 * fails as a {@link RulesException} at the field's line and column ({@code file line L, column C: field: problem}).
 */
final class RulesValidator {

    private static final Pattern KEY = Pattern.compile("[a-z0-9][a-z0-9-]{0,39}");
    private static final String KEY_RULE = "is required: lower-case letters, digits and dashes, at most 40";
    private static final Set<String> INTENTS = Set.of("question", "complaint", "praise", "other");

    private final String file;
    private final Map<String, Mark> marks;

    private RulesValidator(String file, Map<String, Mark> marks) {
        this.file = file;
        this.marks = marks;
    }

    /** Checks the bound rules; {@code marks}: each field path's position in the file. */
    static void validate(String file, Map<String, Mark> marks, Rules rules) {
        RulesValidator v = new RulesValidator(file, marks);
        if (rules.advocates() != null) {
            v.advocates(rules.advocates());
        }
        Set<String> items = v.catalogue(rules.catalogue());
        Set<String> rewards = v.rewards(rules.rewards(), items);
        v.badges(rules.badges(), rewards);
        v.leaderboards(rules.leaderboards(), rewards);
        if (rules.cases() != null) {
            v.cases(rules.cases());
        }
    }

    // --- advocates ------------------------------------------------------------------------------------------------

    private void advocates(Rules.Advocates a) {
        if (a.windowDays() < 1 || a.windowDays() > 3650) {
            throw error("advocates.window-days", "must be 1..3650, was " + a.windowDays());
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < a.tiers().size(); i++) {
            tier("advocates.tiers[" + i + "]", a.tiers().get(i), names);
        }
    }

    private void tier(String p, Rules.Tier t, Set<String> names) {
        if (t.name() == null || t.name().isBlank() || t.name().length() > 40) {
            throw error(p + ".name", "is required (1..40 characters)");
        }
        if (!names.add(t.name())) {
            throw error(p + ".name", "tier '" + t.name() + "' is listed twice");
        }
        if (t.enter() == null) {
            throw error(p + ".enter", "is required (positive-mentions, average-sentiment, influence)");
        }
        thresholds(p + ".enter", t.enter());
        if (t.leave() != null) {
            thresholds(p + ".leave", t.leave());
            hysteresis(p, "positive-mentions", t.enter().positiveMentions(), t.leave().positiveMentions());
            hysteresis(p, "average-sentiment", t.enter().averageSentiment(), t.leave().averageSentiment());
            hysteresis(p, "influence", t.enter().influence(), t.leave().influence());
        }
    }

    private void thresholds(String p, Rules.Thresholds t) {
        if (t.positiveMentions() != null && t.positiveMentions() < 0) {
            throw error(p + ".positive-mentions", "must not be negative, was " + t.positiveMentions());
        }
        if (t.averageSentiment() != null && (t.averageSentiment() < -1 || t.averageSentiment() > 1)) {
            throw error(p + ".average-sentiment", "must be -1..1, was " + t.averageSentiment());
        }
        if (t.influence() != null && (t.influence() < 0 || t.influence() > 100)) {
            throw error(p + ".influence", "must be 0..100, was " + t.influence());
        }
    }

    private <T extends Comparable<T>> void hysteresis(String p, String field, T enter, T leave) {
        if (leave != null && enter != null && leave.compareTo(enter) > 0) {
            throw error(p + ".leave." + field, "must not be above enter." + field + " (" + enter
                    + "): the leave threshold is the lower one");
        }
        if (leave != null && enter == null) {
            throw error(p + ".leave." + field, "has no enter." + field);
        }
    }

    // --- catalogue ------------------------------------------------------------------------------------------------

    /** The reward catalogue: keys, stock, limits and windows. Returns the item keys. */
    private Set<String> catalogue(List<Rules.CatalogueItem> catalogue) {
        Set<String> items = new LinkedHashSet<>();
        for (int i = 0; i < catalogue.size(); i++) {
            item("catalogue[" + i + "]", catalogue.get(i), items);
        }
        return items;
    }

    private void item(String p, Rules.CatalogueItem c, Set<String> items) {
        if (c.key() == null || !KEY.matcher(c.key()).matches()) {
            throw error(p + ".key", KEY_RULE);
        }
        if (!items.add(c.key())) {
            throw error(p + ".key", "item '" + c.key() + "' is listed twice");
        }
        if (c.name() != null && (c.name().isBlank() || c.name().length() > 80)) {
            throw error(p + ".name", "must be 1..80 characters");
        }
        for (int j = 0; j < c.interests().size(); j++) {
            String t = c.interests().get(j);
            if (t == null || CatalogueChooser.tag(t).isBlank()) {
                throw error(p + ".interests[" + j + "]", "must not be empty");
            }
        }
        if (c.stock() != null && c.stock() < 0) {
            throw error(p + ".stock", "must not be negative, was " + c.stock());
        }
        if (c.perContact() < 1) {
            throw error(p + ".per-contact", "must be at least 1, was " + c.perContact());
        }
        if (c.from() != null && c.until() != null && c.until().isBefore(c.from())) {
            throw error(p + ".until", "is before from (" + c.from() + ")");
        }
    }

    // --- rewards --------------------------------------------------------------------------------------------------

    /** Returns the reward keys. */
    private Set<String> rewards(List<Rules.Reward> rewards, Set<String> items) {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < rewards.size(); i++) {
            reward("rewards[" + i + "]", rewards.get(i), keys, items);
        }
        return keys;
    }

    private void reward(String p, Rules.Reward r, Set<String> keys, Set<String> items) {
        if (r.key() == null || !KEY.matcher(r.key()).matches()) {
            throw error(p + ".key", KEY_RULE);
        }
        if (!keys.add(r.key())) {
            throw error(p + ".key", "reward '" + r.key() + "' is listed twice");
        }
        if (r.action() == null) {
            throw error(p + ".action", "is required (mention, share, answer, hashtag, challenge, any)");
        }
        if (r.item() == null && (r.points() == null) == (r.draw() == null)) {
            throw error(p, "needs exactly one of points: or draw:");
        }
        if (r.item() != null) {
            if (r.points() != null && r.draw() != null) {
                throw error(p, "needs at most one of points: or draw: with item:");
            }
            itemGrant(p + ".item", r.item(), items);
        }
        if (new java.util.HashSet<>(r.triggers()).size() != r.triggers().size()) {
            throw error(p + ".triggers", "lists a trigger twice: " + r.triggers());
        }
        if (r.points() != null && r.points() < 0) {
            throw error(p + ".points", "must not be negative, was " + r.points());
        }
        if (r.draw() != null) {
            draw(p + ".draw", r.draw());
        }
        if (r.cap() != null) {
            cap(p + ".cap", r.cap());
        }
        if (r.withinDays() != null && (r.withinDays() < 1 || r.withinDays() > 3650)) {
            throw error(p + ".within-days", "must be 1..3650, was " + r.withinDays());
        }
        if (r.from() != null && r.until() != null && r.until().isBefore(r.from())) {
            throw error(p + ".until", "is before from (" + r.from() + ")");
        }
        if (r.action() == Rules.Action.hashtag && r.hashtags().isEmpty()) {
            throw error(p + ".hashtags", "is required for action hashtag");
        }
        if (r.action() == Rules.Action.challenge) {
            challenge(p + ".challenge", r.challenge());
        } else if (r.challenge() != null) {
            throw error(p + ".challenge", "only for action challenge");
        }
    }

    private void itemGrant(String p, Rules.ItemGrant item, Set<String> items) {
        if (items.isEmpty()) {
            throw error(p, "needs a catalogue: (no items are defined)");
        }
        for (int j = 0; j < item.from().size(); j++) {
            if (!items.contains(item.from().get(j))) {
                throw error(p + ".from[" + j + "]", "no catalogue item '" + item.from().get(j) + "' (items: "
                        + String.join(", ", items) + ")");
            }
        }
        if (item.fallback() != null) {
            if (!items.contains(item.fallback())) {
                throw error(p + ".fallback", "no catalogue item '" + item.fallback() + "' (items: "
                        + String.join(", ", items) + ")");
            }
            if (!item.from().isEmpty() && !item.from().contains(item.fallback())) {
                throw error(p + ".fallback", "must be one of from (" + String.join(", ", item.from()) + ")");
            }
        }
    }

    private void draw(String p, Rules.Draw d) {
        if (d.min() == null || d.min() < 0) {
            throw error(p + ".min", "is required and must not be negative");
        }
        if (d.max() == null || d.max() < d.min()) {
            throw error(p + ".max", "is required and must be at least draw.min");
        }
        if (d.seed() == null || d.seed().isBlank()) {
            throw error(p + ".seed", "is required (it makes every draw reproducible)");
        }
    }

    private void cap(String p, Rules.Cap cap) {
        if (cap.perDay() != null && cap.perDay() < 0) {
            throw error(p + ".per-day", "must not be negative, was " + cap.perDay());
        }
        if (cap.perMonth() != null && cap.perMonth() < 0) {
            throw error(p + ".per-month", "must not be negative, was " + cap.perMonth());
        }
    }

    private void challenge(String p, Rules.Challenge c) {
        if (c == null) {
            throw error(p, "is required for action challenge (hashtag, answers, winners)");
        }
        if (c.hashtag() == null || c.hashtag().isBlank()) {
            throw error(p + ".hashtag", "is required");
        }
        if (c.answers().isEmpty()) {
            throw error(p + ".answers", "needs at least one accepted answer");
        }
        if (c.winners() == null || c.winners() < 1) {
            throw error(p + ".winners", "must be at least 1");
        }
    }

    // --- badges and leaderboards ----------------------------------------------------------------------------------

    private void badges(List<Rules.Badge> badges, Set<String> rewards) {
        for (int i = 0; i < badges.size(); i++) {
            badge("badges[" + i + "]", badges.get(i), rewards);
        }
    }

    private void badge(String p, Rules.Badge b, Set<String> rewards) {
        if (b.name() == null || b.name().isBlank() || b.name().length() > 80) {
            throw error(p + ".name", "is required (1..80 characters)");
        }
        if ((b.atPoints() == null) == (b.atCount() == null)) {
            throw error(p, "needs exactly one of at-points: or at-count: (with rule:)");
        }
        if (b.atPoints() != null && b.atPoints() < 1) {
            throw error(p + ".at-points", "must be at least 1");
        }
        if (b.atCount() != null) {
            if (b.atCount() < 1) {
                throw error(p + ".at-count", "must be at least 1");
            }
            if (b.rule() == null || !rewards.contains(b.rule())) {
                throw error(p + ".rule", "must name a reward key (" + String.join(", ", rewards) + ")");
            }
        }
    }

    private void leaderboards(List<Rules.Leaderboard> leaderboards, Set<String> rewards) {
        Set<String> boards = new HashSet<>();
        for (int i = 0; i < leaderboards.size(); i++) {
            leaderboard("leaderboards[" + i + "]", leaderboards.get(i), boards, rewards);
        }
    }

    private void leaderboard(String p, Rules.Leaderboard l, Set<String> boards, Set<String> rewards) {
        if (l.key() == null || !KEY.matcher(l.key()).matches()) {
            throw error(p + ".key", KEY_RULE);
        }
        if (!boards.add(l.key())) {
            throw error(p + ".key", "leaderboard '" + l.key() + "' is listed twice");
        }
        for (int j = 0; j < l.rules().size(); j++) {
            if (!rewards.contains(l.rules().get(j))) {
                throw error(p + ".rules[" + j + "]", "no reward '" + l.rules().get(j) + "'");
            }
        }
        if (l.leaderPoints() != null && l.leaderPoints() < 0) {
            throw error(p + ".leader-points", "must not be negative, was " + l.leaderPoints());
        }
    }

    // --- cases ----------------------------------------------------------------------------------------------------

    private void cases(Rules.Cases c) {
        for (int i = 0; i < c.intents().size(); i++) {
            if (!INTENTS.contains(c.intents().get(i))) {
                throw error("cases.intents[" + i + "]", "'" + c.intents().get(i)
                        + "' is not an intent (question, complaint, praise, other)");
            }
        }
        if (c.minInfluence() != null && (c.minInfluence() < 0 || c.minInfluence() > 100)) {
            throw error("cases.min-influence", "must be 0..100, was " + c.minInfluence());
        }
        if (c.who() == Rules.Who.anyone && c.minInfluence() == null) {
            throw error("cases.min-influence", "is required with who: anyone");
        }
        if (c.joinAuthorWithinHours() < 0) {
            throw error("cases.join-author-within-hours", "must not be negative");
        }
    }

    private RulesException error(String path, String problem) {
        return RulesLoader.error(file, marks, path, problem);
    }
}
