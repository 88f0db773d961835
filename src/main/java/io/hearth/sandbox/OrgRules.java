package io.hearth.sandbox;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hearth.sandbox.RecordStore.Stored;
import io.hearth.sandbox.SandboxSchema.SObjectType;

/**
 * The org's behaviour beyond validation (issue 16), switched by the admin endpoint: the Case assignment rule, the
 * Contact duplicate rule, inserts that lose a race to another transaction (DUPLICATE_VALUE), transactions that
 * commit late, and validation rules that refuse chosen records ({@code refuseRecords}, issue 18: a record error such as
 * FIELD_CUSTOM_VALIDATION_EXCEPTION in that record's result); with the call's {@code Sforce-Auto-Assign} and
 * {@code Sforce-Duplicate-Rule-Header}.
 */
final class OrgRules {

    /** The Case queue the sandbox's active assignment rule gives every case to. */
    static final String CASE_QUEUE = "00GHS0000000001AAA";

    private final RecordStore store;
    /** An active Case assignment rule (on by default, as in most orgs): runs on create and update unless Sforce-Auto-Assign: FALSE. */
    private volatile boolean caseAssignmentRule = true;
    /** An active duplicate rule on Contact (same Email; off by default): DUPLICATES_DETECTED unless allowSave=true. */
    private volatile boolean contactDuplicateRule;
    /** The next n upserts that would insert fail with DUPLICATE_VALUE, as when another transaction inserted the same key. */
    private volatile int duplicateValueFailures;
    /** Seconds to subtract from the stamps of the next writes: a transaction that commits late (fault injection). */
    private volatile long lateCommitSeconds;
    private volatile int lateCommits;
    /** Validation rules that refuse chosen records (fault injection): none by default. */
    private volatile List<Refusal> refusals = List.of();
    private final ThreadLocal<String[]> callHeaders = new ThreadLocal<>();

    /**
     * A validation rule the sandbox runs on every record write (create, update, upsert; single, Collections, Composite):
     * a record of {@code object} (null: any object) whose {@code field} holds a value in which {@code matching} (a
     * regular expression) is found is refused with {@code code} and {@code message}, the field named in the error, as
     * Salesforce answers a validation rule whose error shows at a field.
     */
    record Refusal(String object, String field, Pattern matching, String code, String message) {

        static final String DEFAULT_CODE = "FIELD_CUSTOM_VALIDATION_EXCEPTION";

        static Refusal of(JsonNode n) {
            String field = n.path("field").asText("");
            String matching = n.path("matching").asText("");
            if (field.isBlank() || matching.isEmpty()) {
                throw SandboxApiException.badRequest("INVALID_FIELD", "refuseRecords: 'field' and 'matching' are required");
            }
            Pattern pattern;
            try {
                pattern = Pattern.compile(matching);
            } catch (PatternSyntaxException e) {
                throw SandboxApiException.badRequest("INVALID_FIELD", "refuseRecords: 'matching' is not a regular expression: "
                        + e.getDescription());
            }
            String object = n.hasNonNull("object") ? n.get("object").asText() : null;
            return new Refusal(object, field, pattern, n.path("code").asText(DEFAULT_CODE),
                    n.path("message").asText("Refused by the sandbox's validation rule on " + field));
        }

        boolean refuses(SObjectType type, ObjectNode record) {
            if (object != null && !object.equalsIgnoreCase(type.name)) {
                return false;
            }
            JsonNode value = record.get(field);
            return value != null && !value.isNull() && matching.matcher(value.asText()).find();
        }

        ObjectNode describe() {
            ObjectNode n = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            if (object != null) {
                n.put("object", object);
            }
            n.put("field", field);
            n.put("matching", matching.pattern());
            n.put("code", code);
            n.put("message", message);
            return n;
        }
    }

    OrgRules(RecordStore store) {
        this.store = store;
    }

    /** The current request's Sforce-Auto-Assign and Sforce-Duplicate-Rule-Header (null: none). */
    void callHeaders(String autoAssign, String duplicateRule) {
        if (autoAssign == null && duplicateRule == null) {
            callHeaders.remove();
        } else {
            callHeaders.set(new String[] {autoAssign, duplicateRule});
        }
    }

