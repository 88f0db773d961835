package io.hearth.crm.salesforce;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds SOQL without pasting outside values into it: field and object names must be identifiers, values become
 * literals with every character SOQL treats specially escaped ({@code ' " \} and control characters), so a social
 * handle like {@code x' OR Name != '} is compared literally.
 *
 * <pre>{@code
 * Soql.select("Id", "Handle__c").from("Social_Identity__c")
 *     .where("Channel__c", "=", "x").and("Handle__c", "=", handle).orderBy("SystemModstamp").build();
 * }</pre>
 */
public final class Soql {

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z][A-Za-z0-9_]*(\\.[A-Za-z][A-Za-z0-9_]*)?");
    private static final Set<String> OPERATORS = Set.of("=", "!=", "<", "<=", ">", ">=", "LIKE", "IN", "NOT IN");
    private static final DateTimeFormatter DATE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private final List<String> fields;
    private String object;
    private final List<String> conditions = new ArrayList<>();
    private final List<String> orderBy = new ArrayList<>();
    private Integer limit;

    private Soql(List<String> fields) {
        this.fields = fields;
    }

    public static Soql select(String... fields) {
        List<String> checked = new ArrayList<>();
        for (String field : fields) {
            checked.add(identifier(field));
        }
        if (checked.isEmpty()) {
            throw new IllegalArgumentException("SELECT needs at least one field");
        }
        return new Soql(checked);
    }

    public Soql from(String object) {
        this.object = identifier(object);
        return this;
    }

    /** {@code field op value}; value: String, Boolean, Number, Instant (dateTime), null, or a Collection for IN. */
    public Soql where(String field, String op, Object value) {
        String operator = op.trim().toUpperCase(java.util.Locale.ROOT);
        if (!OPERATORS.contains(operator)) {
            throw new IllegalArgumentException("unsupported operator: " + op);
        }
        String right;
        if (operator.endsWith("IN")) {
            if (!(value instanceof Collection<?> values) || values.isEmpty()) {
                throw new IllegalArgumentException(operator + " needs a non-empty collection");
            }
            List<String> items = new ArrayList<>();
            for (Object v : values) {
                items.add(literal(v));
            }
            right = "(" + String.join(", ", items) + ")";
        } else if (operator.equals("LIKE")) {
            right = value == null ? "null" : "'" + escape(value.toString()) + "'";
        } else {
            right = literal(value);
        }
        conditions.add(identifier(field) + " " + operator + " " + right);
        return this;
    }

    public Soql and(String field, String op, Object value) {
        return where(field, op, value);
    }

    public Soql orderBy(String field) {
        orderBy.add(identifier(field));
        return this;
    }

    public Soql limit(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("LIMIT must be positive");
        }
        this.limit = limit;
        return this;
    }

    public String build() {
        if (object == null) {
            throw new IllegalStateException("FROM missing");
        }
        StringBuilder soql = new StringBuilder("SELECT ").append(String.join(", ", fields)).append(" FROM ").append(object);
        if (!conditions.isEmpty()) {
            soql.append(" WHERE ").append(String.join(" AND ", conditions));
        }
        if (!orderBy.isEmpty()) {
            soql.append(" ORDER BY ").append(String.join(", ", orderBy));
        }
        if (limit != null) {
            soql.append(" LIMIT ").append(limit);
        }
        return soql.toString();
    }

    @Override
    public String toString() {
        return build();
    }

    /** A field or object name ({@code Name}, {@code Contact__r.Social_Consent__c}); anything else is refused. */
    public static String identifier(String name) {
        if (name == null || !IDENTIFIER.matcher(name).matches()) {
            throw new IllegalArgumentException("not a SOQL identifier: " + name);
        }
        return name;
    }

    /** A value as a SOQL literal. */
    public static String literal(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Boolean b) {
            return b.toString();
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof java.math.BigDecimal
                || value instanceof java.math.BigInteger) {
            return value.toString();
        }
        if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new IllegalArgumentException("not a SOQL number: " + value);
            }
            return java.math.BigDecimal.valueOf(d).toPlainString();
        }
        if (value instanceof Instant instant) {
            return DATE_TIME.format(instant);
        }
        return "'" + escape(value.toString()) + "'";
    }

    /**
     * Escapes a string for use inside a quoted SOQL literal (Salesforce's escape sequences: {@code \' \" \\ \n \r \t \b
     * \f}). Other control characters cannot appear in a literal and are refused.
     */
    public static String escape(String value) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\'' -> out.append("\\'");
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        throw new IllegalArgumentException("control character U+" + String.format("%04X", (int) c)
                                + " in a SOQL value");
                    }
                    out.append(c);
                }
            }
        }
        return out.toString();
    }
}
