package io.hearth.scoring;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A sentiment lexicon for one language, read from a text file (UTF-8, {@code #} comments):
 * <pre>
 * [words]            word or phrase &lt;TAB&gt; weight (−3 … 3) [&lt;TAB&gt; exact]; weight 0 marks a known
 *                    neutral word; "exact" keeps a word from matching as the head of a compound
 * [negators]         one word or phrase a line ("not", "kein", "never")
 * [modifiers]        word or phrase &lt;TAB&gt; factor [&lt;TAB&gt; weight] (&gt;1 intensifies, &lt;1 dampens; the
 *                    weight counts when the modifier modifies nothing: "Super!", "Mega.")
 * [contrast]         one word a line ("but", "aber"): the clause after it counts more
 * [prefixes]         compound prefix &lt;TAB&gt; factor [&lt;TAB&gt; weight] ("super 1.4", "un -0.8", "mist 1.3 -1.5")
 * </pre>
 * Lines before any section header are words. Keys are normalised like the text ({@link Text#key}),
 * so "Verspätung" and "verspaetung" are the same entry. Later files override earlier ones, which is
 * how a team adds its own words over the built-in lexicon.
 */
public final class Lexicon {

    /** What a lexicon entry does. */
    public enum Kind { WORD, NEGATOR, MODIFIER, CONTRAST }

    /**
     * One entry; {@code value} is the weight for words and the factor for modifiers. {@code base}: from a third-party
     * base lexicon (VADER, AFINN), which is consulted only for posts of its own language: a German post never takes
     * "war" or "die" from the English base list, only from the project's own lists.
     */
    public record Entry(String key, Kind kind, double value, boolean exact, double standalone, boolean base) {
        public Entry(String key, Kind kind, double value) {
            this(key, kind, value, false, Double.NaN, false);
        }

        public Entry(String key, Kind kind, double value, boolean exact, double standalone) {
            this(key, kind, value, exact, standalone, false);
        }
    }

    /** A compound prefix: multiplies a known rest by {@code factor}; {@code weight} (may be NaN) applies when the rest is unknown. */
    public record Prefix(String prefix, double factor, double weight) {
    }

    private final String language;
    private final Map<String, Entry> entries = new HashMap<>();
    private final Map<String, Prefix> prefixes = new HashMap<>();
    private int maxPhraseLength = 1;
    /** The first words of all phrases: a token that starts none is not looked up as a phrase. */
    private final java.util.Set<String> phraseStarts = new java.util.HashSet<>();
    /** The compound look-ups ({@link #prefixesStartingWith}, {@link #compoundHeadsEndingLike}): built on first use, dropped by every change. */
    private volatile Compounds compounds;

    /** Length of the ending by which {@link #compoundHeadsEndingLike} finds its candidates. */
    static final int HEAD_ENDING = 4;

    /**
     * Prefixes by their first char; compound heads (see {@link #compoundHeadsEndingLike}) by their last
     * {@value #HEAD_ENDING} chars, longest first.
     */
    private record Compounds(Map<Character, Prefix[]> prefixes, Map<String, String[]> heads) {
    }

    public Lexicon(String language) {
        this.language = language;
    }

    public String language() {
        return language;
    }

    /** English base: VADER's lexicon (MIT), mean ratings −4 … 4, scaled onto Hearth's scale ("good" 1.9 → 1.4). */
    static final double VADER_SCALE = 0.75;
    /**
     * Of VADER's list only words rated ±0.5 and beyond: below that the raters were split or near neutral ("number" 0.3,
     * "want" 0.3), and such words only push neutral posts over the neutral band.
     */
    static final double VADER_MIN = 0.5;
    /** German base: AFINN-165 translated (MIT/ODbL), −5 … 5 ("gut" 3 → 1.5). */
    static final double AFINN_SCALE = 0.5;
    /**
     * Of the translated AFINN list only words rated ±2 and beyond: the ±1 words are weak and often ambiguous, and
     * ambiguity is where a machine translation goes wrong ("gerade" for "straight", "ziehen" for "pull").
     */
    static final double AFINN_DE_MIN = 2;

    /**
     * The built-in lexicon of a language: the third-party base list ({@code scoring/third-party/}, see the README
     * there), then the shared emoji file and {@code scoring/sentiment-<lang>.txt}, the project's own lists, which win.
     */
    public static Lexicon builtIn(String language) {
        Lexicon lexicon = new Lexicon(language);
        if (language.equals(Languages.EN)) {
            lexicon.loadBase("scoring/third-party/vader_lexicon.txt", VADER_SCALE, VADER_MIN);
        } else if (language.equals(Languages.DE)) {
            lexicon.loadBase("scoring/third-party/afinn-165-de.txt", AFINN_SCALE, AFINN_DE_MIN);
        }
        lexicon.loadResource("scoring/sentiment-emoji.txt");
        lexicon.loadResource("scoring/sentiment-" + language + ".txt");
        return lexicon;
    }

    public Lexicon loadResource(String resource) {
        InputStream in = Lexicon.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalArgumentException("lexicon resource not found: " + resource);
        }
        try (Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
            return load(reader, resource);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Loads a third-party word list: {@code word<TAB>weight[<TAB>anything]} a line ({@code #} comments), weights
     * multiplied by {@code scale}; words rated below {@code minAbs} (before scaling) get weight 0. Entries are marked
     * {@link Entry#base()}: they are not used for posts of the other language nor as heads of compounds.
     */
    public Lexicon loadBase(String resource, double scale, double minAbs) {
        InputStream in = Lexicon.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalArgumentException("lexicon resource not found: " + resource);
        }
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = lines.readLine()) != null) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\t");
                String key = Text.key(parts[0]);
                if (key.isEmpty()) {
                    continue;
                }
                double rating = number(parts, 1, resource, number, -5, 5);
                // a weak word is kept as a known neutral word (weight 0), so it is not mistaken for an inflected form
                // of another word ("number" is not "numb" + er)
                double weight = Math.abs(rating) < minAbs ? 0 : rating * scale;
                put(new Entry(key, Kind.WORD, Math.round(weight * 1000) / 1000.0, false, Double.NaN, true));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    public Lexicon loadFile(Path file) {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return load(reader, file.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read lexicon " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads entries; a malformed line fails with the source name and line number. */
    public Lexicon load(Reader reader, String source) throws IOException {
        BufferedReader lines = new BufferedReader(reader);
        String section = "words";
        String line;
        int number = 0;
        while ((line = lines.readLine()) != null) {
            number++;
            if (number == 1 && line.startsWith("\uFEFF")) {
                line = line.substring(1);
            }
            String content = line.strip();
            if (content.isEmpty() || content.startsWith("#")) {
                continue;
            }
            if (content.startsWith("[") && content.endsWith("]")) {
                section = content.substring(1, content.length() - 1).strip().toLowerCase(Locale.ROOT);
                if (!section.matches("words|negators|modifiers|contrast|prefixes")) {
                    throw new IllegalArgumentException(source + ":" + number + ": unknown section [" + section
                            + "] (expected words, negators, modifiers, contrast, prefixes)");
                }
                continue;
            }
            String[] parts = line.split("\t");
            String key = Text.key(parts[0]);
            if (key.isEmpty()) {
                throw new IllegalArgumentException(source + ":" + number + ": empty entry");
            }
            switch (section) {
                case "words" -> put(new Entry(key, Kind.WORD, number(parts, 1, source, number, -5, 5),
                        parts.length > 2 && parts[2].strip().equals("exact"), Double.NaN));
                case "negators" -> put(new Entry(key, Kind.NEGATOR, 0));
                case "contrast" -> put(new Entry(key, Kind.CONTRAST, 0));
                case "modifiers" -> put(new Entry(key, Kind.MODIFIER, number(parts, 1, source, number, 0, 5), false,
                        parts.length > 2 ? number(parts, 2, source, number, -5, 5) : Double.NaN));
                case "prefixes" -> putPrefix(key, new Prefix(key, number(parts, 1, source, number, -5, 5),
                        parts.length > 2 ? number(parts, 2, source, number, -5, 5) : Double.NaN));
                default -> throw new IllegalStateException(section);
            }
        }
        return this;
    }

    private static double number(String[] parts, int index, String source, int line, double min, double max) {
        if (parts.length <= index || parts[index].isBlank()) {
            throw new IllegalArgumentException(source + ":" + line + ": missing number after a TAB (word<TAB>number)");
        }
        try {
            double value = Double.parseDouble(parts[index].strip());
            if (!(value >= min && value <= max)) {
                throw new IllegalArgumentException(source + ":" + line + ": " + value + " is outside " + min + " … " + max);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(source + ":" + line + ": '" + parts[index].strip() + "' is not a number");
        }
    }

    private void put(Entry entry) {
        entries.put(entry.key(), entry);
        compounds = null;
        int space = entry.key().indexOf(' ');
        if (space > 0) {
            maxPhraseLength = Math.max(maxPhraseLength, entry.key().split(" ").length);
            phraseStarts.add(entry.key().substring(0, space));
        }
    }

    private Prefix putPrefix(String key, Prefix prefix) {
        compounds = null;
        return prefixes.put(key, prefix);
    }

    /** Does some phrase of this lexicon start with this word? */
    public boolean startsPhrase(String word) {
        return phraseStarts.contains(word);
    }

    public Entry get(String key) {
        return entries.get(key);
    }

    public Prefix prefix(String key) {
        return prefixes.get(key);
    }

    public Map<String, Prefix> prefixes() {
        return java.util.Collections.unmodifiableMap(prefixes);
    }

    /** The prefixes that start with {@code c} (a word's first char: only those can be its prefix). */
    public Prefix[] prefixesStartingWith(char c) {
        return compounds().prefixes().getOrDefault(c, NO_PREFIXES);
    }

    /**
     * The keys of the words that may be the head of a compound (sentiment words, weight not 0, neither "exact" nor from
     * the base list) of at least {@value #HEAD_ENDING} chars and ending with the same {@value #HEAD_ENDING} chars as
     * {@code word}, longest first: a head at the end of {@code word} is one of them.
     */
    public String[] compoundHeadsEndingLike(String word) {
        if (word.length() < HEAD_ENDING) {
            return NO_HEADS;
        }
        return compounds().heads().getOrDefault(word.substring(word.length() - HEAD_ENDING), NO_HEADS);
    }

    private static final Prefix[] NO_PREFIXES = {};
    private static final String[] NO_HEADS = {};

    private Compounds compounds() {
        Compounds c = compounds;
        if (c == null) {
            Map<Character, List<Prefix>> byFirst = new HashMap<>();
            for (Prefix p : prefixes.values()) {
                if (!p.prefix().isEmpty()) {
                    byFirst.computeIfAbsent(p.prefix().charAt(0), k -> new ArrayList<>()).add(p);
                }
            }
            Map<String, List<String>> byEnding = new HashMap<>();
            for (Entry e : entries.values()) {
                if (e.kind() == Kind.WORD && e.value() != 0 && !e.exact() && !e.base() && e.key().length() >= HEAD_ENDING) {
                    byEnding.computeIfAbsent(e.key().substring(e.key().length() - HEAD_ENDING), k -> new ArrayList<>()).add(e.key());
                }
            }
            Map<Character, Prefix[]> p = new HashMap<>();
            byFirst.forEach((k, v) -> p.put(k, v.toArray(Prefix[]::new)));
            Map<String, String[]> h = new HashMap<>();
            byEnding.forEach((k, v) -> h.put(k, v.stream().sorted(Comparator.comparingInt(String::length).reversed())
                    .toArray(String[]::new)));
            c = new Compounds(p, h);
            compounds = c;
        }
        return c;
    }

    public int maxPhraseLength() {
        return maxPhraseLength;
    }

    public int size() {
        return entries.size();
    }
}
