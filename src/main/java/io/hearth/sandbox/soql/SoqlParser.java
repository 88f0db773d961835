package io.hearth.sandbox.soql;

import java.util.ArrayList;
import java.util.List;

import io.hearth.sandbox.soql.SoqlQuery.Condition;
import io.hearth.sandbox.soql.SoqlQuery.FieldRef;
import io.hearth.sandbox.soql.SoqlQuery.Literal;
import io.hearth.sandbox.soql.SoqlQuery.Order;

/**
 * Recursive-descent parser for the SOQL subset:
 * <pre>
 * query     := SELECT ( COUNT '(' ')' | field (',' field)* ) FROM object [WHERE condition]
 *              [ORDER BY field [ASC|DESC] [NULLS FIRST|LAST] (',' ...)*] [LIMIT n] [OFFSET n]
 * condition := term ( (AND term)* | (OR term)* )        -- mixing AND and OR needs parentheses, as in Salesforce
 * term      := NOT term | '(' condition ')' | field op literal | field [NOT] IN '(' literal (',' literal)* ')'
 *            | field LIKE string
 * literal   := 'string' | number | date | dateTime | TRUE | FALSE | NULL
 * </pre>
 */
public final class SoqlParser {

    private final String soql;
    private final List<Token> tokens;
    private int pos;

    private SoqlParser(String soql) {
        this.soql = soql;
        this.tokens = SoqlLexer.tokenize(soql);
    }

