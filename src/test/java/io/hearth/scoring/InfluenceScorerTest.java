package io.hearth.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;

import io.hearth.mention.Mention;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InfluenceScorerTest {

    static final InfluenceScorer SCORER = new InfluenceScorer();

    static Mention.Author author(Long followers, Boolean verified) {
        return new Mention.Author("jane", null, null, followers, verified, null);
    }

    @ParameterizedTest(name = "{0} followers → {1}")
    @CsvSource(textBlock = """
            0,          0
            1,          6
            10,         21
            100,        35
            1000,       50
            100000,     80
            1000000,    95
            10000000,   100
            2000000000, 100
            """)
    void followerScale(long followers, int expected) {
        assertThat(SCORER.score(author(followers, false), null).score()).isEqualTo(expected);
    }

    @Test
    void monotonicInFollowers() {
        int previous = -1;
        double previousReach = -1;
        for (long f = 0; f < 50_000_000L; f = f < 10 ? f + 1 : f * 11 / 10) {
            Influence i = SCORER.score(author(f, false), new Mention.Engagement(3L, 1L, 0L, 0L));
            assertThat(i.score()).as(f + " followers").isGreaterThanOrEqualTo(previous);
            assertThat(i.reach()).isGreaterThanOrEqualTo(previousReach);
            previous = i.score();
            previousReach = i.reach();
        }
    }

    @Test
    void engagementAndVerificationAdd() {
        Influence base = SCORER.score(author(1000L, false), null);
        Influence engaged = SCORER.score(author(1000L, false), new Mention.Engagement(50L, 20L, 5L, 3L));
        Influence verified = SCORER.score(author(1000L, true), null);
        assertThat(engaged.score()).isGreaterThan(base.score());
        assertThat(engaged.engagement()).isEqualTo(10.0); // 50 + 40 + 5 + 3 = 98 → 5·log10(99) = 9.98
        assertThat(verified.score()).isEqualTo(base.score() + 5);
        assertThat(SCORER.score(author(10L, false), new Mention.Engagement(1_000_000L, 0L, 0L, 0L)).engagement()).isEqualTo(15);
    }

    @Test
    void missingDataIsZeroAndSaid() {
        Influence none = SCORER.score(null, null);
        assertThat(none.score()).isZero();
        assertThat(none.reasons()).containsExactly("followers unknown → reach 0", "engagement unknown → 0");
        Influence partial = SCORER.score(author(null, null), new Mention.Engagement(null, 4L, null, null));
        assertThat(partial.score()).isEqualTo(5); // E = 8 → 5·log10(9) = 4.8
        assertThat(SCORER.score(author(-5L, false), new Mention.Engagement(-1L, -1L, -1L, -1L)).score()).isZero();
    }

    @Test
    void boundedForRandomInputs() {
        Random random = new Random(3);
        for (int n = 0; n < 20_000; n++) {
            Long followers = random.nextInt(10) == 0 ? null : (long) Math.pow(10, random.nextDouble() * 12) - random.nextInt(3);
            Mention.Engagement e = random.nextInt(5) == 0 ? null : new Mention.Engagement(rnd(random), rnd(random), rnd(random),
                    rnd(random));
            Influence i = SCORER.score(author(followers, random.nextBoolean()), e);
            assertThat(i.score()).isBetween(0, 100);
        }
        assertThat(SCORER.score(author(Long.MAX_VALUE, true), new Mention.Engagement(Long.MAX_VALUE, Long.MAX_VALUE,
                Long.MAX_VALUE, Long.MAX_VALUE)).score()).isEqualTo(100);
    }

    private static Long rnd(Random random) {
        return random.nextInt(6) == 0 ? null : (long) (Math.pow(10, random.nextDouble() * 9)) - 2;
    }

    @Test
    void explanation() {
        Influence i = SCORER.score(author(1520L, true), new Mention.Engagement(12L, 3L, 1L, 0L));
        assertThat(i.explanation()).isEqualTo("64: 1,520 followers → reach 52.7; "
                + "engagement 19 (likes 12, reposts×2 3, replies 1, quotes 0) → 6.5; verified → +5");
    }

    @Test
    void settingsAreChecked() {
        assertThatThrownBy(() -> new InfluenceScorer(-1, 15)).hasMessageContaining("hearth.scoring.influence");
        assertThat(new InfluenceScorer(0, 0).score(author(1000L, true), new Mention.Engagement(999L, 0L, 0L, 0L)).score())
                .isEqualTo(50);
    }
}
