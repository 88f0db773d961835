package io.hearth.channel.youtube;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The small HTML subset of YouTube's {@code textDisplay} ({@code <a>}, {@code <br>}, {@code <b>}, {@code <i>},
 * {@code <s>}, entities) as plain text. Not a general HTML parser.
 */
final class HtmlText {

    private static final Pattern BREAK = Pattern.compile("<br\\s*/?>", Pattern.CASE_INSENSITIVE);
    private static final Pattern TAG = Pattern.compile("<[^>]*>");
    private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]{2,8});");

    private HtmlText() {
    }

    static String toPlain(String html) {
        if (html == null) {
            return null;
        }
        String text = BREAK.matcher(html).replaceAll("\n");
        text = TAG.matcher(text).replaceAll("");
        return decodeEntities(text);
    }

    static String decodeEntities(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        Matcher m = ENTITY.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(entity(m.group(1), m.group())));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String entity(String name, String whole) {
        if (name.startsWith("#")) {
            try {
                int cp = name.length() > 1 && (name.charAt(1) == 'x' || name.charAt(1) == 'X')
                        ? Integer.parseInt(name.substring(2), 16) : Integer.parseInt(name.substring(1));
                return Character.isValidCodePoint(cp) && cp != 0 ? new String(Character.toChars(cp)) : whole;
            } catch (NumberFormatException e) {
                return whole;
            }
        }
        return switch (name) {
            case "amp" -> "&";
            case "lt" -> "<";
            case "gt" -> ">";
            case "quot" -> "\"";
            case "apos" -> "'";
            case "nbsp" -> "\u00A0";
            default -> whole;
        };
    }
}
