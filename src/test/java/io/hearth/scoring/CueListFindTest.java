package io.hearth.scoring;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CueList#find}'s one pass over the tokens finds what one scan per pattern ({@link CueList#indexOf}) finds, in
 * the same order, on the labelled posts and on the cues' own texts, for every section of the built-in cue lists.
 */
class CueListFindTest {

    @Test
    void onePassEqualsOneScanPerPattern() throws Exception {
        List<String> texts = new ArrayList<>();
        LabelledCorpusTest.corpus().forEach(c -> texts.add(c.text()));
        CueList en = CueList.resource("scoring/intent-en.txt");
        CueList de = CueList.resource("scoring/intent-de.txt");
        List<String> sections = List.of("question", "service", "complaint", "praise");
        // every cue as a post of its own, at a sentence start and after a word, so each pattern matches somewhere
        for (CueList list : List.of(en, de)) {
            for (String section : sections) {
                for (CueList.Pattern p : list.section(section)) {
                    String words = String.join(" ", p.words()).replace("*", "x");
                    texts.add(words + "? " + words);
                    texts.add("well " + words + " and " + words + ".");
                }
            }
        }
        int hits = 0;
        for (String text : texts) {
            List<Text.Token> tokens = Text.tokens(text);
            for (CueList list : List.of(en, de)) {
                for (String section : sections) {
                    List<CueList.Hit> expected = new ArrayList<>();
                    for (CueList.Pattern p : list.section(section)) {
                        int at = CueList.indexOf(p, tokens);
                        if (at >= 0) {
                            expected.add(new CueList.Hit(p, at));
                        }
                    }
                    assertThat(list.find(section, tokens)).as("%s in %s", section, text).isEqualTo(expected);
                    hits += expected.size();
                }
            }
        }
        assertThat(hits).as("the comparison saw matches").isGreaterThan(texts.size());
    }

    @Test
    void aPatternAddedLaterIsFound() {
        CueList list = new CueList().add("s", "late train", 1);
        List<Text.Token> tokens = Text.tokens("the late train again, a strike");
        assertThat(list.find("s", tokens)).hasSize(1);
        list.add("s", "streik*", 1).add("s", "strike", 1);
        assertThat(list.find("s", tokens)).extracting(h -> h.pattern().source()).containsExactly("late train", "strike");
    }
}
