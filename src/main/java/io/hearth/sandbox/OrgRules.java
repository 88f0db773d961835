package io.hearth.sandbox;

import java.time.Instant;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hearth.sandbox.RecordStore.Stored;
import io.hearth.sandbox.SandboxSchema.SObjectType;

/**
 * The org's behaviour beyond validation (issue 16), switched by the admin endpoint: the Case assignment rule, the
 * Contact duplicate rule, inserts that lose a race to another transaction (DUPLICATE_VALUE), and transactions that
 * commit late; with the call's {@code Sforce-Auto-Assign} and {@code Sforce-Duplicate-Rule-Header}.
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
    private final ThreadLocal<String[]> callHeaders = new ThreadLocal<>();

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

    /** Admin endpoint: {@code caseAssignmentRule}, {@code duplicateRule}, {@code duplicateValueFailures}, {@code commitLate}. */
    void update(JsonNode request) {
        if (request.path("reset").asBoolean(false)) {
            caseAssignmentRule = true;
            contactDuplicateRule = false;
            duplicateValueFailures = 0;
            commitLate(0, 0);
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
    }

    /** The assignment rule (a Case goes to {@link #CASE_QUEUE}) and the duplicate rule on a record being saved. */
    void apply(SObjectType type, ObjectNode record, String ownId) {
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
