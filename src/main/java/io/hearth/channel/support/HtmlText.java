package io.hearth.channel.support;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTML (post content as channels deliver it) to plain text: tags dropped, line breaks kept for
 * {@code <br>} and block ends, entities decoded, white space tidied. A deliberately small version;
 * it does not try to render tables or lists.
 */
public final class HtmlText {

    private static final Pattern SCRIPTS = Pattern.compile("(?is)<(script|style)\\b[^>]*>.*?</\\1\\s*>|<!--.*?-->");
    private static final Pattern BREAK = Pattern.compile("(?i)<br\\s*/?>");
    private static final Pattern BLOCK_END = Pattern.compile("(?i)</(p|div|li|h[1-6]|blockquote|pre|tr|ul|ol|table)\\s*>|<(p|div|li|h[1-6]|blockquote|pre|tr|ul|ol|table)\\b[^>]*>");
    private static final Pattern TAG = Pattern.compile("<[a-zA-Z/!][^>]*>");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});");
    private static final Map<String, String> NAMED = Map.ofEntries(
            Map.entry("amp", "&"), Map.entry("lt", "<"), Map.entry("gt", ">"), Map.entry("quot", "\""),
            Map.entry("apos", "'"), Map.entry("nbsp", " "), Map.entry("hellip", "\u2026"), Map.entry("mdash", "\u2014"),
            Map.entry("ndash", "\u2013"), Map.entry("lsquo", "\u2018"), Map.entry("rsquo", "\u2019"),
            Map.entry("ldquo", "\u201C"), Map.entry("rdquo", "\u201D"), Map.entry("euro", "\u20AC"),
            Map.entry("pound", "\u00A3"), Map.entry("copy", "\u00A9"), Map.entry("reg", "\u00AE"),
            Map.entry("trade", "\u2122"), Map.entry("eacute", "\u00E9"), Map.entry("uuml", "\u00FC"),
            Map.entry("ouml", "\u00F6"), Map.entry("auml", "\u00E4"), Map.entry("szlig", "\u00DF"));

    private HtmlText() {
    }

    /** Plain text of an HTML fragment; {@code ""} for null. */
    public static String toPlainText(String html) {
        if (html == null || html.isEmpty()) {
            return "";
        }
        String text = SCRIPTS.matcher(html).replaceAll("");
        text = BREAK.matcher(text).replaceAll("\n");
        text = BLOCK_END.matcher(text).replaceAll("\n\n");
        text = TAG.matcher(text).replaceAll("");
        text = decodeEntities(text);
        // tidy: spaces within lines collapsed, lines trimmed, at most one empty line in a row
        StringBuilder out = new StringBuilder();
        int emptyLines = 0;
        for (String line : text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1)) {
            String tidy = line.replaceAll("[ \\t\\u00A0\\f]+", " ").strip();
            if (tidy.isEmpty()) {
                emptyLines++;
                continue;
            }
            if (out.length() > 0) {
                out.append(emptyLines > 0 ? "\n\n" : "\n");
            }
            out.append(tidy);
            emptyLines = 0;
        }
        return out.toString();
    }

    private static String decodeEntities(String text) {
        if (text.indexOf('&') < 0) {
            return text;
        }
        Matcher m = ENTITY.matcher(text);
        StringBuilder out = new StringBuilder(text.length());
        while (m.find()) {
            String name = m.group(1);
            String replacement;
            if (name.startsWith("#")) {
                int code = name.length() > 1 && (name.charAt(1) == 'x' || name.charAt(1) == 'X')
                        ? Integer.parseInt(name.substring(2), 16) : Integer.parseInt(name.substring(1));
                replacement = Character.isValidCodePoint(code) && code != 0 ? new String(Character.toChars(code)) : m.group();
            } else {
                replacement = NAMED.getOrDefault(name, m.group());
            }
            m.appendReplacement(out, Matcher.quoteReplacement(replacement));
        }
        m.appendTail(out);
        return out.toString();
    }
}
