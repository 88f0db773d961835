package io.hearth.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.junit.jupiter.api.Test;

/**
 * Sentiment and intent on the labelled DE+EN posts in src/test/resources/scoring/labelled.tsv
 * (written for Hearth). Prints the accuracy and every miss; fails below the floor.
 */
class LabelledCorpusTest {

    record Case(int line, String lang, String sentiment, String intent, String text) {
    }

    static List<Case> corpus() throws Exception {
        List<Case> cases = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                LabelledCorpusTest.class.getClassLoader().getResourceAsStream("scoring/labelled.tsv")), StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] p = line.split("\t", -1);
                cases.add(new Case(n, p[0].equals("-") ? null : p[0], p[1], p[2], p.length > 3 ? p[3] : ""));
            }
        }
        return cases;
    }

    @Test
    void accuracyOnLabelledPosts() throws Exception {
        List<Case> cases = corpus();
        LexiconSentimentScorer scorer = new LexiconSentimentScorer();
        IntentClassifier intents = new IntentClassifier();
        int sentimentRight = 0;
        int intentRight = 0;
        int de = 0;
        int en = 0;
        List<String> misses = new ArrayList<>();
        for (Case c : cases) {
            Sentiment s = scorer.score(c.text(), c.lang());
            IntentResult i = intents.classify(c.text(), s);
            if (s.lang().equals("de")) {
                de++;
            } else {
                en++;
            }
            if (s.label().equals(c.sentiment())) {
                sentimentRight++;
            } else {
                misses.add("line " + c.line() + " sentiment " + s.label() + " expected " + c.sentiment() + ": " + c.text()
                        + " | " + s.explanation());
            }
            if (i.intent().value().equals(c.intent())) {
                intentRight++;
            } else {
                misses.add("line " + c.line() + " intent " + i.intent().value() + " expected " + c.intent() + ": " + c.text()
                        + " | " + i.explanation());
            }
        }
        double sentimentAccuracy = (double) sentimentRight / cases.size();
        double intentAccuracy = (double) intentRight / cases.size();
        System.out.printf("labelled posts: %d (%d read as de, %d as en)%n", cases.size(), de, en);
        System.out.printf("sentiment accuracy %.1f%% (%d/%d), intent accuracy %.1f%% (%d/%d)%n",
                100 * sentimentAccuracy, sentimentRight, cases.size(), 100 * intentAccuracy, intentRight, cases.size());
        misses.forEach(System.out::println);
        assertThat(cases).hasSizeGreaterThanOrEqualTo(60);
        assertThat(sentimentAccuracy).as("sentiment accuracy; misses:%n%s", String.join("\n", misses)).isGreaterThanOrEqualTo(0.85);
        assertThat(intentAccuracy).as("intent accuracy; misses:%n%s", String.join("\n", misses)).isGreaterThanOrEqualTo(0.85);
    }
}
