package io.hearth.scoring.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The two baselines of the scoring benchmark behave as published: VADER's compound scores for the examples in the
 * vaderSentiment README (3.3.2), AFINN's plain sums; and the metrics count neutral predictions as misses.
 */
class BaselinesTest {

    private static final VaderBaseline VADER = new VaderBaseline();
    private static final AfinnBaseline AFINN = new AfinnBaseline();

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            VADER is smart, handsome, and funny.                                    |  0.8316
            VADER is smart, handsome, and funny!                                    |  0.8439
            VADER is very smart, handsome, and funny.                               |  0.8545
            VADER is VERY SMART, handsome, and FUNNY.                               |  0.9227
            VADER is VERY SMART, handsome, and FUNNY!!!                             |  0.9342
            VADER is VERY SMART, uber handsome, and FRIGGIN FUNNY!!!                |  0.9469
            VADER is not smart, handsome, nor funny.                                | -0.7424
            The book was good.                                                      |  0.4404
            At least it isn't a horrible book.                                      |  0.431
            The book was only kind of good.                                         |  0.3832
            The plot was good, but the characters are uncompelling and the dialog is not great. | -0.7042
            Today SUX!                                                              | -0.5461
            Today only kinda sux! But I'll get by, lol                              |  0.5249
            Make sure you :) or :D today!                                           |  0.8633
            Not bad at all                                                          |  0.431
            """)
    void vaderMatchesTheReadmeExamples(String text, double compound) {
        assertThat(VADER.compound(text)).isCloseTo(compound, within(0.00015));
    }

    @Test
    void vaderIsNeutralWithoutLexiconWords() {
        assertThat(VADER.compound("The train leaves at nine.")).isZero();
        assertThat(VADER.label("The train leaves at nine.")).isEqualTo("neutral");
        assertThat(VADER.size()).isGreaterThan(7000);
    }

    @Test
    void afinnSumsValencesAndPhrases() {
        assertThat(AFINN.size()).isGreaterThan(3300);
        assertThat(AFINN.score("good")).isEqualTo(3);
        assertThat(AFINN.score("Good case, Excellent value.")).isEqualTo(3 + 3 + 0);
        assertThat(AFINN.score("It does not work")).isEqualTo(-3); // the phrase, not "not" + "work"
        assertThat(AFINN.label("not good")).isEqualTo("negative"); // the phrase "not good" -2
        assertThat(AFINN.label("not great")).isEqualTo("positive"); // AFINN has no negation rule
        assertThat(AFINN.label("The train leaves at nine.")).isEqualTo("neutral");
    }

    @Test
    void neutralPredictionsCountAsMissesOnBinarySets() {
        Metrics m = Metrics.of(List.of("positive", "positive", "negative", "negative"),
                List.of("positive", "neutral", "negative", "positive"));
        assertThat(m.accuracy()).isEqualTo(0.5);
        assertThat(m.coverage()).isEqualTo(0.75);
        // positive: p 1/2, r 1/2 → 0.5; negative: p 1/1, r 1/2 → 0.667
        assertThat(m.macroF1()).isCloseTo((0.5 + 2.0 / 3) / 2, within(1e-9));
    }
}
