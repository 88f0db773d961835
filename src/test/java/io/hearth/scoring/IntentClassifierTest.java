package io.hearth.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IntentClassifierTest {

    static final LexiconSentimentScorer SENTIMENT = new LexiconSentimentScorer();
    static final IntentClassifier INTENTS = new IntentClassifier();

    static IntentResult classify(String text, String lang) {
        return INTENTS.classify(text, SENTIMENT.score(text, lang));
    }

    @ParameterizedTest(name = "{0} → {2}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            Der Zug hat schon wieder 40 Minuten Verspätung 😡        | null | complaint
            Not bad at all, love the new lounge!                     | null | praise
            Wie kann ich meine Punkte einlösen?                      | null | question
            wie kann ich meine punkte einlösen                       | de   | question
            Wann kommt der Ersatzbus                                 | de   | question
            How do I reset my password                               | en   | question
            Is there a lounge at Terminal 2?                         | en   | question
            Flight cancelled. Again.                                 | en   | complaint
            Streik! Wieder kein Zug nach Köln                        | de   | complaint
            Bahnstreik ab Montag, Erstattung?                        | de   | question
            Why is my train late AGAIN?? This is unacceptable 😡     | en   | complaint
            Warum ist das WLAN schon wieder kaputt?! Frechheit 😤     | de   | complaint
            Refund still not processed after 6 weeks                 | en   | complaint
            Handy kaputt, Display gerissen                           | de   | complaint
            Danke für die schnelle Erstattung!                       | de   | praise
            Thanks for the quick refund!                             | en   | praise
            no delays today, great job                               | en   | praise
            Danke!                                                   | de   | praise
            weiter so                                                | de   | praise
            Heute geht es nach Berlin                                | de   | other
            Just landed in Munich                                    | en   | other
            When I arrived the train was cancelled                   | en   | complaint
            😍🔥👍                                                   | null | praise
            💔🙄                                                     | null | complaint
            🚆                                                       | null | other
            Was für ein toller Flug!                                 | de   | praise
            """)
    void intents(String text, String lang, String expected) {
        IntentResult r = classify(text, lang);
        assertThat(r.intent().value()).as(r.explanation()).isEqualTo(expected);
    }

    @Test
    void emptyTextIsOther() {
        for (String text : new String[] {null, "", "  "}) {
            IntentResult r = INTENTS.classify(text, Sentiment.neutral("en", "lexicon"));
            assertThat(r.intent()).isEqualTo(Intent.OTHER);
            assertThat(r.reasons()).containsExactly("no text");
        }
    }

    @Test
    void explanationListsCuesAndTheDecidingRule() {
        IntentResult r = classify("Wie kann ich meine Punkte einlösen?", null);
        assertThat(r.reasons()).contains("question 4 (\"^wie kann ich\" +2, \"?\" +2)");
        assertThat(r.reasons().get(r.reasons().size() - 1)).isEqualTo("rule: question evidence ≥ 1.5");
        assertThat(r.question()).isEqualTo(4.0);

        IntentResult c = classify("Der Zug hat schon wieder 40 Minuten Verspätung 😡", null);
        assertThat(c.explanation()).contains("\"*verspät*\" +2").contains("rule: service cue and sentiment below +0.1");
    }

    @Test
    void serviceCuesMatchGermanCompoundsAndBothSpellings() {
        for (String text : List.of("Zugausfall", "Zugausfälle", "Signalstörung", "Stoerung", "Streikchaos", "Bahnstreik",
                "Rückerstattung", "verspätet", "Verspaetungen")) {
            assertThat(classify(text, "de").service()).as(text).isPositive();
        }
    }

    @Test
    void intentIsAlwaysOneOfFour() {
        java.util.Random random = new java.util.Random(7);
        List<String> vocab = List.of("wie", "kann", "ich", "?", "!", "danke", "Verspätung", "cancelled", "love", "hate", "😡",
                "😍", "how", "do", "I", "nicht", "gut", "refund", "strike", "Streik", ".", "super", "worst");
        for (int n = 0; n < 3000; n++) {
            StringBuilder b = new StringBuilder();
            for (int w = random.nextInt(25); w > 0; w--) {
                b.append(vocab.get(random.nextInt(vocab.size()))).append(' ');
            }
            IntentResult r = classify(b.toString(), null);
            assertThat(r.intent()).isNotNull();
            assertThat(r.reasons()).isNotEmpty();
        }
    }
}
