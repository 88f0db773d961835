package io.hearth.crm.salesforce;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.springframework.core.env.Environment;

/**
 * The REST headers and value forms the hub's writes need on a real org (issue 16):
 * <ul>
 * <li>{@code Sforce-Auto-Assign: FALSE} on writes of objects with assignment rules (Case, {@code
 * hearth.crm.writer.no-auto-assign}): otherwise every update re-runs the rules and a new post in a conversation moves the
 * case away from the agent working it. New records get the rules once ({@code hearth.crm.writer.assign-new-records},
 * default true), by {@link SalesforceCollections#upsert}.</li>
 * <li>{@code Sforce-Duplicate-Rule-Header: allowSave=true} on writes of Contact ({@code
 * hearth.crm.writer.duplicate-rule-allow-save}): the hub never creates contacts and only sets its social fields, so a
 * duplicate rule that flags an existing contact (DUPLICATES_DETECTED) must not block them; for the hub's own objects and
 * Case a duplicate rule an admin adds is meant to hold, so it is not overridden.</li>
 * <li>Datetimes with at most milliseconds: {@code Instant.toString()} can carry micro- or nanoseconds, which Salesforce
 * refuses.</li>
 * </ul>
 */
public record WriteHeaders(Set<String> noAutoAssign, boolean assignNewRecords, Set<String> allowSaveDuplicates) {

    public static final String AUTO_ASSIGN = "Sforce-Auto-Assign";
    public static final String DUPLICATE_RULE = "Sforce-Duplicate-Rule-Header";

    static final WriteHeaders DEFAULTS = new WriteHeaders(set("Case"), true, set("Contact"));

    static WriteHeaders from(Environment env) {
        String p = "hearth.crm.writer.";
        return new WriteHeaders(set(env.getProperty(p + "no-auto-assign", "Case")),
                env.getProperty(p + "assign-new-records", Boolean.class, true),
                set(env.getProperty(p + "duplicate-rule-allow-save", "Contact")));
    }

    private static Set<String> set(String csv) {
        Set<String> out = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(out::add);
        return out;
    }

    /** The Sforce-* headers of a write of {@code object}; {@code assignNow}: the call that runs assignment rules on new records. */
    Map<String, String> headers(String object, boolean assignNow) {
        Map<String, String> h = new LinkedHashMap<>();
        if (noAutoAssign.contains(object)) {
            h.put(AUTO_ASSIGN, assignNow ? "TRUE" : "FALSE");
        }
        if (allowSaveDuplicates.contains(object)) {
            h.put(DUPLICATE_RULE, "allowSave=true");
        }
        return h;
    }

    boolean assignNewRecords(String object) {
        return assignNewRecords && noAutoAssign.contains(object);
    }

    private static final Pattern TOO_PRECISE = Pattern.compile("^(\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3})\\d+(Z|[+-]\\d\\d:?\\d\\d)$");

    /** The value as Salesforce takes it: an ISO datetime with more than millisecond precision is cut to milliseconds. */
    static Object salesforceValue(Object value) {
        if (value instanceof String s && s.length() > 24 && s.length() < 40) {
            Matcher m = TOO_PRECISE.matcher(s);
            if (m.matches()) {
                return m.group(1) + m.group(2).toUpperCase(Locale.ROOT);
            }
        }
        return value;
    }

    /** The record's fields with {@link #salesforceValue} applied (a copy; nulls kept). */
    static Map<String, Object> salesforceValues(Map<String, Object> fields) {
        Map<String, Object> out = new LinkedHashMap<>();
        fields.forEach((k, v) -> out.put(k, salesforceValue(v)));
        return out;
    }
}
