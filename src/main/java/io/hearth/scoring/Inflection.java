package io.hearth.scoring;

import java.util.ArrayList;
import java.util.List;

/**
 * Candidate base forms of an inflected word, tried in order when the word itself is not in the lexicon, so that a
 * lexicon needs only the lemma: German "miserabler", "miserablen" → "miserabel", "teurer" → "teuer",
 * "enttäuschende" → "enttäuschend", "nervt" → "nerven", "Enttäuschungen" → "enttäuschung"; English "disappointingly"
 * → "disappointing", "hated" → "hate", "stopped" → "stop", "uglier" → "ugly".
 * <p>
 * Suffix rules on the normalised word (lower case, umlauts folded), not a full stemmer: a Snowball stemmer maps the
 * word to a stem that matches no lexicon entry ("miserabl"), and a lemma dictionary with a commercial-use licence for
 * German was not available; these rules cover the regular adjective, noun and weak-verb endings, including the
 * dropped e of adjectives in -el/-er ("miserabel" → "miserable", "teuer" → "teure"). Irregular forms ("besser",
 * "am besten", "worst") are lexicon entries of their own.
 */
public final class Inflection {

    private static final String[] DE_ENDINGS = {"esten", "ester", "estem", "estes", "este", "sten", "ster", "stem",
            "stes", "ste", "eren", "erer", "erem", "eres", "ere", "ten", "ter", "tem", "tes", "te", "er", "en", "em", "es",
            "st", "e", "n", "s", "t"};
    private static final String[] EN_ENDINGS = {"ing", "ed", "est", "er", "es", "s"};
    private static final int MIN_STEM = 3;

    private Inflection() {
    }

    /** Candidate lemmas of a normalised word in a language ({@code de} or {@code en}), most likely first; may be empty. */
    public static List<String> lemmas(String norm, String language) {
        if (norm.length() < 4 || !isLetters(norm)) {
            return List.of();
        }
        return language.equals(Languages.DE) ? german(norm) : english(norm);
    }

    private static List<String> german(String w) {
        List<String> out = new ArrayList<>(8);
        if (w.endsWith("e")) {
            add(out, w + "n", w);          // bereue → bereuen, hasse → hassen
        }
        for (String ending : DE_ENDINGS) {
            if (w.length() - ending.length() >= MIN_STEM && w.endsWith(ending)) {
                String stem = w.substring(0, w.length() - ending.length());
                add(out, stem, w);
                char last = stem.charAt(stem.length() - 1);
                if (last == 'l' || last == 'r') {
                    add(out, stem.substring(0, stem.length() - 1) + "e" + last, w); // miserabl → miserabel, teur → teuer
                }
                add(out, stem + "e", w);   // muede → mued+e
                if (ending.charAt(0) == 't' || ending.equals("st")) {
                    add(out, stem + "en", w);  // nervt → nerven (weak verb endings only: "schon" is not "schoen")
                    add(out, stem + "t", w);   // enttaeuschte → enttaeuscht
                }
            }
        }
        return out;
    }

    private static List<String> english(String w) {
        List<String> out = new ArrayList<>(6);
        if (w.endsWith("ily") && w.length() > 5) {
            add(out, w.substring(0, w.length() - 3) + "y", w);           // happily → happy
        }
        if (w.endsWith("ly") && w.length() > 5) {
            add(out, w.substring(0, w.length() - 2), w);                 // badly → bad, disappointingly → disappointing
            add(out, w.substring(0, w.length() - 2) + "e", w);           // terribly? (terrible: see "bly")
        }
        if (w.endsWith("bly") && w.length() > 5) {
            add(out, w.substring(0, w.length() - 1) + "e", w);           // terribly → terrible
        }
        if (w.endsWith("ies") && w.length() > 5) {
            add(out, w.substring(0, w.length() - 3) + "y", w);           // worries → worry
        }
        if (w.endsWith("ied") && w.length() > 5) {
            add(out, w.substring(0, w.length() - 3) + "y", w);           // worried → worry
        }
        if (w.endsWith("ier") && w.length() > 5) {
            add(out, w.substring(0, w.length() - 3) + "y", w);           // uglier → ugly
        }
        if (w.endsWith("iest") && w.length() > 6) {
            add(out, w.substring(0, w.length() - 4) + "y", w);           // ugliest → ugly
        }
        for (String ending : EN_ENDINGS) {
            if (w.length() - ending.length() >= MIN_STEM && w.endsWith(ending)) {
                String stem = w.substring(0, w.length() - ending.length());
                if (ending.equals("s") && stem.endsWith("s")) {
                    continue; // "less", "boss"
                }
                add(out, stem, w);
                if (!ending.equals("s")) {
                    add(out, stem + "e", w);                              // hated → hate, nicer → nice
                    int n = stem.length();
                    if (n > 3 && stem.charAt(n - 1) == stem.charAt(n - 2) && !vowel(stem.charAt(n - 1))) {
                        add(out, stem.substring(0, n - 1), w);            // stopped → stop
                    }
                }
            }
        }
        return out;
    }

    private static void add(List<String> out, String candidate, String word) {
        if (candidate.length() >= MIN_STEM && !candidate.equals(word) && !out.contains(candidate)) {
            out.add(candidate);
        }
    }

    private static boolean vowel(char c) {
        return "aeiouy".indexOf(c) >= 0;
    }

    private static boolean isLetters(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 'a' || c > 'z') {
                return false;
            }
        }
        return true;
    }
}
