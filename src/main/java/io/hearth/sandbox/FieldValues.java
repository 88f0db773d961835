package io.hearth.sandbox;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hearth.sandbox.SandboxSchema.Field;
import io.hearth.sandbox.SandboxSchema.FieldType;
import io.hearth.sandbox.SandboxSchema.SObjectType;

/** Field values as Salesforce takes and keeps them: coercion by field type, date-times, auto-numbers, required fields. */
final class FieldValues {

    static final DateTimeFormatter SF_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter LENIENT_DATETIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral('T')
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':').appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2).optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter();

    private FieldValues() {
    }

    /**
     * The value as the field stores it (null: cleared), or the error Salesforce answers: checkbox, number (rounded to
     * the scale, within the precision), date, datetime (milliseconds at most), reference (an existing record of the
     * referenced object, {@code exists}), text lengths, e-mail, restricted picklists.
     */
    static JsonNode coerce(SandboxSchema schema, Field field, JsonNode value, Predicate<String> exists) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        boolean blank = value == null || value.isNull() || (value.isTextual() && value.asText().isEmpty());
        if (field.type() == FieldType.CHECKBOX) {
            if (blank) {
                return f.booleanNode(false);
            }
            if (value.isBoolean()) {
                return value;
            }
            if (value.isTextual() && (value.asText().equalsIgnoreCase("true") || value.asText().equalsIgnoreCase("false"))) {
                return f.booleanNode(Boolean.parseBoolean(value.asText().toLowerCase()));
            }
            throw parserError("boolean", value);
        }
        if (blank) {
            return null;
        }
        if (value.isContainerNode()) {
            throw parserError(field.type().name().toLowerCase(), value);
        }
        switch (field.type()) {
            case NUMBER -> {
                BigDecimal number;
                try {
                    number = value.isNumber() ? value.decimalValue() : new BigDecimal(value.asText().strip());
                } catch (NumberFormatException e) {
                    throw parserError("double", value);
                }
                BigDecimal rounded = number.setScale(field.scale(), RoundingMode.HALF_UP);
                int integerDigits = rounded.precision() - rounded.scale();
                if (integerDigits > field.precision() - field.scale()) {
                    throw RecordException.of("NUMBER_OUTSIDE_VALID_RANGE", field.name() + ": value outside of valid range on numeric field: "
                            + number.toPlainString(), field.name());
                }
                return f.numberNode(rounded.doubleValue());
            }
            case DATE -> {
                String s = value.asText().strip();
                try {
                    return f.textNode(s.length() > 10 ? parseDateTime(s).atOffset(ZoneOffset.UTC).toLocalDate().toString()
                            : LocalDate.parse(s).toString());
                } catch (DateTimeParseException e) {
                    throw parserError("date", value);
                }
            }
            case DATETIME -> {
                if (TOO_PRECISE.matcher(value.asText()).find()) {
                    // Salesforce keeps milliseconds and refuses more digits (Instant.toString() may give micro- or nanoseconds)
                    throw parserError("datetime", value);
                }
                try {
                    return f.textNode(SF_DATETIME.format(parseDateTime(value.asText().strip())));
                } catch (DateTimeParseException e) {
                    throw parserError("datetime", value);
                }
            }
            case REFERENCE -> {
                String raw = value.asText();
                String id = SalesforceIds.normalise(raw);
                SObjectType target = schema.object(field.referenceTo());
                if (id == null) {
                    throw RecordException.of("MALFORMED_ID", field.referenceTo() + " ID: id value of incorrect type: " + raw, field.name());
                }
                if (schema.objectOfId(id) != target) {
                    throw RecordException.of("FIELD_INTEGRITY_EXCEPTION", field.referenceTo() + " ID: id value of incorrect type: " + raw, field.name());
                }
                if (!exists.test(id)) {
                    throw RecordException.of("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", field.name());
                }
                return f.textNode(id);
            }
            default -> {
                String s = value.asText();
                if (s.length() > field.length()) {
                    String shown = s.length() > 40 ? s.substring(0, 40) + "..." : s;
                    throw RecordException.of("STRING_TOO_LONG", field.name() + ": data value too large: " + shown + " (max length="
                            + field.length() + ")", field.name());
                }
                if (field.type() == FieldType.EMAIL && !s.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
                    throw RecordException.of("INVALID_EMAIL_ADDRESS", field.name() + ": invalid email address: " + s, field.name());
                }
                if (field.type() == FieldType.PICKLIST && field.restrictedPicklist() && !field.picklistValues().contains(s)) {
                    throw RecordException.of("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", field.name() + ": bad value for restricted picklist field: " + s,
                            field.name());
                }
                return f.textNode(s);
            }
        }
    }

    private static final Pattern TOO_PRECISE = Pattern.compile("T\\d\\d:\\d\\d:\\d\\d\\.\\d{4,}");

    static Instant parseDateTime(String s) {
        if (s.length() == 10) {
            return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
        }
        var parsed = LENIENT_DATETIME.parseBest(s, OffsetDateTime::from, java.time.LocalDateTime::from);
        if (parsed instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        return ((java.time.LocalDateTime) parsed).toInstant(ZoneOffset.UTC);
    }

    static RecordException parserError(String type, JsonNode value) {
        return RecordException.of("JSON_PARSER_ERROR", "Cannot deserialize instance of " + type + " from " + value.getNodeType()
                + " value " + value + " or request may be missing a required field");
    }

    static void checkRequired(SObjectType type, ObjectNode record) {
        List<String> missing = new ArrayList<>();
        for (Field f : type.fields()) {
            if (f.required() && f.writable() && (!record.hasNonNull(f.name()) || record.get(f.name()).asText().isBlank())) {
                missing.add(f.name());
            }
        }
        if (!missing.isEmpty()) {
            throw RecordException.of("REQUIRED_FIELD_MISSING", "Required fields are missing: " + missing, missing.toArray(String[]::new));
        }
    }

    static String text(ObjectNode record, String field) {
        JsonNode n = record.get(field);
        return n == null || n.isNull() ? "" : n.asText();
    }

    static String autoNumber(String format, long n) {
        int open = format.indexOf('{');
        int close = format.indexOf('}');
        if (open < 0 || close < open) {
            return format + n;
        }
        int width = close - open - 1;
        return format.substring(0, open) + String.format("%0" + Math.max(1, width) + "d", n) + format.substring(close + 1);
    }
}
