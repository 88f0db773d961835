package io.hearth.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.hearth.enrich.MentionLog;

/**
 * The one-line reasons a CRM admin reads on a reward, an advocate flag or a case (docs/rules.md, "Why: rule keys and
 * reasons"): what was observed and which thresholds it met, in plain words, at most 255 characters. Built from the
 * rule and the facts the judge decided on, so the line matches the decision.
 */
public final class RuleReasons {

    static final int MAX = 255;

    private RuleReasons() {
    }

    /** e.g. "share of brand content on x, 5 points (cap 25/day: 20 before)". */
    public static String reward(Rules.Reward rule, String channel, long points, long requested, Long usedToday,
                                Long usedThisMonth) {
        StringBuilder b = new StringBuilder(observed(rule)).append(" on ").append(channel);
        b.append(", ").append(points).append(points == 1 ? " point" : " points");
        if (rule.draw() != null) {
            b.append(" (draw ").append(rule.draw().min()).append("..").append(rule.draw().max()).append(')');
        }
        if (points < requested) {
            b.append(" of ").append(requested);
        }
        List<String> caps = new ArrayList<>();
        if (rule.cap() != null && rule.cap().perDay() != null) {
            caps.add("cap " + rule.cap().perDay() + "/day: " + (usedToday == null ? 0 : usedToday) + " before");
        }
        if (rule.cap() != null && rule.cap().perMonth() != null) {
            caps.add("cap " + rule.cap().perMonth() + "/month: " + (usedThisMonth == null ? 0 : usedThisMonth) + " before");
        }
        if (!caps.isEmpty()) {
            b.append(" (").append(String.join("; ", caps)).append(')');
        }
        if (rule.per() != Rules.Per.mention && rule.action() != Rules.Action.challenge) {
            b.append(", once per ").append(rule.per());
        }
        return cut(b.toString());
    }

    /** The reward's reason with the item's: "...; item hiking-flask for interests hiking, outdoor (...)". */
    public static String withItem(String reward, CatalogueStore.Grant item) {
        return item == null ? reward : cut(reward + "; " + item.reason());
    }

    private static String observed(Rules.Reward r) {
        String tags = r.hashtags().isEmpty() ? "" : " #" + String.join(" #", r.hashtags());
        return switch (r.action()) {
            case mention -> "mention of the brand" + tags;
            case share -> "share of " + (r.hashtags().isEmpty() ? "brand content" : "a post with" + tags);
            case answer -> "answer to another customer's question";
            case hashtag -> "post with" + tags;
            case challenge -> "right answer to challenge #" + r.challenge().hashtag() + " (first "
                    + r.challenge().winners() + " win)";
            case any -> "post" + tags;
        };
    }

    /** e.g. "badge Fan: 50 points reached (total 60)". */
    public static String badge(Rules.Badge badge, long value) {
        return cut(badge.atPoints() != null
                ? "badge " + badge.name() + ": " + badge.atPoints() + " points reached (total " + value + ")"
                : "badge " + badge.name() + ": " + badge.atCount() + " rewards of " + badge.rule() + " reached ("
                + value + ")");
    }

    /** e.g. "leader of board monthly for 2026-11 with 120 points". */
    public static String leader(Rules.Leaderboard board, String period, long points) {
        return cut("leader of board " + board.key() + " for " + period + " with " + points + " points");
    }

    /**
     * e.g. "3 positive mentions, average sentiment 0.52, influence 64 in 90 days ≥ multiplier tier (3, 0.30, 60)";
     * leaving: "... below the advocate tier's leave thresholds (1, 0.10)".
     */
    public static String advocate(List<Rules.Tier> tiers, String from, String to, MentionLog.WindowStats s, int windowDays) {
        String facts = s.positive() + " positive mention" + (s.positive() == 1 ? "" : "s") + ", average sentiment "
                + (s.averageSentiment() == null ? "n/a" : String.format(Locale.ROOT, "%.2f", s.averageSentiment()))
                + ", influence " + (s.maxInfluence() == null ? "n/a" : s.maxInfluence()) + " in " + windowDays + " days";
        if (to != null) {
            Rules.Tier t = tier(tiers, to);
            String down = from != null && tierIndex(tiers, to) > tierIndex(tiers, from)
                    ? " below the " + from + " tier's leave thresholds," : "";
            return cut(facts + down + " ≥ " + to + " tier" + (t == null ? "" : " (" + thresholds(t.enter()) + ")"));
        }
        Rules.Tier t = tier(tiers, from);
        Rules.Thresholds leave = t == null ? null : t.leave() != null ? t.leave() : t.enter();
        return cut(facts + " below the " + from + " tier's leave thresholds"
                + (leave == null ? "" : " (" + thresholds(leave) + ")") + ": no longer an advocate");
    }

    /** e.g. "complaint on x by a known contact, influence 72; keyword strike". */
    public static String caseOpened(String intent, String channel, boolean known, Integer influence, Rules.Cases c,
                                    String keyword) {
        StringBuilder b = new StringBuilder(intent == null ? "post" : intent).append(" on ").append(channel);
        b.append(known ? " by a known contact" : " by an unknown author");
        if (influence != null) {
            b.append(", influence ").append(influence);
            if (!known) {
                b.append(" ≥ ").append(c.minInfluence());
            }
        }
        if (keyword != null) {
            b.append("; keyword ").append(keyword);
        }
        return cut(b.toString());
    }

    private static String thresholds(Rules.Thresholds t) {
        List<String> parts = new ArrayList<>();
        if (t.positiveMentions() != null) {
            parts.add(t.positiveMentions() + " positive");
        }
        if (t.averageSentiment() != null) {
            parts.add(String.format(Locale.ROOT, "sentiment %.2f", t.averageSentiment()));
        }
        if (t.influence() != null) {
            parts.add("influence " + t.influence());
        }
        return String.join(", ", parts);
    }

    private static Rules.Tier tier(List<Rules.Tier> tiers, String name) {
        return tiers.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
    }

    private static int tierIndex(List<Rules.Tier> tiers, String name) {
        for (int i = 0; i < tiers.size(); i++) {
            if (tiers.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    static String cut(String s) {
        return s.length() <= MAX ? s : s.substring(0, MAX - 1) + "…";
    }
}
