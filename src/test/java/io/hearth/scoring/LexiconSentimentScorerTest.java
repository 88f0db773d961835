package io.hearth.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LexiconSentimentScorerTest {

    static final LexiconSentimentScorer SCORER = new LexiconSentimentScorer();

    @ParameterizedTest(name = "{0} [{1}] → {2}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
            Not bad at all, love the new lounge!                 | en   | positive
            not bad                                              | en   | positive
            not good                                             | en   | negative
            isn't great                                          | en   | negative
            doesn't work                                         | en   | negative
            Never again with this airline.                       | en   | negative
            no problem                                           | en   | positive
            nicht gut                                            | de   | negative
            nicht schlecht                                       | de   | positive
            kein Problem                                         | de   | positive
            ohne Probleme angekommen                             | de   | positive
            Das gefällt mir nicht.                               | de   | negative
            Gut ist das nicht.                                   | de   | negative
            nie wieder                                           | de   | negative
            Die App funktioniert nicht                           | de   | negative
            Zugausfall in Köln                                   | de   | negative
            Signalstörung bei Hannover                           | de   | negative
            Riesenverspätung                                     | de   | negative
            Mistwetter und Streik                                | de   | negative
            unzufrieden                                          | de   | negative
            Megagut!                                             | de   | positive
            Super!                                               | de   | positive
            Ein Optimist fährt Bahn                              | de   | neutral
            Das Gift                                             | de   | negative
            I got a gift                                         | en   | positive
            😍                                                   | null | positive
            🔥🔥🔥                                               | null | positive
            👍🏽                                                   | null | positive
            😡                                                   | null | negative
            💔                                                   | null | negative
            🙄                                                   | null | negative
            ❤️                                                   | null | positive
            :)                                                   | null | positive
            :-)))                                                | null | positive
            :(                                                   | null | negative
            :'(                                                  | null | negative
            <3                                                   | null | positive
            Fazit:Der Zug fährt                                  | de   | neutral
            Abfahrt 10:30 von Gleis 8                            | de   | neutral
            Mein Flug startet um 10 Uhr                          | de   | neutral
            Just landed in Munich                                | en   | neutral
            The crew was nice but the delay was awful            | en   | negative
            nicht schlecht, aber zu teuer                        | de   | negative
            Kinda slow but the staff were amazing                | en   | positive
            """)
    void labels(String text, String lang, String expected) {
        Sentiment s = SCORER.score(text, lang);
        assertThat(s.label()).as(s.explanation()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} > {1}")
    @CsvSource(delimiter = '|', textBlock = """
            very good           | good
            sehr gut            | gut
            extrem schlecht     | schlecht
            good                | a bit good
            gut                 | etwas gut
            great!!!            | great
            GREAT service       | great service
            sooo good           | good
            """)
    void modifiersAndEmphasisChangeTheMagnitude(String stronger, String weaker) {
        assertThat(Math.abs(SCORER.score(stronger, null).score()))
                .as(SCORER.score(stronger, null).explanation() + " vs " + SCORER.score(weaker, null).explanation())
                .isGreaterThan(Math.abs(SCORER.score(weaker, null).score()));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', textBlock = """
            Verspätung          | Verspaetung
            Verspätung          | VERSPÄTUNG
            ärgerlich           | aergerlich
            Großartig           | grossartig
            LOVE IT             | love it
            Love it             | love it
            :-)                 | :)
            👍🏻                  | 👍
            """)
    void spellingAndCaseDoNotMatter(String a, String b) {
        assertThat(SCORER.score(a, "de").score()).isEqualTo(SCORER.score(b, "de").score());
    }

    @Test
    void emptyNullAndSymbolOnlyTextsAreNeutral() {
        for (String text : new String[] {null, "", "   ", "...", "12345", "https://example.com/x", "@brand", "#tag"}) {
            Sentiment s = SCORER.score(text, null);
            assertThat(s.score()).as(String.valueOf(text)).isZero();
            assertThat(s.cues()).isEmpty();
            assertThat(s.label()).isEqualTo("neutral");
        }
    }

    @Test
    void handlesAndLinksDoNotCount() {
        assertThat(SCORER.score("@lovely_brand see https://great.example/love", "en").score()).isZero();
    }

    @Test
    void explanationNamesTheCues() {
        Sentiment s = SCORER.score("Der Zug hat schon wieder 40 Minuten Verspätung 😡", null);
        assertThat(s.lang()).isEqualTo("de");
        assertThat(s.cues()).extracting(Sentiment.Cue::cue).containsExactly("schon wieder", "verspaetung", "😡");
        assertThat(s.score()).isLessThan(-0.8);
        assertThat(s.explanation()).startsWith("-0.92 negative (de) by lexicon:").contains("\"😡\" -2.50");

        Sentiment notBad = SCORER.score("Not bad at all, love the new lounge!", "en");
        assertThat(notBad.cues().get(0).note()).isEqualTo("negated by not");
        assertThat(notBad.cues().get(0).contribution()).isPositive();
    }

    @Test
    void languageGuess() {
        assertThat(SCORER.score("Wie kann ich meine Punkte einlösen?", null).lang()).isEqualTo("de");
        assertThat(SCORER.score("How do I redeem my points?", null).lang()).isEqualTo("en");
        assertThat(SCORER.score("Das ist super", "de-AT").lang()).isEqualTo("de");
        assertThat(SCORER.score("great", "en-GB").lang()).isEqualTo("en");
        // an unsupported language is guessed; both lexicons still apply
        assertThat(SCORER.score("c'est nul 😡", "fr").score()).isNegative();
    }

    @Test
    void mixedLanguagePostsUseBothLexicons() {
        assertThat(SCORER.score("Die neue Lounge ist nice, love it", "de").score()).isGreaterThan(0.5);
        assertThat(SCORER.score("Train delayed, so ärgerlich", "en").score()).isLessThan(-0.5);
    }

    @Test
    void falseFriendsFollowThePostLanguage() {
        assertThat(SCORER.score("Gift", "de").score()).isNegative();
        assertThat(SCORER.score("gift", "en").score()).isPositive();
        assertThat(SCORER.score("fast", "de").score()).isZero();
        assertThat(SCORER.score("fast", "en").score()).isPositive();
    }

    @Test
    void boundedAndStableOverRandomTexts() {
        List<String> vocabulary = List.of("good", "bad", "not", "very", "sehr", "nicht", "kein", "Problem", "😍", "😡", "!",
                "?", ",", ".", "but", "aber", "love", "hate", "Verspätung", "super", "a bit", "etwas", ":)", ":(", "never",
                "again", "nie", "wieder", "TERRIBLE", "Zugausfall", "mega", "un", "zufrieden", "ähm", "xD", "<3", "🔥", "💔",
                "the", "der", "train", "Zug");
        Random random = new Random(42);
        for (int n = 0; n < 5000; n++) {
            StringBuilder text = new StringBuilder();
            int words = random.nextInt(60);
            for (int w = 0; w < words; w++) {
                text.append(vocabulary.get(random.nextInt(vocabulary.size()))).append(random.nextInt(4) == 0 ? "" : " ");
            }
            String lang = random.nextBoolean() ? null : random.nextBoolean() ? "de" : "en";
            Sentiment a = SCORER.score(text.toString(), lang);
            assertThat(a.score()).as(text.toString()).isBetween(-1.0, 1.0);
            assertThat(SCORER.score(text.toString(), lang)).isEqualTo(a);
        }
        // random characters, including surrogate pairs and control characters
        for (int n = 0; n < 2000; n++) {
            StringBuilder text = new StringBuilder();
            int len = random.nextInt(200);
            for (int c = 0; c < len; c++) {
                text.appendCodePoint(random.nextInt(4) == 0 ? 0x1F300 + random.nextInt(0x300) : random.nextInt(0x3000));
            }
            assertThat(SCORER.score(text.toString(), null).score()).isBetween(-1.0, 1.0);
        }
    }

    @Test
    void manyPositiveCuesSaturateBelowOne() {
        Sentiment s = SCORER.score("love ".repeat(500) + "😍".repeat(500) + "!!!", "en");
        assertThat(s.score()).isBetween(0.99, 1.0);
        Sentiment n = SCORER.score("hate ".repeat(500), "en");
        assertThat(n.score()).isBetween(-1.0, -0.99);
    }

    @Test
    void extraLexiconFilesOverrideTheBuiltInOnes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("brand-de.txt");
        Files.writeString(file, "# brand words\n[words]\nschnarchzug\t-2\nverspätung\t-3\n[modifiers]\nvoll krass\t1.8\n");
        LexiconSentimentScorer scorer = LexiconSentimentScorer.withExtraLexicons(Map.of("de", List.of(file)));
        assertThat(scorer.score("Schnarchzug", "de").score()).isNegative();
        assertThat(scorer.score("Verspätung", "de").score()).isLessThan(SCORER.score("Verspätung", "de").score());
        assertThat(scorer.score("voll krass gut", "de").cues().get(0).note()).contains("voll krass");
        assertThatThrownBy(() -> LexiconSentimentScorer.withExtraLexicons(Map.of("fr", List.of(file))))
                .hasMessageContaining("unsupported language 'fr'");
    }

    @Test
    void malformedLexiconLinesNameSourceAndLine() {
        assertThatThrownBy(() -> new Lexicon("en").load(new StringReader("good\t1\nbad -1\n"), "my.txt"))
                .hasMessage("my.txt:2: missing number after a TAB (word<TAB>number)");
        assertThatThrownBy(() -> new Lexicon("en").load(new StringReader("good\tgreat\n"), "my.txt"))
                .hasMessage("my.txt:1: 'great' is not a number");
        assertThatThrownBy(() -> new Lexicon("en").load(new StringReader("good\t9\n"), "my.txt"))
                .hasMessageContaining("my.txt:1: 9.0 is outside");
        assertThatThrownBy(() -> new Lexicon("en").load(new StringReader("[synonyms]\n"), "my.txt"))
                .hasMessageContaining("my.txt:1: unknown section [synonyms]");
    }

    @Test
    void builtInLexiconsAreSubstantial() {
        assertThat(Lexicon.builtIn("en").size()).isGreaterThan(250);
        assertThat(Lexicon.builtIn("de").size()).isGreaterThan(250);
    }
}
