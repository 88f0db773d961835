package io.hearth.scoring;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The tokeniser every scorer shares: plain text in, words, hashtags, emoji, emoticons and
 * punctuation out. Links and @handles are dropped (a handle such as {@code @lovely_brand} is no
 * opinion). Each token keeps its raw spelling and a normalised form: lower case, umlauts folded
 * ({@code ä → ae}, {@code ß → ss}), typographic apostrophes made plain, so that
 * "Verspätung", "VERSPÄTUNG" and "Verspaetung" are one word.
 */
public final class Text {

    /** What a token is. */
    public enum Type { WORD, EMOJI, EMOTICON, PUNCT }

    /**
     * One token. {@code norm} is the normalised form used for lookups; {@code hashtag} is true for
     * a word written as {@code #word} (its norm has no {@code #}).
     */
    public record Token(String raw, String norm, Type type, boolean hashtag) {
        public boolean isWord() {
            return type == Type.WORD;
        }

        public boolean isPunct(char c) {
            return type == Type.PUNCT && raw.charAt(0) == c;
        }

        /** Punctuation that ends a clause (negation and modifier scope). */
        public boolean endsClause() {
            return type == Type.PUNCT && ".,;:!?…()[]\"".indexOf(raw.charAt(0)) >= 0;
        }

        /** Punctuation that ends a sentence. */
        public boolean endsSentence() {
            return type == Type.PUNCT && ".!?…".indexOf(raw.charAt(0)) >= 0;
        }

        /** All letters upper case, at least three of them ("TERRIBLE", not "DB"). */
        public boolean shouted() {
            if (type != Type.WORD || raw.codePointCount(0, raw.length()) < 3) {
                return false;
            }
            boolean letter = false;
            for (int i = 0; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (Character.isLetter(c)) {
                    letter = true;
                    if (!Character.isUpperCase(c)) {
                        return false;
                    }
                }
            }
            return letter;
        }
    }

    static final Pattern URL = Pattern.compile("(?i)\\b(?:https?://|www\\.)\\S+");
    static final Pattern HANDLE = Pattern.compile("(?<![\\p{L}\\p{N}_.])@[\\p{L}\\p{N}_.]+(?:@[\\p{L}\\p{N}_.-]+)?");
    /** Western emoticons, with or without a nose, and hearts; must stand alone. */
    private static final Pattern EMOTICON = Pattern.compile(
            "(?:[:;=8][-'^o]?[)\\](\\[dDpP/\\\\|*3oO@$]+|[)(][-]?[:;=]|<3+|</3|[xX][dD]+|\\^\\^|\\^_\\^|-_-|:'\\()");

    private Text() {
    }

