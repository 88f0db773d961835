package io.hearth.scoring;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Lexicon-based sentiment for English and German, the project's own method (in the spirit of
 * rule-based scorers such as VADER, written from scratch here):
 * <ol>
 * <li>tokens ({@link Text}): words, hashtags, emoji, emoticons, punctuation; links and @handles dropped;</li>
 * <li>each word, phrase, emoji or emoticon is looked up in the lexicon of the post's language,
 *     then in the other one (mixed posts, English loan words in German); an explicit weight 0 in
 *     the first lexicon stops the lookup (false friends: "Gift", "fast"); a language's lexicon is the
 *     project's own list over a base list (VADER, translated AFINN-165), and the base list of one
 *     language is not used for posts in the other;</li>
 * <li>an unknown word is tried as an inflected form of a lexicon lemma ({@link Inflection}:
 *     "miserabler" → miserabel);</li>
 * <li>unknown German words are tried as compounds: a prefix ("Riesen|verspätung", "un|zufrieden")
 *     or a known head at the end ("Zug|ausfall", "Signal|störung");</li>
 * <li>a negator ("not", "never", "nicht", "kein", "ohne", "…n't") flips the next sentiment words
 *     of its clause (up to three words) with factor {@value #NEGATION}; a clause-final German
 *     "nicht" ("gefällt mir nicht") flips the word before it;</li>
 * <li>modifiers ("very", "a bit", "sehr", "etwas") multiply the next sentiment word; an all-caps
 *     word counts ×{@value #CAPS}; a contrast word ("but", "aber") halves the sentence before it
 *     and weighs the rest ×1.5;</li>
 * <li>the sum is emphasised by exclamation marks (+{@value #EXCLAMATION} each, at most three) and
 *     normalised to −1 … 1 with {@code s = a / sqrt(a² + }{@value #ALPHA}{@code )}.</li>
 * </ol>
 * Stateless after construction and thread-safe.
 */
public final class LexiconSentimentScorer implements SentimentScorer {

    static final double NEGATION = -0.74;
    static final double CAPS = 1.3;
    static final double STRETCHED = 1.2;
    static final double EXCLAMATION = 0.15;
    static final double ALPHA = 4.0;
    static final double BEFORE_CONTRAST = 0.5;
    static final double AFTER_CONTRAST = 1.5;
    static final int NEGATION_SCOPE = 3;
    static final int MODIFIER_SCOPE = 2;
    static final int MIN_COMPOUND_HEAD = 5;
    static final int MIN_COMPOUND_REST = 3;

    private final Lexicon en;
    private final Lexicon de;

    /** The built-in English and German lexicons. */
    public LexiconSentimentScorer() {
        this(Lexicon.builtIn(Languages.EN), Lexicon.builtIn(Languages.DE));
    }

    public LexiconSentimentScorer(Lexicon en, Lexicon de) {
        this.en = en;
        this.de = de;
    }

    /** The built-in lexicons with a team's own files loaded over them (language → files). */
    public static LexiconSentimentScorer withExtraLexicons(Map<String, List<Path>> extra) {
        Lexicon en = Lexicon.builtIn(Languages.EN);
        Lexicon de = Lexicon.builtIn(Languages.DE);
        extra.forEach((lang, files) -> {
            String language = Languages.supported(lang);
            if (language == null) {
                throw new IllegalArgumentException("hearth.scoring.sentiment.lexicons: unsupported language '" + lang
                        + "' (expected en or de)");
            }
            for (Path file : files) {
                (language.equals(Languages.DE) ? de : en).loadFile(file);
            }
        });
        return new LexiconSentimentScorer(en, de);
    }

    @Override
    public Sentiment score(String text, String lang) {
        return score(text, lang, Text.tokens(text));
    }

    /** The same with the text's {@link Text#tokens} already made (the scorers of one mention share them). */
    Sentiment score(String text, String lang, List<Text.Token> tokens) {
        String reported = Languages.supported(lang);
        String language = reported != null ? reported : Languages.guess(text, tokens);
        if (tokens.isEmpty()) {
            return Sentiment.neutral(language, "lexicon");
        }
        Lexicon primary = language.equals(Languages.DE) ? de : en;
        Lexicon secondary = primary == de ? en : de;
        List<Item> items = match(tokens, primary, secondary);
        return combine(items, language, hasLowerCase(text));
    }

    // ---------------------------------------------------------------- pass 1: what each token is

    /** A matched span of tokens. kind null: a word the lexicons do not know; boundary: clause punctuation. */
    private record Item(int start, int end, Lexicon.Kind kind, double value, String cue, String note, boolean symbol,
                        boolean shouted, Text.Token boundary, double standalone) {
        Item(int start, int end, Lexicon.Kind kind, double value, String cue, String note, boolean symbol,
             boolean shouted, Text.Token boundary) {
            this(start, end, kind, value, cue, note, symbol, shouted, boundary, Double.NaN);
        }

        boolean isBoundary() {
            return boundary != null;
        }

        boolean isSentimentWord() {
            return kind == Lexicon.Kind.WORD && value != 0 && !symbol;
        }
    }

    private static List<Item> match(List<Text.Token> tokens, Lexicon primary, Lexicon secondary) {
        List<Item> items = new ArrayList<>();
        int maxPhrase = Math.max(primary.maxPhraseLength(), secondary.maxPhraseLength());
        int i = 0;
        while (i < tokens.size()) {
            Text.Token t = tokens.get(i);
            if (t.type() == Text.Type.PUNCT) {
                items.add(new Item(i, i + 1, null, 0, t.raw(), null, false, false, t));
                i++;
                continue;
            }
            if (t.type() == Text.Type.EMOJI || t.type() == Text.Type.EMOTICON) {
                Lexicon.Entry e = lookup(t.norm(), primary, secondary);
                if (e != null && e.kind() == Lexicon.Kind.WORD) {
                    items.add(new Item(i, i + 1, Lexicon.Kind.WORD, e.value(), t.norm(), null, true, false, null));
                } else {
                    items.add(new Item(i, i + 1, null, 0, t.norm(), null, true, false, null));
                }
                i++;
                continue;
            }
            Item phrase = null;
            boolean phraseStart = t.isWord() && (primary.startsPhrase(t.norm()) || secondary.startsPhrase(t.norm()));
            for (int n = phraseStart ? Math.min(maxPhrase, tokens.size() - i) : 0; n >= 2 && phrase == null; n--) {
                StringBuilder key = new StringBuilder();
                boolean words = true;
                for (int k = i; k < i + n; k++) {
                    if (!tokens.get(k).isWord()) {
                        words = false;
                        break;
                    }
                    if (k > i) {
                        key.append(' ');
                    }
                    key.append(tokens.get(k).norm());
                }
                if (!words) {
                    continue;
                }
                Lexicon.Entry e = lookup(key.toString(), primary, secondary);
                if (e != null) {
                    phrase = new Item(i, i + n, e.kind(), e.value(), key.toString(), null, false, false, null, e.standalone());
                }
            }
            if (phrase != null) {
                items.add(phrase);
                i = phrase.end();
                continue;
            }
            items.add(word(t, i, primary, secondary));
            i++;
        }
        return items;
    }

    private static Item word(Text.Token t, int i, Lexicon primary, Lexicon secondary) {
        String norm = t.norm();
        boolean shouted = t.shouted();
        Lexicon.Entry e = lookup(norm, primary, secondary);
        if (e != null) {
            return new Item(i, i + 1, e.kind(), e.value(), norm, null, false, shouted, null, e.standalone());
        }
        if (norm.endsWith("n't")) {
            return new Item(i, i + 1, Lexicon.Kind.NEGATOR, 0, norm, null, false, false, null);
        }
        for (String variant : Text.unstretched(norm)) {
            e = lookup(variant, primary, secondary);
            if (e != null) {
                double value = e.kind() == Lexicon.Kind.WORD ? e.value() * STRETCHED
                        : e.kind() == Lexicon.Kind.MODIFIER ? 1 + (e.value() - 1) * STRETCHED : e.value();
                return new Item(i, i + 1, e.kind(), value, variant, "stretched", false, shouted, null,
                        e.standalone() * STRETCHED);
            }
        }
        for (String lemma : Inflection.lemmas(norm, primary.language())) {
            e = primary.get(lemma);
            if (e != null && e.kind() == Lexicon.Kind.WORD) {
                return new Item(i, i + 1, e.kind(), e.value(), lemma, "inflected " + norm, false, shouted, null, e.standalone());
            }
        }
        for (Lexicon lexicon : List.of(primary, secondary)) {
            Item compound = compound(t, i, norm, lexicon, shouted);
            if (compound != null) {
                return compound;
            }
        }
        return new Item(i, i + 1, null, 0, norm, null, false, false, null);
    }

    /** The primary lexicon (the post's language) first; of the other one only the project's own entries, not the base list. */
    private static Lexicon.Entry lookup(String key, Lexicon primary, Lexicon secondary) {
        Lexicon.Entry e = primary.get(key);
        if (e != null) {
            return e;
        }
        e = secondary.get(key);
        return e == null || e.base() ? null : e;
    }

    private static Item compound(Text.Token t, int i, String norm, Lexicon lexicon, boolean shouted) {
        Lexicon.Prefix best = null;
        // only the prefixes starting with the word's first char can be its prefix (the longest one that is wins)
        for (Lexicon.Prefix p : norm.isEmpty() ? new Lexicon.Prefix[0] : lexicon.prefixesStartingWith(norm.charAt(0))) {
            if (norm.startsWith(p.prefix()) && norm.length() - p.prefix().length() >= MIN_COMPOUND_REST
                    && (best == null || p.prefix().length() > best.prefix().length())) {
                best = p;
            }
        }
        if (best != null) {
            String rest = norm.substring(best.prefix().length());
            Lexicon.Entry e = lexicon.get(rest);
            if (e != null && e.kind() == Lexicon.Kind.WORD && e.value() != 0 && !e.base()) {
                return new Item(i, i + 1, Lexicon.Kind.WORD, e.value() * best.factor(), norm,
                        String.format(Locale.ROOT, "%s·%s ×%s", best.prefix(), rest, trim(best.factor())), false, shouted, null);
            }
            if (!Double.isNaN(best.weight())) {
                return new Item(i, i + 1, Lexicon.Kind.WORD, best.weight(), norm, best.prefix() + "· compound", false,
                        shouted, null);
            }
        }
        if (lexicon.language().equals(Languages.DE)) {
            // the longest known head at the end of the word, after at least 3 chars: of the lexicon's compound heads
            // only those ending like the word can be (no substring and look-up per position)
            for (String head : lexicon.compoundHeadsEndingLike(norm)) {
                if (head.length() < MIN_COMPOUND_HEAD) {
                    break;
                }
                if (head.length() <= norm.length() - 3 && norm.endsWith(head)) {
                    Lexicon.Entry e = lexicon.get(head);
                    return new Item(i, i + 1, Lexicon.Kind.WORD, e.value(), norm, "compound ·" + head, false, shouted, null);
                }
            }
        }
        return null;
    }

    // ---------------------------------------------------------------- pass 2: scopes and sums

    /** The running state of pass 2. */
    private static final class Sum {
        final List<Sentiment.Cue> cues = new ArrayList<>();
        final List<Integer> cueItem = new ArrayList<>();
        double raw;
        int negationLeft;
        String negator;
        double factor = 1;
        final List<Item> modifiers = new ArrayList<>();
        int modifierLeft;

        void add(Sentiment.Cue cue, int item, double value) {
            cues.add(cue);
            cueItem.add(item);
            raw += value;
        }

        void replace(int index, double value, String note) {
            Sentiment.Cue cue = cues.get(index);
            raw += value - cue.contribution();
            cues.set(index, new Sentiment.Cue(cue.cue(), round(value), note));
        }

        String modifierWords() {
            StringBuilder b = new StringBuilder();
            modifiers.forEach(m -> b.append(b.isEmpty() ? "" : " ").append(m.cue()));
            return b.toString();
        }

        /** Modifiers that modified nothing: those with a weight of their own ("Super!") count as words. */
        void expireModifiers(int itemIndex) {
            for (Item m : modifiers) {
                if (!Double.isNaN(m.standalone())) {
                    add(new Sentiment.Cue(m.cue(), round(m.standalone()), "alone"), itemIndex, m.standalone());
                }
            }
            modifiers.clear();
            factor = 1;
            modifierLeft = 0;
        }
    }

    private static Sentiment combine(List<Item> items, String language, boolean textHasLowerCase) {
        Sum sum = new Sum();
        List<Sentiment.Cue> cues = sum.cues;
        int sentenceStart = 0;
        int clauseStart = 0;
        boolean afterContrast = false;
        String contrast = null;
        int exclamations = 0;
        for (int idx = 0; idx < items.size(); idx++) {
            Item item = items.get(idx);
            if (item.isBoundary()) {
                sum.expireModifiers(idx);
                sum.negationLeft = 0;
                clauseStart = cues.size();
                if (item.boundary().endsSentence()) {
                    sentenceStart = cues.size();
                    afterContrast = false;
                }
                if (item.boundary().isPunct('!')) {
                    exclamations++;
                }
                continue;
            }
            if (item.kind() == null || (item.kind() == Lexicon.Kind.WORD && item.value() == 0)) {
                if (!item.symbol()) {
                    sum.negationLeft = Math.max(0, sum.negationLeft - 1);
                    if (sum.modifierLeft > 0 && --sum.modifierLeft == 0) {
                        sum.expireModifiers(idx);
                    }
                }
                continue;
            }
            switch (item.kind()) {
                case NEGATOR -> {
                    if (language.equals(Languages.DE) && !sentimentAhead(items, idx) && cues.size() > clauseStart) {
                        int last = cues.size() - 1;
                        Item target = items.get(sum.cueItem.get(last));
                        Sentiment.Cue cue = cues.get(last);
                        if (!target.symbol() && item.start() - target.end() <= 4 && !cue.note().contains("negated")) {
                            sum.replace(last, cue.contribution() * NEGATION, join(cue.note(), "negated by following " + item.cue()));
                            continue;
                        }
                    }
                    sum.negationLeft = NEGATION_SCOPE;
                    sum.negator = item.cue();
                }
                case MODIFIER -> {
                    sum.factor *= item.value();
                    sum.modifiers.add(item);
                    sum.modifierLeft = MODIFIER_SCOPE;
                }
                case CONTRAST -> {
                    sum.expireModifiers(idx);
                    for (int c = sentenceStart; c < cues.size(); c++) {
                        if (items.get(sum.cueItem.get(c)).symbol()) {
                            continue;
                        }
                        Sentiment.Cue cue = cues.get(c);
                        sum.replace(c, cue.contribution() * BEFORE_CONTRAST, join(cue.note(), "before " + item.cue()));
                    }
                    afterContrast = true;
                    contrast = item.cue();
                    sum.negationLeft = 0;
                    clauseStart = cues.size();
                }
                case WORD -> {
                    double value = item.value();
                    String note = item.note() == null ? "" : item.note();
                    if (!item.symbol()) {
                        if (item.shouted() && textHasLowerCase) {
                            value *= CAPS;
                            note = join(note, "CAPS ×" + trim(CAPS));
                        }
                        if (!sum.modifiers.isEmpty()) {
                            value *= sum.factor;
                            note = join(note, "×" + trim(sum.factor) + " " + sum.modifierWords());
                            sum.modifiers.clear();
                            sum.factor = 1;
                            sum.modifierLeft = 0;
                        }
                        if (sum.negationLeft > 0) {
                            value *= NEGATION;
                            note = join(note, "negated by " + sum.negator);
                            sum.negationLeft--;
                        }
                        if (afterContrast) {
                            value *= AFTER_CONTRAST;
                            note = join(note, "after " + contrast + " ×" + trim(AFTER_CONTRAST));
                        }
                    }
                    sum.add(new Sentiment.Cue(item.cue(), round(value), note), idx, value);
                }
                default -> throw new IllegalStateException(item.kind().toString());
            }
        }
        sum.expireModifiers(items.size() - 1);
        double raw = sum.raw;
        if (raw != 0 && exclamations > 0) {
            double emphasis = EXCLAMATION * Math.min(3, exclamations);
            cues.add(new Sentiment.Cue("!".repeat(Math.min(3, exclamations)), round(raw * emphasis),
                    "emphasis ×" + trim(1 + emphasis)));
            raw *= 1 + emphasis;
        }
        double score = raw / Math.sqrt(raw * raw + ALPHA);
        score = Math.max(-1, Math.min(1, Math.round(score * 1000) / 1000.0));
        return new Sentiment(score == 0 ? 0 : score, language, cues, "lexicon");
    }

    /** Is there a sentiment word in the negator's clause, within its scope? */
    private static boolean sentimentAhead(List<Item> items, int idx) {
        int words = 0;
        for (int k = idx + 1; k < items.size() && words < NEGATION_SCOPE + 1; k++) {
            Item next = items.get(k);
            if (next.isBoundary() || next.kind() == Lexicon.Kind.CONTRAST) {
                return false;
            }
            if (next.isSentimentWord()) {
                return true;
            }
            if (!next.symbol()) {
                words++;
            }
        }
        return false;
    }

    private static boolean hasLowerCase(String text) {
        if (text == null) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            if (Character.isLowerCase(text.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    private static String join(String a, String b) {
        return a == null || a.isEmpty() ? b : a + ", " + b;
    }

    private static String trim(double d) {
        return Numbers.trimmed(d);
    }

    private static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }
}
