package io.hearth.rules;

import java.math.BigInteger;
import java.util.Optional;
import java.util.function.LongSupplier;

/** How many points a reward grants: fixed or drawn ({@link #draw}), then held to its caps per day and month. */
final class RewardPoints {

    private RewardPoints() {
    }

    /** The points granted, what the rule asked for before the caps, and the caps' use before this grant (null: no cap). */
    record Amount(long points, long requested, Long usedToday, Long usedThisMonth) {
    }

    /** The rule's points, else its draw under this reward key, else none. */
    static long requested(Rules.Reward reward, String rewardKey) {
        return reward.points() != null ? reward.points() : reward.draw() != null ? draw(reward.draw(), rewardKey) : 0;
    }

    /**
     * {@code requested} held to the reward's caps; the use of each cap is read only when the cap is set. Empty: the
     * caps leave nothing and the reward has no item to give instead.
     */
    static Optional<Amount> capped(Rules.Reward reward, long requested, LongSupplier usedToday,
                                   LongSupplier usedThisMonth) {
        long points = requested;
        Long today = null;
        Long thisMonth = null;
        if (reward.cap() != null) {
            if (reward.cap().perDay() != null) {
                today = usedToday.getAsLong();
                points = Math.min(points, reward.cap().perDay() - today);
            }
            if (reward.cap().perMonth() != null) {
                thisMonth = usedThisMonth.getAsLong();
                points = Math.min(points, reward.cap().perMonth() - thisMonth);
            }
            if (points <= 0 && reward.item() == null) {
                return Optional.empty();
            }
            points = Math.max(0, points);
        }
        return Optional.of(new Amount(points, requested, today, thisMonth));
    }

    /**
     * Prize-draw points: min + SHA-256(seed ":" reward key) mod (max − min + 1). Anyone with the seed and the
     * {@code Social_Reward__c.External_Id__c} can recompute it (docs/rules.md).
     */
    static long draw(Rules.Draw draw, String rewardKey) {
        byte[] h = JudgeSupport.sha256(draw.seed() + ":" + rewardKey);
        BigInteger span = BigInteger.valueOf(draw.max() - draw.min() + 1);
        return draw.min() + new BigInteger(1, h).mod(span).longValueExact();
    }
}
