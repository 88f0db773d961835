package io.hearth.channel.support;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * HTML fragments as channels deliver them (Mastodon status content, RSS/Atom descriptions) turned
 * into plain text, and the links they carry. A small hand-written scanner, not a DOM parser: it is
 * meant for the sanitised fragments social APIs and feeds send, and it never fails on bad markup
 * (an unclosed tag, a stray {@code <}, an unknown entity are kept or dropped, never thrown).
 */
public final class HtmlText {

    /** Elements after and before which a line ends. */
    private static final Set<String> BLOCKS = Set.of("address", "article", "aside", "blockquote", "dd", "div", "dl",
            "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main",
            "nav", "ol", "pre", "section", "table", "tr", "ul");
    /** Elements that stand for a paragraph: a blank line between them. */
    private static final Set<String> PARAGRAPHS = Set.of("p");
    /** Elements whose content is never text. */
    private static final Set<String> SKIPPED = Set.of("script", "style", "template", "head", "title");

    private static final Map<String, Integer> ENTITIES = new HashMap<>();

    static {
        // HTML 4 / XHTML Latin-1 entities, U+00A0 .. U+00FF in order.
        String[] latin1 = ("nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn"
                + " sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute"
                + " Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde"
                + " Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave"
                + " aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth"
                + " ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml")
                .split(" ");
        for (int i = 0; i < latin1.length; i++) {
            ENTITIES.put(latin1[i], 0xA0 + i);
        }
        Object[] more = {"quot", 34, "amp", 38, "apos", 39, "lt", 60, "gt", 62, "OElig", 338, "oelig", 339,
                "Scaron", 352, "scaron", 353, "Yuml", 376, "fnof", 402, "circ", 710, "tilde", 732, "ensp", 8194,
                "emsp", 8195, "thinsp", 8201, "zwnj", 8204, "zwj", 8205, "lrm", 8206, "rlm", 8207, "ndash", 8211,
                "mdash", 8212, "lsquo", 8216, "rsquo", 8217, "sbquo", 8218, "ldquo", 8220, "rdquo", 8221,
                "bdquo", 8222, "dagger", 8224, "Dagger", 8225, "bull", 8226, "hellip", 8230, "permil", 8240,
                "prime", 8242, "Prime", 8243, "lsaquo", 8249, "rsaquo", 8250, "oline", 8254, "frasl", 8260,
                "euro", 8364, "trade", 8482, "larr", 8592, "uarr", 8593, "rarr", 8594, "darr", 8595, "harr", 8596,
                "minus", 8722, "infin", 8734, "ne", 8800, "le", 8804, "ge", 8805, "hearts", 9829, "check", 10003};
        for (int i = 0; i < more.length; i += 2) {
            ENTITIES.put((String) more[i], (Integer) more[i + 1]);
        }
    }

    /** HTML5: numeric references 0x80..0x9F mean the Windows-1252 characters (0 = keep as is). */
    private static final int[] WINDOWS_1252 = {0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6,
            0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013,
            0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178};

    private HtmlText() {
    }

    /** A link in a fragment: its target (entities decoded), {@code class} and {@code rel} (empty when absent), and its text. */
    public record Anchor(String href, String cssClass, String rel, String text) {

        public boolean hasClass(String name) {
            return tokens(cssClass).contains(name);
        }

        public boolean hasRel(String name) {
            return tokens(rel).contains(name);
        }

        private static List<String> tokens(String value) {
            return value.isBlank() ? List.of() : List.of(value.trim().toLowerCase(Locale.ROOT).split("\\s+"));
        }
    }

