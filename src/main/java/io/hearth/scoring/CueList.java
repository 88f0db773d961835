package io.hearth.scoring;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Named lists of word patterns (intent cues, topic keywords) matched against {@link Text} tokens.
 * A pattern is one or more words; each word may carry a {@code *} at its start and/or end
 * ({@code streik*} matches "Streikchaos", {@code *störung} matches "Signalstörung",
 * {@code *ausfall*} matches "Zugausfälle"… as normalised: "zugausfaelle"). A pattern starting with
 * {@code ^} matches only at the start of a sentence. Case and umlaut spelling do not matter.
 */
public final class CueList {

    /** A compiled pattern; {@code matchers} are its words ready to compare (no parsing per comparison). */
    public record Pattern(String source, List<String> words, boolean sentenceStart, double weight, List<Word> matchers) {

        public Pattern(String source, List<String> words, boolean sentenceStart, double weight) {
            this(source, words, sentenceStart, weight, words.stream().map(Word::of).toList());
        }
    }

    /** One pattern word: its core and where the {@code *} wildcards are. */
    record Word(String core, boolean head, boolean tail) {

        static Word of(String pattern) {
            boolean head = pattern.startsWith("*");
            boolean tail = pattern.endsWith("*") && pattern.length() > 1;
            return new Word(pattern.substring(head ? 1 : 0, pattern.length() - (tail ? 1 : 0)), head, tail);
        }

        boolean matches(String word) {
            if (head && tail) {
                return word.contains(core);
            }
            if (head) {
                return word.endsWith(core);
            }
            if (tail) {
                return word.startsWith(core);
            }
            return word.equals(core);
        }
    }

    /** A match: the pattern and the index of its first token. */
    public record Hit(Pattern pattern, int token) {
    }

    private final Map<String, List<Pattern>> sections = new LinkedHashMap<>();
    /** Per section, its patterns by first word (built on first use, dropped by {@link #add}): see {@link #find}. */
    private final Map<String, FirstWords> firstWords = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A section's patterns by their first word: an exact first word in a hash map, a first word with a wildcard in a
     * list tried at every word. Indices are positions in the section's list.
     */
    private record FirstWords(Map<String, int[]> exact, int[] wildcard) {