    private boolean autoAssign() {
        String[] h = callHeaders.get();
        return h == null || h[0] == null || !h[0].strip().equalsIgnoreCase("false");
    }

    private boolean allowSaveDuplicates() {
        String[] h = callHeaders.get();
        return h != null && h[1] != null && h[1].replace(" ", "").toLowerCase(Locale.ROOT).contains("allowsave=true");
    }

    /**
     * Admin endpoint: {@code caseAssignmentRule}, {@code duplicateRule}, {@code duplicateValueFailures}, {@code commitLate},
     * {@code refuseRecords} (one rule object or an array of them, replacing those in force; {@code null} or {@code []}
     * clears them).
     */
    void update(JsonNode request) {
        // parsed first: an invalid rule changes nothing
        List<Refusal> newRefusals = null;
        if (request.has("refuseRecords")) {
            JsonNode r = request.get("refuseRecords");
            newRefusals = new ArrayList<>();
            if (r.isArray()) {
                for (JsonNode one : r) {
                    newRefusals.add(Refusal.of(one));
                }
            } else if (!r.isNull()) {
                newRefusals.add(Refusal.of(r));
            }
        }
        if (request.path("reset").asBoolean(false)) {
            caseAssignmentRule = true;
            contactDuplicateRule = false;
            duplicateValueFailures = 0;
            commitLate(0, 0);
            refusals = List.of();
        }
        if (newRefusals != null) {
            refusals = List.copyOf(newRefusals);
        }
        if (request.has("caseAssignmentRule")) {
            caseAssignmentRule = request.get("caseAssignmentRule").asBoolean();
        }
        if (request.has("duplicateRule")) {
            contactDuplicateRule = request.get("duplicateRule").asBoolean();
        }
        if (request.has("duplicateValueFailures")) {
            duplicateValueFailures = request.get("duplicateValueFailures").asInt();
        }
        if (request.has("commitLate")) {
            commitLate(request.get("commitLate").path("writes").asInt(1), request.get("commitLate").path("seconds").asLong(30));
        }
    }

    void describe(ObjectNode state) {
        state.put("caseAssignmentRule", caseAssignmentRule);
        state.put("duplicateRule", contactDuplicateRule);
        state.put("duplicateValueFailures", duplicateValueFailures);
        state.put("lateCommits", lateCommits);
        ArrayNode refused = state.putArray("refuseRecords");
        refusals.forEach(r -> refused.add(r.describe()));
    }

    /** The assignment rule (a Case goes to {@link #CASE_QUEUE}) and the duplicate rule on a record being saved. */
    void apply(SObjectType type, ObjectNode record, String ownId) {
        for (Refusal r : refusals) {
            if (r.refuses(type, record)) {
                throw RecordException.of(r.code(), r.message(), r.field());
            }
        }
        if (type.name.equals("Case") && caseAssignmentRule && autoAssign()) {
            record.put("OwnerId", CASE_QUEUE);
        }
        if (type.name.equals("Contact") && contactDuplicateRule && !allowSaveDuplicates() && record.hasNonNull("Email")) {
            String email = record.get("Email").asText();
            for (Stored other : store.all("Contact")) {
                if (!other.id().equals(ownId) && email.equalsIgnoreCase(other.fields().path("Email").asText(null))) {
                    throw RecordException.of("DUPLICATES_DETECTED", "Use one of these records?");
                }
            }
        }
    }

    /** Whether this insert loses a race to another transaction (one of the configured DUPLICATE_VALUE failures). */
    boolean takeDuplicateValueFailure() {
        if (duplicateValueFailures > 0) {
            duplicateValueFailures--;
            return true;
        }
        return false;
    }

    /** The next {@code writes} record writes get a SystemModstamp {@code seconds} in the past, as if committed late. */
    void commitLate(int writes, long seconds) {
        this.lateCommits = writes;
        this.lateCommitSeconds = seconds;
    }

    /** The stamp of a write at {@code now}: earlier by the late-commit seconds while late commits are pending. */
    Instant stamp(Instant now) {
        if (lateCommits > 0) {
            lateCommits--;
            return now.minusSeconds(lateCommitSeconds);
        }
        return now;
    }
}
