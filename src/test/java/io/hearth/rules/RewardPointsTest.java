package io.hearth.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import org.junit.jupiter.api.Test;

/** {@link RewardPoints}: fixed or drawn points, held to the caps per day and month. */
class RewardPointsTest {

    static Rules.Reward reward(Long points, Rules.Draw draw, Rules.Cap cap, Rules.ItemGrant item) {
        return new Rules.Reward("r", Rules.Action.any, points, draw, List.of(), null, null, null, cap, null, null, item);
    }

    static final LongSupplier UNREAD = () -> {
        throw new AssertionError("read a cap that is not set");
    };

    @Test
    void theRulesPointsElseItsDrawElseNone() {
        Rules.Draw draw = new Rules.Draw(10L, 20L, "seed");
        assertThat(RewardPoints.requested(reward(5L, draw, null, null), "k")).isEqualTo(5);
        assertThat(RewardPoints.requested(reward(null, draw, null, null), "k"))
                .isEqualTo(RewardPoints.draw(draw, "k")).isBetween(10L, 20L);
        assertThat(RewardPoints.requested(reward(null, null, null, null), "k")).isZero();
    }

    @Test
    void theDrawIsAFunctionOfSeedAndKey() {
        Rules.Draw draw = new Rules.Draw(1L, 1_000_000L, "seed");
        assertThat(RewardPoints.draw(draw, "a")).isEqualTo(RewardPoints.draw(draw, "a"))
                .isNotEqualTo(RewardPoints.draw(draw, "b"))
                .isNotEqualTo(RewardPoints.draw(new Rules.Draw(1L, 1_000_000L, "other"), "a"));
    }

    @Test
    void withoutCapsThePointsAreAsRequestedAndNoUseIsRead() {
        assertThat(RewardPoints.capped(reward(10L, null, null, null), 10, UNREAD, UNREAD))
                .contains(new RewardPoints.Amount(10, 10, null, null));
    }

    @Test
    void theDayAndMonthCapsTakeWhatIsLeft() {
        Rules.Reward r = reward(10L, null, new Rules.Cap(25L, 100L), null);
        assertThat(RewardPoints.capped(r, 10, () -> 20, () -> 40)).contains(new RewardPoints.Amount(5, 10, 20L, 40L));
        assertThat(RewardPoints.capped(r, 10, () -> 0, () -> 97)).contains(new RewardPoints.Amount(3, 10, 0L, 97L));
    }

    @Test
    void onlyTheCapThatIsSetIsRead() {
        AtomicInteger reads = new AtomicInteger();
        Rules.Reward perMonth = reward(10L, null, new Rules.Cap(null, 100L), null);
        assertThat(RewardPoints.capped(perMonth, 10, UNREAD, () -> reads.incrementAndGet()))
                .contains(new RewardPoints.Amount(10, 10, null, 1L));
        assertThat(reads).hasValue(1);
    }

    @Test
    void aCapUsedUpGrantsNothingUnlessTheRewardGivesAnItem() {
        Rules.Cap cap = new Rules.Cap(25L, null);
        assertThat(RewardPoints.capped(reward(10L, null, cap, null), 10, () -> 30, UNREAD)).isEqualTo(Optional.empty());
        assertThat(RewardPoints.capped(reward(10L, null, cap, new Rules.ItemGrant(null, "tote")), 10, () -> 30, UNREAD))
                .as("the item may still be given; points never negative")
                .contains(new RewardPoints.Amount(0, 10, 30L, null));
    }
}