        static FirstWords of(List<Pattern> patterns) {
            Map<String, List<Integer>> exact = new java.util.HashMap<>();
            List<Integer> wildcard = new ArrayList<>();
            for (int i = 0; i < patterns.size(); i++) {
                Word first = patterns.get(i).matchers().get(0);
                if (first.head() || first.tail()) {
                    wildcard.add(i);
                } else {
                    exact.computeIfAbsent(first.core(), k -> new ArrayList<>()).add(i);
                }
            }
            Map<String, int[]> byWord = new java.util.HashMap<>();
            exact.forEach((word, list) -> byWord.put(word, list.stream().mapToInt(Integer::intValue).toArray()));
            return new FirstWords(byWord, wildcard.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    /** Loads {@code [section]} headers and {@code pattern[<TAB>weight]} lines (weight default 1). */
    public static CueList resource(String... resources) {
        CueList list = new CueList();
        for (String resource : resources) {
            InputStream in = CueList.class.getClassLoader().getResourceAsStream(resource);
            if (in == null) {
                throw new IllegalArgumentException("cue resource not found: " + resource);
            }
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String section = null;
                String line;
                int number = 0;
                while ((line = lines.readLine()) != null) {
                    number++;
                    String content = line.strip();
                    if (content.isEmpty() || content.startsWith("#")) {
                        continue;
                    }
                    if (content.startsWith("[") && content.endsWith("]")) {
                        section = content.substring(1, content.length() - 1).strip().toLowerCase(Locale.ROOT);
                        continue;
                    }
                    if (section == null) {
                        throw new IllegalArgumentException(resource + ":" + number + ": entry before any [section]");
                    }
                    String[] parts = line.split("\t");
                    double weight = 1;
                    if (parts.length > 1 && !parts[1].isBlank()) {
                        try {
                            weight = Double.parseDouble(parts[1].strip());
                        } catch (NumberFormatException e) {
                            throw new IllegalArgumentException(resource + ":" + number + ": '" + parts[1].strip() + "' is not a number");
                        }
                    }
                    list.add(section, parts[0], weight);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return list;
    }

    public CueList add(String section, String pattern, double weight) {
        String p = pattern.strip();
        boolean start = p.startsWith("^");
        if (start) {
            p = p.substring(1).strip();
        }
        List<String> words = new ArrayList<>();
        for (String w : p.split("\\s+")) {
            if (!w.isEmpty()) {
                words.add(w.startsWith("#") && w.length() > 1 ? Text.norm(w.substring(1)) : Text.norm(w));
            }
        }
        if (words.isEmpty()) {
            throw new IllegalArgumentException("empty pattern in [" + section + "]");
        }
        sections.computeIfAbsent(section, s -> new ArrayList<>()).add(new Pattern(pattern.strip(), List.copyOf(words), start, weight));
        firstWords.remove(section);
        all = null;
        return this;
    }

    /**
     * Every section's patterns in one index ({@link #findAll}): the sections one after the other, each in its own
     * order; by exact first word and the wildcard first words, as {@link FirstWords} does for one section. Built on
     * first use, dropped by {@link #add}.
     */
    private volatile All all;

    private record All(String[] names, int[] starts, List<Pattern> patterns, FirstWords index) {

        static All of(Map<String, List<Pattern>> sections) {
            String[] names = sections.keySet().toArray(String[]::new);
            int[] starts = new int[names.length + 1];
            List<Pattern> patterns = new ArrayList<>();
            for (int s = 0; s < names.length; s++) {
                starts[s] = patterns.size();
                patterns.addAll(sections.get(names[s]));
            }
            starts[names.length] = patterns.size();
            return new All(names, starts, List.copyOf(patterns), FirstWords.of(patterns));
        }
    }

    /** The hits of every section of one text ({@link #findAll}). */
    public static final class Found {

        private final All all;
        private final int[] at;

        private Found(All all, int[] at) {
            this.all = all;
            this.at = at;
        }

        /** What {@link #find} gives for the section: its patterns' first matches, in the section's order. */
        public List<Hit> hits(String section) {
            for (int s = 0; s < all.names().length; s++) {
                if (all.names()[s].equals(section)) {
                    List<Hit> hits = new ArrayList<>();
                    for (int p = all.starts()[s]; at != null && p < all.starts()[s + 1]; p++) {
                        if (at[p] >= 0) {
                            hits.add(new Hit(all.patterns().get(p), at[p]));
                        }
                    }
                    return hits;
                }
            }
            return new ArrayList<>();
        }
    }

    /**
     * The hits of all sections in one pass over the tokens ({@code findAll(tokens).hits(section)} equals
     * {@code find(section, tokens)}): a classifier that needs several sections looks each word up once, not once per
     * section.
     */
    public Found findAll(List<Text.Token> tokens) {
        All index = all;
        if (index == null) {
            index = All.of(sections);
            all = index;
        }
        return new Found(index, tokens.isEmpty() ? null : firstMatches(index.patterns(), index.index(), tokens));
    }

    public List<Pattern> section(String section) {
        return sections.getOrDefault(section, List.of());
    }

    /**
     * Every match of the section's patterns in the tokens (a pattern at most once, at its first match), in the order
     * of the section's patterns. One pass over the tokens: at each word only the patterns whose first word can match it
     * are tried (an exact first word by a hash look-up), instead of a scan of the tokens per pattern.
     */
    public List<Hit> find(String section, List<Text.Token> tokens) {
        List<Pattern> patterns = section(section);
        if (patterns.isEmpty() || tokens.isEmpty()) {
            return new ArrayList<>();
        }
        FirstWords index = firstWords.computeIfAbsent(section, k -> FirstWords.of(patterns));
        int[] at = firstMatches(patterns, index, tokens);
        List<Hit> hits = new ArrayList<>();
        for (int p = 0; at != null && p < at.length; p++) {
            if (at[p] >= 0) {
                hits.add(new Hit(patterns.get(p), at[p]));
            }
        }
        return hits;
    }

    /** Per pattern the token of its first match (-1: none); null when nothing matched. */
    private static int[] firstMatches(List<Pattern> patterns, FirstWords index, List<Text.Token> tokens) {
        int[] at = null;
        int found = 0;
        for (int i = 0; i < tokens.size() && found < patterns.size(); i++) {
            Text.Token t = tokens.get(i);
            if (!t.isWord()) {
                continue;
            }
            int[] exact = index.exact().get(t.norm());
            if (exact != null) {
                for (int p : exact) {
                    if ((at == null || at[p] < 0) && matchesAt(patterns.get(p), tokens, i)) {
                        at = at == null ? unset(patterns.size()) : at;
                        at[p] = i;
                        found++;
                    }
                }
            }
            for (int p : index.wildcard()) {
                if ((at == null || at[p] < 0) && matchesAt(patterns.get(p), tokens, i)) {
                    at = at == null ? unset(patterns.size()) : at;
                    at[p] = i;
                    found++;
                }
            }
        }
        return at;
    }

    private static int[] unset(int n) {
        int[] at = new int[n];
        java.util.Arrays.fill(at, -1);
        return at;
    }

    /** True when {@code p} matches at token {@code i} (its words, then the sentence start when it asks for one). */
    private static boolean matchesAt(Pattern p, List<Text.Token> tokens, int i) {
        List<Word> matchers = p.matchers();
        if (i + matchers.size() > tokens.size()) {
            return false;
        }
        for (int k = 0; k < matchers.size(); k++) {
            Text.Token t = tokens.get(i + k);
            if (!t.isWord() || !matchers.get(k).matches(t.norm())) {
                return false;
            }
        }
        return !p.sentenceStart() || sentenceStart(tokens, i);
    }

    static int indexOf(Pattern p, List<Text.Token> tokens) {
        List<Word> matchers = p.matchers();
        outer:
        for (int i = 0; i + matchers.size() <= tokens.size(); i++) {
            for (int k = 0; k < matchers.size(); k++) {
                Text.Token t = tokens.get(i + k);
                if (!t.isWord() || !matchers.get(k).matches(t.norm())) {
                    continue outer;
                }
            }
            // the words first: the sentence-start test looks backwards, so it runs only for a match
            if (p.sentenceStart() && !sentenceStart(tokens, i)) {
                continue;
            }
            return i;
        }
        return -1;
    }

    /** First word of the text or of a sentence (after . ! ? …); emoji and hashtags before it do not count. */
    static boolean sentenceStart(List<Text.Token> tokens, int i) {
        for (int k = i - 1; k >= 0; k--) {
            Text.Token t = tokens.get(k);
            if (t.endsSentence()) {
                return true;
            }
            if (t.isWord() && !t.hashtag()) {
                return false;
            }
        }
        return true;
    }

    static boolean wordMatches(String pattern, String word) {
        return Word.of(pattern).matches(word);
    }
}