    /**
     * The fragment as plain text: tags dropped (and the content of script/style), {@code <br>} → a
     * line break, paragraphs → separated by a blank line, other blocks (div, li, blockquote, …) →
     * on lines of their own; entities decoded (named, decimal, hex); whitespace tidied the way a
     * browser shows it (runs of spaces and source newlines become one space, no-break spaces become
     * spaces, lines trimmed, at most one blank line in a row (two {@code <br>} make one), none at the ends). Characters outside
     * the BMP (emoji) pass through unchanged. {@code null} → {@code ""}.
     */
    public static String toPlainText(String html) {
        if (html == null || html.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder(html.length());
        Scanner scanner = new Scanner(html);
        String skipUntil = null;
        for (Token token = scanner.next(); token != null; token = scanner.next()) {
            if (token.tag == null) {
                if (skipUntil == null) {
                    appendText(out, decode(token.text));
                }
                continue;
            }
            Tag tag = token.tag;
            if (skipUntil != null) {
                if (tag.closing && tag.name.equals(skipUntil)) {
                    skipUntil = null;
                }
                continue;
            }
            if (!tag.closing && SKIPPED.contains(tag.name) && !tag.selfClosing) {
                skipUntil = tag.name;
            } else if (tag.name.equals("br")) {
                out.append('\n');
            } else if (PARAGRAPHS.contains(tag.name)) {
                breakLines(out, 2);
            } else if (BLOCKS.contains(tag.name)) {
                breakLines(out, 1);
            }
        }
        return tidy(out);
    }

    /** The {@code <a href>} links of a fragment, in document order (anchors without href are left out). */
    /** Decodes HTML entities (named, decimal, hex) in text that has no tags. */
    public static String decodeEntities(String text) {
        return text == null ? null : decode(text);
    }

    public static List<Anchor> anchors(String html) {
        List<Anchor> anchors = new ArrayList<>();
        if (html == null || html.isEmpty()) {
            return anchors;
        }
        Scanner scanner = new Scanner(html);
        Tag open = null;
        StringBuilder text = new StringBuilder();
        for (Token token = scanner.next(); token != null; token = scanner.next()) {
            if (token.tag == null) {
                if (open != null) {
                    text.append(token.text);
                }
            } else if (token.tag.name.equals("a")) {
                if (open != null) {
                    addAnchor(anchors, open, text);
                    open = null;
                }
                if (!token.tag.closing) {
                    open = token.tag;
                    text.setLength(0);
                }
            }
        }
        if (open != null) {
            addAnchor(anchors, open, text);
        }
        return anchors;
    }

    private static void addAnchor(List<Anchor> anchors, Tag a, StringBuilder text) {
        Map<String, String> attributes = attributes(a.attributes);
        String href = attributes.get("href");
        if (href != null && !href.isBlank()) {
            anchors.add(new Anchor(href.trim(), attributes.getOrDefault("class", ""), attributes.getOrDefault("rel", ""),
                    tidy(new StringBuilder(collapse(decode(text.toString()))))));
        }
    }

    /** Ends the output with at least {@code newlines} line breaks (nested blocks do not add up). */
    private static void breakLines(StringBuilder out, int newlines) {
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == ' ') {
            end--;
        }
        out.setLength(end);
        int trailing = 0;
        while (trailing < end && out.charAt(end - 1 - trailing) == '\n') {
            trailing++;
        }
        for (int i = trailing; i < newlines; i++) {
            out.append('\n');
        }
    }

    private static void appendText(StringBuilder out, String text) {
        out.append(collapse(text));
    }

