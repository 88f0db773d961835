package io.hearth.sandbox.soql;

/** A SOQL token; {@code offset} is its position in the query (0-based), for error messages. */
public record Token(Kind kind, String text, Object value, int offset) {

    public enum Kind { IDENT, STRING, NUMBER, DATE, DATETIME, OPERATOR, LPAREN, RPAREN, COMMA, EOF }

    boolean isKeyword(String keyword) {
        return kind == Kind.IDENT && text.equalsIgnoreCase(keyword);
    }
}