    public static SoqlQuery parse(String soql) {
        return new SoqlParser(soql).query();
    }

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        return tokens.get(pos++);
    }

    private SoqlException unexpected(Token t) {
        if (t.kind() == Token.Kind.EOF) {
            return SoqlException.at("MALFORMED_QUERY", soql, Math.max(0, t.offset() - 1), "unexpected token: '<EOF>'");
        }
        return SoqlException.at("MALFORMED_QUERY", soql, t.offset(), "unexpected token: '" + t.text() + "'");
    }

    private void expectKeyword(String keyword) {
        Token t = next();
        if (!t.isKeyword(keyword)) {
            throw unexpected(t);
        }
    }

    private SoqlQuery query() {
        expectKeyword("SELECT");
        boolean count = false;
        List<FieldRef> fields = new ArrayList<>();
        if (peek().isKeyword("COUNT") && tokens.get(pos + 1).kind() == Token.Kind.LPAREN) {
            pos++;
            next();
            Token close = next();
            if (close.kind() != Token.Kind.RPAREN) {
                throw SoqlException.at("MALFORMED_QUERY", soql, close.offset(), "only COUNT() is supported by the sandbox");
            }
            count = true;
        } else {
            fields.add(field());
            while (peek().kind() == Token.Kind.COMMA) {
                next();
                fields.add(field());
            }
        }
        expectKeyword("FROM");
        Token object = next();
        if (object.kind() != Token.Kind.IDENT || isReserved(object.text()) || object.text().contains(".")) {
            throw unexpected(object);
        }
        Condition where = null;
        List<Order> orderBy = new ArrayList<>();
        Integer limit = null;
        Integer offset = null;
        if (peek().isKeyword("WHERE")) {
            next();
            where = condition();
        }
        if (peek().isKeyword("ORDER")) {
            next();
            expectKeyword("BY");
            do {
                if (!orderBy.isEmpty()) {
                    next(); // the comma
                }
                FieldRef f = field();
                boolean descending = false;
                if (peek().isKeyword("ASC")) {
                    next();
                } else if (peek().isKeyword("DESC")) {
                    next();
                    descending = true;
                }
                boolean nullsFirst = !descending;
                if (peek().isKeyword("NULLS")) {
                    next();
                    Token which = next();
                    if (which.isKeyword("FIRST")) {
                        nullsFirst = true;
                    } else if (which.isKeyword("LAST")) {
                        nullsFirst = false;
                    } else {
                        throw unexpected(which);
                    }
                }
                orderBy.add(new Order(f, descending, nullsFirst));
            } while (peek().kind() == Token.Kind.COMMA);
        }
        if (peek().isKeyword("LIMIT")) {
            next();
            limit = nonNegativeInteger();
        }
        if (peek().isKeyword("OFFSET")) {
            next();
            offset = nonNegativeInteger();
        }
        Token end = next();
        if (end.kind() != Token.Kind.EOF) {
            throw unexpected(end);
        }
        return new SoqlQuery(count, fields, object.text(), object.offset(), where, orderBy, limit, offset);
    }

    private int nonNegativeInteger() {
        Token t = next();
        if (t.kind() != Token.Kind.NUMBER || t.text().contains(".") || t.text().startsWith("-")) {
            throw unexpected(t);
        }
        return Integer.parseInt(t.text());
    }

    private static boolean isReserved(String word) {
        return switch (word.toUpperCase()) {
            case "SELECT", "FROM", "WHERE", "AND", "OR", "NOT", "IN", "LIKE", "ORDER", "BY", "LIMIT", "OFFSET", "ASC", "DESC",
                 "NULLS", "NULL", "TRUE", "FALSE", "GROUP", "HAVING" -> true;
            default -> false;
        };
    }

    private FieldRef field() {
        Token t = next();
        if (t.kind() != Token.Kind.IDENT || isReserved(t.text()) || t.text().startsWith(".") || t.text().endsWith(".")
                || t.text().contains("..")) {
            throw unexpected(t);
        }
        if (peek().kind() == Token.Kind.LPAREN) {
            throw SoqlException.at("MALFORMED_QUERY", soql, t.offset(), "function " + t.text() + "() is not supported by the sandbox");
        }
        return new FieldRef(List.of(t.text().split("\\.")), t.offset());
    }

    private Condition condition() {
        List<Condition> terms = new ArrayList<>();
        terms.add(term());
        String joiner = null;
        while (peek().isKeyword("AND") || peek().isKeyword("OR")) {
            Token op = next();
            String kind = op.text().toUpperCase();
            if (joiner != null && !joiner.equals(kind)) {
                throw SoqlException.at("MALFORMED_QUERY", soql, op.offset(), "unexpected token: '" + op.text() + "'");
            }
            joiner = kind;
            terms.add(term());
        }
        if (joiner == null) {
            return terms.get(0);
        }
        return joiner.equals("AND") ? new SoqlQuery.And(terms) : new SoqlQuery.Or(terms);
    }

    private Condition term() {
        if (peek().isKeyword("NOT")) {
            next();
            return new SoqlQuery.Not(term());
        }
        if (peek().kind() == Token.Kind.LPAREN) {
            next();
            Condition c = condition();
            Token close = next();
            if (close.kind() != Token.Kind.RPAREN) {
                throw unexpected(close);
            }
            return c;
        }
        FieldRef field = field();
        Token op = next();
        if (op.kind() == Token.Kind.OPERATOR) {
            return new SoqlQuery.Comparison(field, op.text(), literal());
        }
        boolean negated = false;
        if (op.isKeyword("NOT")) {
            negated = true;
            op = next();
            if (!op.isKeyword("IN")) {
                throw unexpected(op);
            }
        }
        if (op.isKeyword("IN")) {
            Token open = next();
            if (open.kind() != Token.Kind.LPAREN) {
                throw unexpected(open);
            }
            if (peek().isKeyword("SELECT")) {
                throw SoqlException.at("MALFORMED_QUERY", soql, peek().offset(), "semi-join sub-selects are not supported by the sandbox");
            }
            List<Literal> values = new ArrayList<>();
            values.add(literal());
            while (peek().kind() == Token.Kind.COMMA) {
                next();
                values.add(literal());
            }
            Token close = next();
            if (close.kind() != Token.Kind.RPAREN) {
                throw unexpected(close);
            }
            return new SoqlQuery.In(field, values, negated);
        }
        if (op.isKeyword("LIKE")) {
            Literal pattern = literal();
            if (pattern.kind() != Token.Kind.STRING) {
                throw SoqlException.at("MALFORMED_QUERY", soql, pattern.offset(), "unexpected token: '" + pattern.text() + "'");
            }
            return new SoqlQuery.Like(field, pattern);
        }
        throw unexpected(op);
    }

    private Literal literal() {
        Token t = next();
        return switch (t.kind()) {
            case STRING, NUMBER, DATE, DATETIME -> new Literal(t.kind(), t.value(), t.text(), t.offset());
            case IDENT -> {
                if (t.isKeyword("TRUE") || t.isKeyword("FALSE")) {
                    yield new Literal(Token.Kind.IDENT, Boolean.parseBoolean(t.text().toLowerCase()), t.text(), t.offset());
                }
                if (t.isKeyword("NULL")) {
                    yield new Literal(Token.Kind.IDENT, null, t.text(), t.offset());
                }
                throw unexpected(t);
            }
            default -> throw unexpected(t);
        };
    }
}
