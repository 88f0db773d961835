package io.hearth.sandbox.soql;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SOQL tokens: identifiers and field paths ({@code Contact__r.Name}), string literals in single quotes with
 * Salesforce's escapes ({@code \' \" \\ \n \r \t \b \f \u0041}, and {@code \% \_} kept for LIKE), numbers,
 * date and dateTime literals ({@code 2026-11-20}, {@code 2026-11-20T10:00:00Z}, {@code ...+01:00}), the comparison
 * operators, parentheses and commas.
 */
public final class SoqlLexer {

    private static final Pattern DATE_TIME = Pattern.compile(
            "\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:?\\d{2}))?");
    private static final DateTimeFormatter OFFSET_DATE_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME).optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd().toFormatter();

    private SoqlLexer() {
    }

    public static List<Token> tokenize(String soql) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int n = soql.length();
        while (i < n) {
            char c = soql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(') {
                tokens.add(new Token(Token.Kind.LPAREN, "(", null, i++));
            } else if (c == ')') {
                tokens.add(new Token(Token.Kind.RPAREN, ")", null, i++));
            } else if (c == ',') {
                tokens.add(new Token(Token.Kind.COMMA, ",", null, i++));
            } else if (c == '=' ) {
                tokens.add(new Token(Token.Kind.OPERATOR, "=", null, i++));
            } else if (c == '!' || c == '<' || c == '>') {
                int start = i;
                String op;
                if (c == '!' && i + 1 < n && soql.charAt(i + 1) == '=') {
                    op = "!=";
                } else if (c == '<' && i + 1 < n && soql.charAt(i + 1) == '>') {
                    op = "!=";
                } else if ((c == '<' || c == '>') && i + 1 < n && soql.charAt(i + 1) == '=') {
                    op = c + "=";
                } else if (c == '!') {
                    throw SoqlException.at("MALFORMED_QUERY", soql, i, "unexpected token: '!'");
                } else {
                    op = String.valueOf(c);
                }
                i += (op.length() == 2 || (c == '<' && op.equals("!="))) ? 2 : 1;
                tokens.add(new Token(Token.Kind.OPERATOR, op, null, start));
            } else if (c == '\'') {
                int start = i;
                StringBuilder value = new StringBuilder();
                i++;
                boolean closed = false;
                while (i < n) {
                    char d = soql.charAt(i);
                    if (d == '\\') {
                        if (i + 1 >= n) {
                            break;
                        }
                        char e = soql.charAt(i + 1);
                        switch (e) {
                            case '\'', '"', '\\' -> value.append(e);
                            case 'n' -> value.append('\n');
                            case 'r' -> value.append('\r');
                            case 't' -> value.append('\t');
                            case 'b' -> value.append('\b');
                            case 'f' -> value.append('\f');
                            case '%', '_' -> value.append('\\').append(e); // LIKE escapes, resolved by the matcher
                            case 'u' -> {
                                if (i + 6 > n) {
                                    throw SoqlException.at("MALFORMED_QUERY", soql, i, "Invalid string literal '" + soql.substring(start) + "'. Illegal unicode escape");
                                }
                                try {
                                    value.append((char) Integer.parseInt(soql.substring(i + 2, i + 6), 16));
                                } catch (RuntimeException ex) {
                                    throw SoqlException.at("MALFORMED_QUERY", soql, i, "Invalid string literal. Illegal unicode escape");
                                }
                                i += 4;
                            }
                            default -> throw SoqlException.at("MALFORMED_QUERY", soql, i,
                                    "Invalid string literal '" + soql.substring(start, Math.min(n, i + 2)) + "'. Illegal character sequence '\\" + e + "' in string literal.");
                        }
                        i += 2;
                    } else if (d == '\'') {
                        closed = true;
                        i++;
                        break;
                    } else {
                        value.append(d);
                        i++;
                    }
                }
                if (!closed) {
                    throw SoqlException.at("MALFORMED_QUERY", soql, start, "line 1:" + start + " mismatched character '<EOF>' expecting '''");
                }
                tokens.add(new Token(Token.Kind.STRING, soql.substring(start, i), value.toString(), start));
            } else if (Character.isDigit(c) || ((c == '-' || c == '+') && i + 1 < n && Character.isDigit(soql.charAt(i + 1)))) {
                int start = i;
                Matcher m = DATE_TIME.matcher(soql).region(i, n);
                if (Character.isDigit(c) && m.lookingAt()) {
                    String text = m.group();
                    i = m.end();
                    try {
                        if (text.length() == 10) {
                            tokens.add(new Token(Token.Kind.DATE, text, LocalDate.parse(text), start));
                        } else {
                            tokens.add(new Token(Token.Kind.DATETIME, text, OffsetDateTime.parse(text, OFFSET_DATE_TIME).toInstant(), start));
                        }
                    } catch (DateTimeParseException e) {
                        throw SoqlException.at("MALFORMED_QUERY", soql, start, "line 1:" + start + " no viable alternative at character '" + text + "'");
                    }
                } else {
                    i++;
                    while (i < n && (Character.isDigit(soql.charAt(i)) || soql.charAt(i) == '.')) {
                        i++;
                    }
                    String text = soql.substring(start, i);
                    try {
                        tokens.add(new Token(Token.Kind.NUMBER, text, new BigDecimal(text), start));
                    } catch (NumberFormatException e) {
                        throw SoqlException.at("MALFORMED_QUERY", soql, start, "unexpected token: '" + text + "'");
                    }
                }
            } else if (Character.isLetter(c) || c == '_') {
                int start = i;
                while (i < n && (Character.isLetterOrDigit(soql.charAt(i)) || soql.charAt(i) == '_' || soql.charAt(i) == '.')) {
                    i++;
                }
                tokens.add(new Token(Token.Kind.IDENT, soql.substring(start, i), null, start));
            } else {
                int start = i;
                int end = i + 1;
                while (end < n && !Character.isWhitespace(soql.charAt(end))) {
                    end++;
                }
                throw SoqlException.at("MALFORMED_QUERY", soql, start, "unexpected token: '" + c + "'");
            }
        }
        tokens.add(new Token(Token.Kind.EOF, "<EOF>", null, n));
        return tokens;
    }
}
