package io.hearth.scoring.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The VADER baseline: a port of the rules of vaderSentiment 3.3.2 (Hutto &amp; Gilbert, ICWSM 2014; MIT) over its
 * published lexicon ({@code scoring/third-party/vader_lexicon.txt}): booster/dampener words with distance decay,
 * ALL-CAPS emphasis, negation in a window of three words ("no", "n't", "never so"), "least", "but" (before ×0.5, after
 * ×1.5), special idioms, "!" and "?" emphasis, compound {@code s / sqrt(s² + 15)}; positive at compound ≥ 0.05,
 * negative at ≤ −0.05 (VADER's published thresholds). One deliberate difference: the "but" rule re-weights by position
 * (VADER's intent) where the Python code looks the position up by value ({@code list.index}).
 * Emoji descriptions are not translated (the public sets here hold no emoji).
 */
public final class VaderBaseline {

    static final double B_INCR = 0.293;
    static final double B_DECR = -0.293;
    static final double C_INCR = 0.733;
    static final double N_SCALAR = -0.74;
    private static final String PUNCTUATION = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

    static final Set<String> NEGATE = Set.of("aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt",
            "ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't", "dont", "hadnt", "hasnt", "havent",
            "isnt", "mightnt", "mustnt", "neither", "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't",
            "neednt", "needn't", "never", "none", "nope", "nor", "not", "nothing", "nowhere", "oughtnt", "shant",
            "shouldnt", "uhuh", "wasnt", "werent", "oughtn't", "shan't", "shouldn't", "uh-uh", "wasn't", "weren't",
            "without", "wont", "wouldnt", "won't", "wouldn't", "rarely", "seldom", "despite");

    static final Map<String, Double> BOOSTER = new HashMap<>();

    static {
        for (String w : List.of("absolutely", "amazingly", "awfully", "completely", "considerable", "considerably",
                "decidedly", "deeply", "effing", "enormous", "enormously", "entirely", "especially", "exceptional",
                "exceptionally", "extreme", "extremely", "fabulously", "flipping", "flippin", "frackin", "fracking",
                "fricking", "frickin", "frigging", "friggin", "fully", "fuckin", "fucking", "fuggin", "fugging",
                "greatly", "hella", "highly", "hugely", "incredible", "incredibly", "intensely", "major", "majorly",
                "more", "most", "particularly", "purely", "quite", "really", "remarkably", "so", "substantially",
                "thoroughly", "total", "totally", "tremendous", "tremendously", "uber", "unbelievably", "unusually",
                "utter", "utterly", "very")) {
            BOOSTER.put(w, B_INCR);
        }
        for (String w : List.of("almost", "barely", "hardly", "just enough", "kind of", "kinda", "kindof", "kind-of",
                "less", "little", "marginal", "marginally", "occasional", "occasionally", "partly", "scarce", "scarcely",
                "slight", "slightly", "somewhat", "sort of", "sorta", "sortof", "sort-of")) {
            BOOSTER.put(w, B_DECR);
        }
    }

    static final Map<String, Double> SPECIAL_CASES = Map.of("the shit", 3.0, "the bomb", 3.0, "bad ass", 1.5,
            "badass", 1.5, "bus stop", 0.0, "yeah right", -2.0, "kiss of death", -1.5, "to die for", 3.0,
            "beating heart", 3.1, "broken heart", -2.9);

    private final Map<String, Double> lexicon = new HashMap<>();

    public VaderBaseline() {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Objects.requireNonNull(
                VaderBaseline.class.getClassLoader().getResourceAsStream("scoring/third-party/vader_lexicon.txt")),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] p = line.split("\t");
                if (p.length >= 2 && !line.startsWith("#")) {
                    lexicon.put(p[0], Double.parseDouble(p[1]));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int size() {
        return lexicon.size();
    }

    public String label(String text) {
        double c = compound(text);
        return c >= 0.05 ? "positive" : c <= -0.05 ? "negative" : "neutral";
    }

    /** VADER's compound score, rounded to four decimals as the Python code does. */
    public double compound(String text) {
        List<String> words = wordsAndEmoticons(text);
        boolean capDiff = allCapDifferential(words);
        List<Double> sentiments = new ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            String lower = lower(words.get(i));
            if (BOOSTER.containsKey(lower)) {
                sentiments.add(0.0);
                continue;
            }
            if (i < words.size() - 1 && lower.equals("kind") && lower(words.get(i + 1)).equals("of")) {
                sentiments.add(0.0);
                continue;
            }
            sentiments.add(valence(words, i, capDiff));
        }
        butCheck(words, sentiments);
        if (sentiments.isEmpty()) {
            return 0;
        }
        double sum = 0;
        for (double s : sentiments) {
            sum += s;
        }
        double emphasis = punctuationEmphasis(text);
        if (sum > 0) {
            sum += emphasis;
        } else if (sum < 0) {
            sum -= emphasis;
        }
        double compound = Math.max(-1, Math.min(1, sum / Math.sqrt(sum * sum + 15)));
        return Math.round(compound * 10000) / 10000.0;
    }

    private double valence(List<String> words, int i, boolean capDiff) {
        String item = words.get(i);
        String lower = lower(item);
        Double base = lexicon.get(lower);
        if (base == null) {
            return 0;
        }
        double valence = base;
        if (lower.equals("no") && i != words.size() - 1 && lexicon.containsKey(lower(words.get(i + 1)))) {
            valence = 0;
        }
        if ((i > 0 && lower(words.get(i - 1)).equals("no")) || (i > 1 && lower(words.get(i - 2)).equals("no"))
                || (i > 2 && lower(words.get(i - 3)).equals("no") && Set.of("or", "nor").contains(lower(words.get(i - 1))))) {
            valence = base * N_SCALAR;
        }
        if (isUpper(item) && capDiff) {
            valence += valence > 0 ? C_INCR : -C_INCR;
        }
        for (int start = 0; start < 3; start++) {
            if (i > start && !lexicon.containsKey(lower(words.get(i - (start + 1))))) {
                double s = scalarIncDec(words.get(i - (start + 1)), valence, capDiff);
                if (start == 1 && s != 0) {
                    s *= 0.95;
                }
                if (start == 2 && s != 0) {
                    s *= 0.9;
                }
                valence += s;
                valence = negationCheck(valence, words, start, i);
                if (start == 2) {
                    valence = specialIdioms(valence, words, i);
                }
            }
        }
        return leastCheck(valence, words, i);
    }

    private double leastCheck(double valence, List<String> words, int i) {
        if (i > 1 && !lexicon.containsKey(lower(words.get(i - 1))) && lower(words.get(i - 1)).equals("least")) {
            String before = lower(words.get(i - 2));
            if (!before.equals("at") && !before.equals("very")) {
                valence *= N_SCALAR;
            }
        } else if (i > 0 && !lexicon.containsKey(lower(words.get(i - 1))) && lower(words.get(i - 1)).equals("least")) {
            valence *= N_SCALAR;
        }
        return valence;
    }

    private static double negationCheck(double valence, List<String> words, int start, int i) {
        String w1 = lower(words.get(i - 1));
        if (start == 0) {
            if (negated(w1)) {
                valence *= N_SCALAR;
            }
        } else if (start == 1) {
            String w2 = lower(words.get(i - 2));
            if (w2.equals("never") && (w1.equals("so") || w1.equals("this"))) {
                valence *= 1.25;
            } else if (w2.equals("without") && w1.equals("doubt")) {
                // unchanged
            } else if (negated(w2)) {
                valence *= N_SCALAR;
            }
        } else {
            String w2 = lower(words.get(i - 2));
            String w3 = lower(words.get(i - 3));
            if ((w3.equals("never") && (w2.equals("so") || w2.equals("this"))) || (w1.equals("so") || w1.equals("this"))) {
                valence *= 1.25;
            } else if (w3.equals("without") && (w2.equals("doubt") || w1.equals("doubt"))) {
                // unchanged
            } else if (negated(w3)) {
                valence *= N_SCALAR;
            }
        }
        return valence;
    }

    private static double specialIdioms(double valence, List<String> words, int i) {
        String w0 = lower(words.get(i));
        String w1 = lower(words.get(i - 1));
        String w2 = lower(words.get(i - 2));
        String w3 = lower(words.get(i - 3));
        for (String seq : List.of(w1 + " " + w0, w2 + " " + w1 + " " + w0, w2 + " " + w1, w3 + " " + w2 + " " + w1,
                w3 + " " + w2)) {
            if (SPECIAL_CASES.containsKey(seq)) {
                valence = SPECIAL_CASES.get(seq);
                break;
            }
        }
        if (words.size() - 1 > i) {
            String seq = w0 + " " + lower(words.get(i + 1));
            if (SPECIAL_CASES.containsKey(seq)) {
                valence = SPECIAL_CASES.get(seq);
            }
        }
        if (words.size() - 1 > i + 1) {
            String seq = w0 + " " + lower(words.get(i + 1)) + " " + lower(words.get(i + 2));
            if (SPECIAL_CASES.containsKey(seq)) {
                valence = SPECIAL_CASES.get(seq);
            }
        }
        for (String gram : List.of(w3 + " " + w2 + " " + w1, w3 + " " + w2, w2 + " " + w1)) {
            Double b = BOOSTER.get(gram);
            if (b != null) {
                valence += b;
            }
        }
        return valence;
    }

    private static double scalarIncDec(String word, double valence, boolean capDiff) {
        Double b = BOOSTER.get(lower(word));
        if (b == null) {
            return 0;
        }
        double scalar = valence < 0 ? -b : b;
        if (isUpper(word) && capDiff) {
            scalar += valence > 0 ? C_INCR : -C_INCR;
        }
        return scalar;
    }

    private static void butCheck(List<String> words, List<Double> sentiments) {
        int bi = -1;
        for (int k = 0; k < words.size(); k++) {
            if (lower(words.get(k)).equals("but")) {
                bi = k;
                break;
            }
        }
        if (bi < 0) {
            return;
        }
        for (int k = 0; k < sentiments.size(); k++) {
            if (k < bi) {
                sentiments.set(k, sentiments.get(k) * 0.5);
            } else if (k > bi) {
                sentiments.set(k, sentiments.get(k) * 1.5);
            }
        }
    }

    private static double punctuationEmphasis(String text) {
        long ep = Math.min(4, text.chars().filter(c -> c == '!').count());
        long qm = text.chars().filter(c -> c == '?').count();
        double qa = qm > 1 ? (qm <= 3 ? qm * 0.18 : 0.96) : 0;
        return ep * 0.292 + qa;
    }

    static boolean negated(String lowerWord) {
        return NEGATE.contains(lowerWord) || lowerWord.contains("n't");
    }

    static List<String> wordsAndEmoticons(String text) {
        List<String> out = new ArrayList<>();
        for (String token : text.strip().split("\\s+")) {
            if (!token.isEmpty()) {
                String stripped = strip(token);
                out.add(stripped.length() <= 2 ? token : stripped);
            }
        }
        return out;
    }

    private static String strip(String token) {
        int a = 0;
        int b = token.length();
        while (a < b && PUNCTUATION.indexOf(token.charAt(a)) >= 0) {
            a++;
        }
        while (b > a && PUNCTUATION.indexOf(token.charAt(b - 1)) >= 0) {
            b--;
        }
        return token.substring(a, b);
    }

    private static boolean allCapDifferential(List<String> words) {
        int caps = 0;
        for (String w : words) {
            if (isUpper(w)) {
                caps++;
            }
        }
        int diff = words.size() - caps;
        return diff > 0 && diff < words.size();
    }

    /** Python's str.isupper(): at least one cased character, and no lower-case one. */
    static boolean isUpper(String s) {
        boolean cased = false;
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (Character.isLowerCase(c)) {
                return false;
            }
            if (Character.isUpperCase(c)) {
                cased = true;
            }
        }
        return cased;
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
