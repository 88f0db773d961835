package io.hearth.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The inflection rules find the lemma a lexicon lists. */
class InflectionTest {

    @ParameterizedTest
    @CsvSource({
            "miserabler, miserabel",
            "miserablen, miserabel",
            "teurer, teuer",
            "teure, teuer",
            "dunkle, dunkel",
            "enttaeuschende, enttaeuschend",
            "enttaeuschte, enttaeuscht",
            "nervt, nerven",
            "bereue, bereuen",
            "enttaeuschungen, enttaeuschung",
            "schlechtesten, schlecht",
            "grottigste, grottig",
            "muede, mued",
    })
    void germanLemmas(String word, String lemma) {
        assertThat(Inflection.lemmas(word, "de")).contains(lemma);
    }

    @ParameterizedTest
    @CsvSource({
            "disappointingly, disappointing",
            "happily, happy",
            "terribly, terrible",
            "hated, hate",
            "stopped, stop",
            "uglier, ugly",
            "ugliest, ugly",
            "worries, worry",
            "limitations, limitation",
    })
    void englishLemmas(String word, String lemma) {
        assertThat(Inflection.lemmas(word, "en")).contains(lemma);
    }

    @Test
    void noVerbInfinitiveFromNonVerbEndings() {
        // "schon" must not become "schoen" (schön): -en is added only after weak-verb endings
        assertThat(Inflection.lemmas("schon", "de")).doesNotContain("schoen");
        assertThat(Inflection.lemmas("less", "en")).doesNotContain("les");
        assertThat(Inflection.lemmas("gut", "de")).isEmpty();
        assertThat(Inflection.lemmas("don't", "en")).isEmpty();
    }
}
