package io.hearth.scoring;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.hearth.scoring.bench.LabelledSets;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The short cuts of issue 14 item 2 give what the code they stand in for gives (ScoringGoldenTest compares the whole
 * scores; these compare each short cut on its own, on the corpora and on texts made to hit their edges).
 */
class ScoringFastPathsTest {

    static final List<String> EDGES = List.of("@a", "a@b.c", "x @y@z.org-q tail", "@@x", ".@x", "_@x", "é@x", "@", "@ x",
            "mail me: jane@example.com @jane_doe", "@𝒜𝒷 𝒜@x", "#tag@x", "(@x)", "@x.y. and @z", "ww w.example", "WWW.X.de",
            "https://x y", "a://b", "ftp://x", "Ｗｗｗ.x", "ÄÖÜ ß", "e\u0301", "Å", "\u00c5\u0300", "\u1e9b\u0323", "ǅ",
            "sooo", "𝒜𝒜𝒜", "ääa", "aaaa", "x’s", "it's", "ĳ", "İstanbul", "ɑɑɑ", "ʰʰʰ");

    static List<String> texts() {
        List<String> texts = new ArrayList<>(EDGES);
        texts.addAll(ScoringGoldenTest.EDGES);
        LabelledSets.campaigns().forEach(s -> texts.add(s.text()));
        LabelledSets.uci().forEach(s -> texts.add(s.text()));
        LabelledSets.uciGerman().forEach(s -> texts.add(s.text()));
        return texts;
    }

    @Test
    void handlesAreRemovedAsTheRegexRemovesThem() {
        for (String t : texts()) {
            assertThat(Text.withoutHandles(t)).as(t).isEqualTo(Text.HANDLE.matcher(t).replaceAll(" "));
        }
    }

    @Test
    void nfcAndNormGiveWhatTheNormaliserGives() {
        for (String t : texts()) {
            assertThat(Text.nfc(t)).as(t).isEqualTo(Normalizer.normalize(t, Normalizer.Form.NFC));
            for (String w : t.split("\\s+")) {
                String s = Normalizer.normalize(w, Normalizer.Form.NFC).toLowerCase(Locale.ROOT).replace('’', '\'');
                s = s.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss");
                assertThat(Text.norm(w)).as(w).isEqualTo(s);
            }
        }
        // every code point below U+0300 is in NFC on its own (the fast path's premise)
        for (int cp = 0; cp < 0x300; cp++) {
            String s = new String(Character.toChars(cp));
            assertThat(Normalizer.isNormalized(s, Normalizer.Form.NFC)).as("U+%04X", cp).isTrue();
        }
    }

    @Test
    void urlsAreFoundWhereTheRegexFindsThem() {
        for (String t : texts()) {
            if (Text.URL.matcher(t).find()) {
                assertThat(Text.mayHaveUrl(t)).as(t).isTrue();    // the short cut never skips a link
            }
        }
    }

    @Test
    void stretchedWordsAsTheRegexFindsThem() {
        for (String t : texts()) {
            for (String w : t.split("\\s+")) {
                String norm = Text.norm(w);
                List<String> expected = !java.util.regex.Pattern.compile("(\\p{L})\\1\\1").matcher(norm).find() ? List.of()
                        : List.of(norm.replaceAll("(\\p{L})\\1{2,}", "$1$1"), norm.replaceAll("(\\p{L})\\1{2,}", "$1"))
                        .stream().distinct().toList();
                assertThat(Text.unstretched(norm)).as(norm).isEqualTo(expected);
            }
        }
    }

    @Test
    void allSectionsInOnePassFindWhatEachSectionFinds() {
        List<CueList> lists = List.of(CueList.resource("scoring/intent-en.txt"), CueList.resource("scoring/intent-de.txt"));
        for (String t : texts()) {
            List<Text.Token> tokens = Text.tokens(t);
            for (CueList list : lists) {
                CueList.Found all = list.findAll(tokens);
                for (String section : List.of("question", "service", "complaint", "praise", "nonexistent")) {
                    assertThat(all.hits(section)).as(section + ": " + t).isEqualTo(list.find(section, tokens));
                }
            }
        }
    }

    @Test
    void languagesAsTheRegexSplitsThem() {
        for (String lang : List.of("de", "DE", " de-AT ", "en_GB", "en-", "english", "fr", "d", "e-n", "_de", "de_")) {
            String primary = lang.strip().toLowerCase(Locale.ROOT).split("[-_]")[0];
            assertThat(Languages.supported(lang)).as(lang).isEqualTo(primary.equals("en") || primary.equals("de") ? primary : null);
        }
    }

    /** A hostile or broken tag of separators only: the regex split gave no element and scoring threw (the mention failed). */
    @Test
    void aLanguageTagOfSeparatorsOnlyIsUnsupportedNotAFailure() {
        for (String lang : List.of("-", "--", "_", "__", "-_", " - ")) {
            assertThat(Languages.supported(lang)).as("'%s'", lang).isNull();
        }
        io.hearth.mention.Mention mention = io.hearth.mention.Mention.v1("x", "1").text("I love it").lang("-").build();
        assertThat(MentionScorer.defaults().score(mention).sentiment()).isNotNull();
    }
}
