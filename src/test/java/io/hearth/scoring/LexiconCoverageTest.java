package io.hearth.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * Issue 15: the base lexicons (VADER for English, translated AFINN-165 for German) under the project's own lists, the
 * inflection rules, the review idioms and the contrast words.
 */
class LexiconCoverageTest {

    static final LexiconSentimentScorer SCORER = new LexiconSentimentScorer();

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            de | Die Hotline ist ständig besetzt, miserabler Service.             | negative
            de | Seit drei Wochen warte ich auf meine Erstattung, unmöglich.      | negative
            de | Das war der teuerste und miserabelste Flug meines Lebens.        | negative
            de | Nur Enttäuschungen mit diesem Anbieter.                          | negative
            de | Der Kellner nervt.                                               | negative
            de | Diesen Kauf bereue ich nicht!                                    | positive
            de | Das Essen war gut, allerdings war der Service furchtbar.         | negative
            de | Das Essen war gut, jedoch war der Service furchtbar.             | negative
            de | Ich könnte nicht glücklicher sein.                               | positive
            de | Es gehörte zu einer Tankstelle, und das ist selten ein gutes Zeichen. | negative
            de | Mein Lieblingsrestaurant!                                        | positive
            en | We will not be coming back.                                      | negative
            en | Will be back soon!                                               | positive
            en | I couldn't be happier.                                           | positive
            en | One of the least effective films I have seen.                    | negative
            en | Far from the best.                                               | negative
            en | Nothing short of magnificent.                                    | positive
            en | The shrimp was tasty but the rice was bland.                     | negative
            en | A splendid evening.                                              | positive
            en | I have had better bagels at the grocery store.                   | negative
            """)
    void scoresTheSign(String lang, String text, String label) {
        Sentiment s = SCORER.score(text, lang);
        assertThat(s.label()).as(s.explanation()).isEqualTo(label);
    }

    @Test
    void theBaseListsOfOneLanguageAreNotUsedForTheOther() {
        // VADER rates "war" and "die" −2.9; in a German post they are "was" and "the"
        Sentiment s = SCORER.score("Das war die beste Zeit", "de");
        assertThat(s.label()).as(s.explanation()).isEqualTo("positive");
        assertThat(s.cues()).extracting(Sentiment.Cue::cue).doesNotContain("war", "die");
        // and the translated AFINN list is not used for an English post ("art" is rated there)
        assertThat(SCORER.score("The art of the deal", "en").cues()).extracting(Sentiment.Cue::cue).doesNotContain("art");
    }

    @Test
    void baseEntriesAreScaledMarkedAndOverriddenByTheOwnLists() {
        Lexicon en = Lexicon.builtIn("en");
        Lexicon.Entry splendid = en.get("splendid");
        assertThat(splendid.base()).isTrue();
        assertThat(splendid.value()).isCloseTo(2.8 * Lexicon.VADER_SCALE, within(0.001));
        assertThat(en.get("good").base()).isFalse(); // the project's own weight wins
        Lexicon de = Lexicon.builtIn("de");
        assertThat(de.get("verlierer").base()).isTrue();
        assertThat(de.get("verlierer").value()).isCloseTo(-3 * Lexicon.AFINN_SCALE, within(0.001));
        assertThat(de.get("art").value()).isZero(); // a mistranslation of the AFINN list, neutralised by the own list
        assertThat(en.size()).isGreaterThan(7000);
        assertThat(de.size()).isGreaterThan(2000);
    }

    @Test
    void aBaseEntryIsNotTheHeadOfACompound() {
        // "reich" (rich) is in the translated AFINN list; "Österreich" is not positive
        assertThat(SCORER.score("Wann startet der Film in Österreich?", "de").label()).isEqualTo("neutral");
    }

    @Test
    void loyaltyVocabularyIsNeutral() {
        assertThat(SCORER.score("How do I add my loyalty number to an existing booking?", "en").label()).isEqualTo("neutral");
        assertThat(SCORER.score("Wie kann ich meine Punkte einlösen?", "de").label()).isEqualTo("neutral");
    }
}