    /** The tokens of {@code text}; empty for null or blank text. */
    public static List<Token> tokens(String text) {
        List<Token> tokens = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return tokens;
        }
        String s = nfc(text);
        // the link and handle patterns run only where they can match (a scan of the text each, per mention)
        if (mayHaveUrl(s)) {
            s = URL.matcher(s).replaceAll(" ");
        }
        s = withoutHandles(s);
        int i = 0;
        int n = s.length();
        Matcher emoticon = null;
        while (i < n) {
            int cp = s.codePointAt(i);
            int len = Character.charCount(cp);
            if (Character.isWhitespace(cp) || Character.isSpaceChar(cp)) {
                i += len;
                continue;
            }
            boolean standalone = i == 0 || Character.isWhitespace(s.charAt(i - 1)) || !Character.isLetterOrDigit(s.charAt(i - 1));
            if ((standalone && (cp < 128) && !Character.isLetterOrDigit(cp) || standalone && (cp == 'x' || cp == 'X'))
                    && EMOTICON_FIRST.indexOf(cp) >= 0) {
                emoticon = emoticon == null ? EMOTICON.matcher(s) : emoticon;
                emoticon.region(i, n);
                if (emoticon.lookingAt()) {
                    int end = emoticon.end();
                    if (end == n || !Character.isLetterOrDigit(s.charAt(end))) {
                        String raw = s.substring(i, end);
                        tokens.add(new Token(raw, normaliseEmoticon(raw), Type.EMOTICON, false));
                        i = end;
                        continue;
                    }
                }
            }
            if (Character.isLetterOrDigit(cp) || (cp == '#' && i + 1 < n && Character.isLetterOrDigit(s.codePointAt(i + 1)))) {
                boolean hashtag = cp == '#';
                int start = hashtag ? i + 1 : i;
                int j = start;
                while (j < n) {
                    int c = s.codePointAt(j);
                    if (Character.isLetterOrDigit(c) || Character.getType(c) == Character.NON_SPACING_MARK
                            || (hashtag && c == '_')) {
                        j += Character.charCount(c);
                    } else if ((c == '\'' || c == '’') && j + 1 < n && Character.isLetter(s.charAt(j + 1)) && j > start) {
                        j += 1;
                    } else {
                        break;
                    }
                }
                String raw = s.substring(start, j);
                tokens.add(new Token(raw, norm(raw), Type.WORD, hashtag));
                i = j;
                continue;
            }
            if (isEmoji(cp)) {
                tokens.add(new Token(new String(Character.toChars(cp)), new String(Character.toChars(cp)), Type.EMOJI, false));
                i += len;
                continue;
            }
            if (".,;:!?…()[]\"-".indexOf(cp) >= 0 || cp == '‼' || cp == '⁉') {
                if (cp == '‼') {
                    tokens.add(new Token("!", "!", Type.PUNCT, false));
                    tokens.add(new Token("!", "!", Type.PUNCT, false));
                } else if (cp == '⁉') {
                    tokens.add(new Token("!", "!", Type.PUNCT, false));
                    tokens.add(new Token("?", "?", Type.PUNCT, false));
                } else {
                    String p = String.valueOf((char) cp);
                    tokens.add(new Token(p, p, Type.PUNCT, false));
                }
            }
            // anything else (variation selectors, joiners, skin tones, other symbols) is skipped
            i += len;
        }
        return tokens;
    }

    /** Lower case, umlauts folded, plain apostrophes. Used for lexicon keys too. */
    public static String norm(String word) {
        if (isAsciiLowerCase(word)) {
            return word;    // nothing to fold (most words of most posts): no copies
        }
        String s = nfc(word).toLowerCase(Locale.ROOT).replace('’', '\'');
        if (s.indexOf('ä') >= 0 || s.indexOf('ö') >= 0 || s.indexOf('ü') >= 0 || s.indexOf('ß') >= 0) {
            s = s.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss");
        }
        return s;
    }

    /** The first characters of the {@link #EMOTICON} alternatives: only there can an emoticon start. */
    private static final String EMOTICON_FIRST = ":;=8)(<xX^-";

    /**
     * {@code text} in Unicode normalisation form C. Text of code points below U+0300 only (ASCII, Latin-1, Latin
     * Extended, IPA, spacing modifiers) is in NFC already: the first code point that can change under NFC is U+0300,
     * the first combining mark (NFC_Quick_Check is Yes below it), so such text is returned as it is, unscanned by the
     * normaliser.
     */
    static String nfc(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= '\u0300') {
                return Normalizer.normalize(text, Normalizer.Form.NFC);
            }
        }
        return text;
    }

    /**
     * {@code HANDLE.matcher(s).replaceAll(" ")}, with the pattern tried only at the {@code @}s: a handle starts with
     * one, and a pattern that starts with a look-behind is otherwise tried at every position of the text.
     */
    static String withoutHandles(String s) {
        int at = s.indexOf('@');
        if (at < 0) {
            return s;
        }
        Matcher m = HANDLE.matcher(s).useTransparentBounds(true);   // the look-behind sees the text before the region
        StringBuilder b = null;
        int copied = 0;
        while (at >= 0) {
            m.region(at, s.length());
            if (m.lookingAt()) {
                b = b == null ? new StringBuilder(s.length()) : b;
                b.append(s, copied, at).append(' ');
                copied = m.end();
                at = s.indexOf('@', copied);
            } else {
                at = s.indexOf('@', at + 1);
            }
        }
        return b == null ? s : b.append(s, copied, s.length()).toString();
    }

    /** Can {@link #URL} match: is there a "://" or a "www." (any case)? */
    static boolean mayHaveUrl(String s) {
        if (s.contains("://")) {
            return true;
        }
        for (int i = s.indexOf('.'); i >= 3; i = s.indexOf('.', i + 1)) {
            if (s.regionMatches(true, i - 3, "www", 0, 3)) {
                return true;
            }
        }
        return false;
    }

    /** ASCII without upper-case letters: a word whose {@link #norm} is itself (NFC, lower case, no ’ or umlauts). */
    private static boolean isAsciiLowerCase(String word) {
        for (int i = 0; i < word.length(); i++) {
            char c = word.charAt(i);
            if (c >= 0x80 || (c >= 'A' && c <= 'Z')) {
                return false;
            }
        }
        return true;
    }

    /** A lexicon key: each word normalised, words joined by one space. */
    public static String key(String phrase) {
        StringBuilder b = new StringBuilder();
        String cleaned = phrase.replace("\uFE0F", "").replace("\u200D", "").replaceAll("[\\x{1F3FB}-\\x{1F3FF}]", "");
        for (String part : cleaned.strip().split("\\s+")) {
            if (!b.isEmpty()) {
                b.append(' ');
            }
            b.append(isEmoticonLike(part) ? normaliseEmoticon(part) : part.codePoints().allMatch(Text::isEmoji) ? part : norm(part));
        }
        return b.toString();
    }

    private static boolean isEmoticonLike(String s) {
        return !s.isEmpty() && EMOTICON.matcher(s).matches();
    }

    /** ":-)" → ":)", ":)))" → ":)", ":D" → ":d", "XD" → "xd". */
    static String normaliseEmoticon(String raw) {
        String s = raw.toLowerCase(Locale.ROOT);
        if (s.length() > 2 && (s.charAt(1) == '-' || s.charAt(1) == 'o' || s.charAt(1) == '^') && ":;=8".indexOf(s.charAt(0)) >= 0) {
            s = s.charAt(0) + s.substring(2);
        }
        if (s.length() > 2 && s.charAt(1) == '-' && ":;=".indexOf(s.charAt(2)) >= 0) {
            s = s.charAt(0) + s.substring(2);
        }
        // collapse a repeated last character: ":)))" → ":)", "xddd" → "xd", "<333" → "<3"
        int end = s.length();
        while (end > 2 && s.charAt(end - 1) == s.charAt(end - 2)) {
            end--;
        }
        return s.substring(0, end);
    }

    /** A pictographic emoji code point (not digits, '#', '*', which are keycap bases). */
    public static boolean isEmoji(int cp) {
        if (cp >= 0x1F300 && cp <= 0x1FAFF && !(cp >= 0x1F3FB && cp <= 0x1F3FF)) {
            return true;
        }
        if (cp >= 0x2600 && cp <= 0x27BF) {
            return true;
        }
        return cp == 0x2B50 || cp == 0x2B55 || cp == 0x2B06 || cp == 0x2B07 || cp == 0x2194 || cp == 0x1F004
                || cp == 0x1F0CF || (cp >= 0x1F100 && cp <= 0x1F2FF);
    }

    private static final Pattern TRIPLE = Pattern.compile("(\\p{L})\\1\\1");
    private static final Pattern RUN = Pattern.compile("(\\p{L})\\1{2,}");

    /** Words with a run of three or more equal letters collapsed to two and to one ("sooo goood"). */
    static List<String> unstretched(String norm) {
        // the regex only where three equal chars in a row exist (rare), not for every unknown word
        if (!hasTripleChar(norm) || !TRIPLE.matcher(norm).find()) {
            return List.of();
        }
        String two = RUN.matcher(norm).replaceAll("$1$1");
        String one = RUN.matcher(norm).replaceAll("$1");
        return two.equals(one) ? List.of(two) : List.of(two, one);
    }

    /**
     * Can {@link #TRIPLE} match: three equal chars in a row, or a surrogate (a letter outside the BMP repeated is
     * not three equal chars, so the regex decides).
     */
    private static boolean hasTripleChar(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                return true;
            }
            if (i < 2) {
                continue;
            }
            if (c == s.charAt(i - 1) && c == s.charAt(i - 2)) {
                return true;
            }
        }
        return false;
    }
}
