package io.hearth.scoring.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;

import io.hearth.scoring.LexiconSentimentScorer;
import org.junit.jupiter.api.Test;

/**
 * Issue 15's acceptance on public labelled data, as a fast guard in the normal suite (the full table is
 * {@code ./mvnw -Pbench-scoring verify}): on the held-out half of the UCI Sentiment Labelled Sentences the built-in scorer
 * beats both the AFINN and the VADER baseline, and on the German held-out translations it is within 5 points of its
 * English held-out accuracy.
 */
class PublicCorpusTest {

    private static final LexiconSentimentScorer HEARTH = new LexiconSentimentScorer();

    @Test
    void beatsAfinnAndVaderOnHeldOutEnglishAndGermanIsWithinFivePoints() {
        List<LabelledSets.Sample> en = LabelledSets.uci().stream().filter(s -> s.split().equals("heldout")).toList();
        List<LabelledSets.Sample> de = LabelledSets.uciGerman().stream().filter(s -> s.split().equals("heldout")).toList();
        AfinnBaseline afinn = new AfinnBaseline();
        VaderBaseline vader = new VaderBaseline();

        Metrics hearthEn = metrics(en, s -> HEARTH.score(s.text(), s.lang()).label());
        Metrics afinnEn = metrics(en, s -> afinn.label(s.text()));
        Metrics vaderEn = metrics(en, s -> vader.label(s.text()));
        Metrics hearthDe = metrics(de, s -> HEARTH.score(s.text(), s.lang()).label());
        System.out.printf("held-out uci-en (%d): hearth %.3f (F1 %.3f), afinn %.3f, vader %.3f; uci-de (%d): hearth %.3f (F1 %.3f)%n",
                en.size(), hearthEn.accuracy(), hearthEn.macroF1(), afinnEn.accuracy(), vaderEn.accuracy(), de.size(),
                hearthDe.accuracy(), hearthDe.macroF1());

        assertThat(en).hasSize(1500);
        assertThat(de).hasSize(300);
        assertThat(hearthEn.accuracy()).isGreaterThan(vaderEn.accuracy()).isGreaterThan(afinnEn.accuracy());
        assertThat(hearthEn.macroF1()).isGreaterThan(vaderEn.macroF1()).isGreaterThan(afinnEn.macroF1());
        assertThat(hearthDe.accuracy()).isGreaterThanOrEqualTo(hearthEn.accuracy() - 0.05);
    }

    private static Metrics metrics(List<LabelledSets.Sample> samples, Function<LabelledSets.Sample, String> label) {
        return Metrics.of(samples.stream().map(LabelledSets.Sample::gold).toList(), samples.stream().map(label).toList());
    }
}
