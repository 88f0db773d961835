package io.hearth.scoring;

import java.util.ArrayList;
import java.util.List;

import io.hearth.mention.Mention;

/**
 * Influence 0 … 100 of a mention's author and post:
 * <ul>
 * <li><b>reach</b> from followers, log-scaled: with {@code L = log10(followers + 1)},
 *     {@code reach = 15·L + 5·min(L, 1)}, so 0 → 0, 10 → 20, 1,000 → 50, 100,000 → 80,
 *     1,000,000 → 95, 10,000,000 → 100 (capped);</li>
 * <li><b>engagement</b> on the post: {@code E = likes + 2·reposts + replies + quotes},
 *     {@code engagement = min(max, 5·log10(E + 1))} (10 → 5, 100 → 10, 1,000 → 15 with the default max 15);</li>
 * <li><b>verified</b>: a fixed bonus (default 5) when the channel says the author is verified.</li>
 * </ul>
 * Missing data counts as zero and is said so in the reasons; negative counters (bad data) count as zero.
 * The score is non-decreasing in each input.
 */
public final class InfluenceScorer {

    private final double verifiedBonus;
    private final double engagementMax;

    public InfluenceScorer() {
        this(5, 15);
    }

    public InfluenceScorer(double verifiedBonus, double engagementMax) {
        if (verifiedBonus < 0 || verifiedBonus > 100 || engagementMax < 0 || engagementMax > 100) {
            throw new IllegalArgumentException("hearth.scoring.influence: verified-bonus and engagement-max must be in 0 … 100");
        }
        this.verifiedBonus = verifiedBonus;
        this.engagementMax = engagementMax;
    }

    public Influence score(Mention mention) {
        return score(mention.author(), mention.engagement());
    }

    public Influence score(Mention.Author author, Mention.Engagement engagement) {
        List<String> reasons = new ArrayList<>();
        Long followers = author == null ? null : author.followers();
        double reach = reach(followers);
        if (followers == null) {
            reasons.add("followers unknown → reach 0");
        } else {
            reasons.add(Numbers.grouped(Math.max(0, followers)) + " followers → reach " + Numbers.fixed(reach, 1));
        }
        double engaged = 0;
        if (engagement == null) {
            reasons.add("engagement unknown → 0");
        } else {
            long e = nonNegative(engagement.likes()) + 2 * nonNegative(engagement.reposts())
                    + nonNegative(engagement.replies()) + nonNegative(engagement.quotes());
            engaged = Math.min(engagementMax, 5 * Math.log10(e + 1.0));
            reasons.add("engagement " + Numbers.grouped(e) + " (likes " + nonNegative(engagement.likes()) + ", reposts×2 "
                    + nonNegative(engagement.reposts()) + ", replies " + nonNegative(engagement.replies()) + ", quotes "
                    + nonNegative(engagement.quotes()) + ") → " + Numbers.fixed(engaged, 1));
        }
        boolean isVerified = author != null && Boolean.TRUE.equals(author.verified());
        double verified = isVerified ? verifiedBonus : 0;
        if (isVerified) {
            reasons.add("verified → +" + Numbers.fixed(verifiedBonus, 0));
        }
        int score = (int) Math.max(0, Math.min(100, Math.round(reach + engaged + verified)));
        return new Influence(score, round(reach), round(engaged), verified, reasons);
    }

    /** The follower part alone: {@code 15·L + 5·min(L, 1)}, capped at 100. */
    public static double reach(Long followers) {
        if (followers == null || followers <= 0) {
            return 0;
        }
        double l = Math.log10(followers + 1.0);
        return Math.min(100, 15 * l + 5 * Math.min(l, 1));
    }

    private static long nonNegative(Long v) {
        return v == null || v < 0 ? 0 : Math.min(v, Long.MAX_VALUE / 8);
    }

    private static double round(double d) {
        return Math.round(d * 10) / 10.0;
    }
}
