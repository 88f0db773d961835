package io.hearth.scoring.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AFINN baseline as published (Nielsen 2011): the sum of the AFINN-165 valences (−5 … 5) of the words of a text,
 * multi-word entries ("does not work", "no fun") matched first; positive when the sum is above 0, negative below.
 * No negation or other rules: that is the classic AFINN method the issue measured against.
 */
public final class AfinnBaseline {

    private static final Pattern WORD = Pattern.compile("[a-z0-9']+(?:-[a-z0-9']+)*");

    private final Map<String, Integer> valence = new HashMap<>();
    private int maxPhrase = 1;

    public AfinnBaseline() {
        for (String[] p : LabelledSets.rows("scoring/public/afinn-165.tsv", 2)) {
            valence.put(p[0], Integer.parseInt(p[1].strip()));
            maxPhrase = Math.max(maxPhrase, p[0].split(" ").length);
        }
    }

    public int size() {
        return valence.size();
    }

    /** The AFINN sum of the text. */
    public int score(String text) {
        List<String> words = new java.util.ArrayList<>();
        Matcher m = WORD.matcher(text.toLowerCase(Locale.ROOT));
        while (m.find()) {
            words.add(m.group());
        }
        int sum = 0;
        int i = 0;
        while (i < words.size()) {
            int matched = 0;
            for (int n = Math.min(maxPhrase, words.size() - i); n >= 1 && matched == 0; n--) {
                Integer v = valence.get(String.join(" ", words.subList(i, i + n)));
                if (v != null) {
                    sum += v;
                    matched = n;
                }
            }
            i += Math.max(1, matched);
        }
        return sum;
    }

    public String label(String text) {
        int s = score(text);
        return s > 0 ? "positive" : s < 0 ? "negative" : "neutral";
    }
}
