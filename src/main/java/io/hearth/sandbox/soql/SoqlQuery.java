package io.hearth.sandbox.soql;

import java.util.List;

/** The parsed query. */
public record SoqlQuery(boolean count, List<FieldRef> fields, String from, int fromOffset, Condition where,
                        List<Order> orderBy, Integer limit, Integer offset) {

    /** {@code Name} or {@code Contact__r.Social_Consent__c}. */
    public record FieldRef(List<String> path, int offset) {
        public String text() {
            return String.join(".", path);
        }
    }

    public record Order(FieldRef field, boolean descending, boolean nullsFirst) {
    }

    /** A literal: {@code value} is a String, BigDecimal, Boolean, LocalDate, Instant, or null. */
    public record Literal(Token.Kind kind, Object value, String text, int offset) {
    }

    public sealed interface Condition permits And, Or, Not, Comparison, In, Like {
    }

    public record And(List<Condition> terms) implements Condition {
    }

    public record Or(List<Condition> terms) implements Condition {
    }

    public record Not(Condition term) implements Condition {
    }

    /** op is one of = != < <= > >=. */
    public record Comparison(FieldRef field, String op, Literal value) implements Condition {
    }

    public record In(FieldRef field, List<Literal> values, boolean negated) implements Condition {
    }

    public record Like(FieldRef field, Literal pattern) implements Condition {
    }
}