    /** Source whitespace (and no-break spaces) as single spaces. */
    private static String collapse(String text) {
        StringBuilder b = new StringBuilder(text.length());
        boolean space = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u00A0') {
                if (!space) {
                    b.append(' ');
                }
                space = true;
            } else {
                b.append(c);
                space = false;
            }
        }
        return b.toString();
    }

    /** Lines trimmed of spaces, runs of spaces as one, at most one blank line in a row, none at the ends. */
    private static String tidy(StringBuilder raw) {
        String[] lines = raw.toString().split("\n", -1);
        StringBuilder out = new StringBuilder(raw.length());
        int blank = 0;
        for (String line : lines) {
            String trimmed = collapse(line).strip();
            if (trimmed.isEmpty()) {
                blank++;
                continue;
            }
            if (out.length() > 0) {
                out.append(blank > 0 ? "\n\n" : "\n");
            }
            out.append(trimmed);
            blank = 0;
        }
        return out.toString();
    }

    /** Character references decoded; unknown named references are kept as written. */
    static String decode(String s) {
        int amp = s.indexOf('&');
        if (amp < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        int i = 0;
        while (amp >= 0) {
            out.append(s, i, amp);
            i = amp + 1;
            int end = referenceEnd(s, amp, out);
            if (end > 0) {
                i = end;
            } else {
                out.append('&');
            }
            amp = s.indexOf('&', i);
        }
        out.append(s, i, s.length());
        return out.toString();
    }

    /** Appends the reference at {@code amp} and returns the index after it, or -1 when it is not one. */
    private static int referenceEnd(String s, int amp, StringBuilder out) {
        int i = amp + 1;
        if (i < s.length() && s.charAt(i) == '#') {
            i++;
            boolean hex = i < s.length() && (s.charAt(i) == 'x' || s.charAt(i) == 'X');
            if (hex) {
                i++;
            }
            int start = i;
            while (i < s.length() && i - start < 8 && Character.digit(s.charAt(i), hex ? 16 : 10) >= 0) {
                i++;
            }
            if (i == start) {
                return -1;
            }
            // up to 8 digits: may exceed an int (&#x80000000; once threw and stopped a feed); out of range → U+FFFD
            long value = Long.parseLong(s.substring(start, i), hex ? 16 : 10);
            int cp = value > 0x10FFFF ? 0xFFFD : (int) value;
            if (cp >= 0x80 && cp <= 0x9F && WINDOWS_1252[cp - 0x80] != 0) {
                cp = WINDOWS_1252[cp - 0x80];
            } else if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
                cp = 0xFFFD;
            }
            out.appendCodePoint(cp);
            return i < s.length() && s.charAt(i) == ';' ? i + 1 : i;
        }
        int start = i;
        while (i < s.length() && i - start < 10 && Character.isLetterOrDigit(s.charAt(i))) {
            i++;
        }
        if (i == start || i >= s.length() || s.charAt(i) != ';') {
            return -1;
        }
        Integer cp = ENTITIES.get(s.substring(start, i));
        if (cp == null) {
            return -1;
        }
        out.appendCodePoint(cp);
        return i + 1;
    }

    private static Map<String, String> attributes(String source) {
        Map<String, String> attributes = new HashMap<>();
        int i = 0;
        int n = source.length();
        while (i < n) {
            while (i < n && (Character.isWhitespace(source.charAt(i)) || source.charAt(i) == '/')) {
                i++;
            }
            int nameStart = i;
            while (i < n && !Character.isWhitespace(source.charAt(i)) && source.charAt(i) != '=' && source.charAt(i) != '/') {
                i++;
            }
            if (i == nameStart) {
                break;
            }
            String name = source.substring(nameStart, i).toLowerCase(Locale.ROOT);
            while (i < n && Character.isWhitespace(source.charAt(i))) {
                i++;
            }
            String value = "";
            if (i < n && source.charAt(i) == '=') {
                i++;
                while (i < n && Character.isWhitespace(source.charAt(i))) {
                    i++;
                }
                if (i < n && (source.charAt(i) == '"' || source.charAt(i) == '\'')) {
                    char quote = source.charAt(i++);
                    int end = source.indexOf(quote, i);
                    end = end < 0 ? n : end;
                    value = source.substring(i, end);
                    i = Math.min(n, end + 1);
                } else {
                    int start = i;
                    while (i < n && !Character.isWhitespace(source.charAt(i))) {
                        i++;
                    }
                    value = source.substring(start, i);
                }
            }
            attributes.putIfAbsent(name, decode(value));
        }
        return attributes;
    }

    private record Tag(String name, boolean closing, boolean selfClosing, String attributes) {
    }

    /** Text (raw, entities not decoded) or a tag. */
    private record Token(String text, Tag tag) {
    }

    /** Splits a fragment into text runs and tags; comments, doctypes and processing instructions are dropped. */
    private static final class Scanner {
        private final String s;
        private int pos;

        Scanner(String s) {
            this.s = s;
        }

        Token next() {
            int n = s.length();
            while (pos < n) {
                int lt = s.indexOf('<', pos);
                if (lt != pos) {
                    int end = lt < 0 ? n : lt;
                    String text = s.substring(pos, end);
                    pos = end;
                    return new Token(text, null);
                }
                // at '<'
                if (s.startsWith("<!--", pos)) {
                    int end = s.indexOf("-->", pos + 4);
                    pos = end < 0 ? n : end + 3;
                    continue;
                }
                char c = pos + 1 < n ? s.charAt(pos + 1) : ' ';
                boolean closing = c == '/';
                char first = closing ? (pos + 2 < n ? s.charAt(pos + 2) : ' ') : c;
                if (c == '!' || c == '?') {
                    int end = s.indexOf('>', pos);
                    pos = end < 0 ? n : end + 1;
                    continue;
                }
                if (!Character.isLetter(first)) {
                    // a stray '<' is text
                    int next = s.indexOf('<', pos + 1);
                    int end = next < 0 ? n : next;
                    String text = s.substring(pos, end);
                    pos = end;
                    return new Token(text, null);
                }
                int end = tagEnd(pos + 1);
                if (end < 0) {
                    String text = s.substring(pos);
                    pos = n;
                    return new Token(text, null);
                }
                int nameStart = pos + (closing ? 2 : 1);
                int nameEnd = nameStart;
                while (nameEnd < end && !Character.isWhitespace(s.charAt(nameEnd)) && s.charAt(nameEnd) != '/'
                        && s.charAt(nameEnd) != '>') {
                    nameEnd++;
                }
                String name = s.substring(nameStart, nameEnd).toLowerCase(Locale.ROOT);
                boolean selfClosing = s.charAt(end - 1) == '/';
                String attributes = s.substring(nameEnd, selfClosing ? end - 1 : end);
                pos = end + 1;
                return new Token(null, new Tag(name, closing, selfClosing, attributes));
            }
            return null;
        }

        /** Index of the '>' that ends the tag starting before {@code from}, skipping quoted attribute values. */
        private int tagEnd(int from) {
            char quote = 0;
            for (int i = from; i < s.length(); i++) {
                char c = s.charAt(i);
                if (quote != 0) {
                    if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '"' || c == '\'') {
                    quote = c;
                } else if (c == '>') {
                    return i;
                }
            }
            return -1;
        }
    }
}
