package io.hearth.sandbox;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.hearth.sandbox.RecordStore.Stored;
import io.hearth.sandbox.SandboxSchema.Field;
import io.hearth.sandbox.SandboxSchema.FieldType;
import io.hearth.sandbox.SandboxSchema.SObjectType;

/**
 * The sandbox org's data operations with Salesforce's validation and error codes. Every operation runs under one lock
 * (a sandbox, not a database); a request's writes are staged and committed to the store together, so allOrNone
 * requests leave nothing behind when a record fails.
 */
final class SandboxOrg {

    static final DateTimeFormatter SF_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxx").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter LENIENT_DATETIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral('T')
            .appendValue(ChronoField.HOUR_OF_DAY, 2).appendLiteral(':').appendValue(ChronoField.MINUTE_OF_HOUR, 2)
            .optionalStart().appendLiteral(':').appendValue(ChronoField.SECOND_OF_MINUTE, 2).optionalEnd()
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .toFormatter();

    final SandboxSchema schema;
    final RecordStore store;
    private final Clock clock;
    private final ObjectMapper json;
    /** Asked once per record written: true → the write fails with UNABLE_TO_LOCK_ROW (fault injection). */
    private final Supplier<Boolean> lockRowFault;
    final ReentrantLock lock = new ReentrantLock(true);
    /** Seeding is not an API call: faults do not apply. */
    private boolean seeding;
    /** The integration user's permissions; null: unrestricted (a System Administrator). */
    private volatile IntegrationAccess access;
    /** The user API calls run as (the integration user) and the one that owns seeded records (created in the UI). */
    static final String INTEGRATION_USER = "005HS0000000001AAA";
    static final String OTHER_USER = "005HS0000000002AAA";

    SandboxOrg(SandboxSchema schema, RecordStore store, Clock clock, ObjectMapper json, Supplier<Boolean> lockRowFault) {
        this.schema = schema;
        this.store = store;
        this.clock = clock;
        this.json = json;
        this.lockRowFault = lockRowFault;
    }

    void restrictTo(IntegrationAccess access) {
        this.access = access;
    }

    /** The current call's permissions: null when unrestricted (no permission set configured, or an admin's call). */
    IntegrationAccess access() {
        return Boolean.TRUE.equals(admin.get()) ? null : access;
    }

    private final ThreadLocal<Boolean> admin = new ThreadLocal<>();

    // --- org behaviour: assignment rules, duplicate rules, concurrent inserts, late commits (issue 16) ---------------

    /** The Case queue the sandbox's active assignment rule gives every case to. */
    static final String CASE_QUEUE = "00GHS0000000001AAA";
    /** An active Case assignment rule (on by default, as in most orgs): runs on create and update unless Sforce-Auto-Assign: FALSE. */
    private volatile boolean caseAssignmentRule = true;
    /** An active duplicate rule on Contact (same Email; off by default): DUPLICATES_DETECTED unless allowSave=true. */
    private volatile boolean contactDuplicateRule;
    /** The next n upserts that would insert fail with DUPLICATE_VALUE, as when another transaction inserted the same key. */
    private volatile int duplicateValueFailures;
    private final ThreadLocal<String[]> callHeaders = new ThreadLocal<>();

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
        return h != null && h[1] != null && h[1].replace(" ", "").toLowerCase(java.util.Locale.ROOT).contains("allowsave=true");
    }

    /** Admin endpoint: {@code caseAssignmentRule}, {@code duplicateRule}, {@code duplicateValueFailures}, {@code commitLate}. */
    void rules(JsonNode request) {
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

    void describeRules(ObjectNode state) {
        state.put("caseAssignmentRule", caseAssignmentRule);
        state.put("duplicateRule", contactDuplicateRule);
        state.put("duplicateValueFailures", duplicateValueFailures);
        state.put("lateCommits", lateCommits);
    }

    private void applyOrgRules(SObjectType type, ObjectNode record, String ownId, boolean created) {
        if (seeding) {
            return;
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

    void runAsAdmin(boolean asAdmin) {
        if (asAdmin) {
            admin.set(true);
        } else {
            admin.remove();
        }
    }

    private String now() {
        return SF_DATETIME.format(stampNow());
    }

    /** Seconds to subtract from the stamps of the next writes: a transaction that commits late (fault injection). */
    private volatile long lateCommitSeconds;
    private volatile int lateCommits;

    /** The next {@code writes} record writes get a SystemModstamp {@code seconds} in the past, as if committed late. */
    void commitLate(int writes, long seconds) {
        this.lateCommits = writes;
        this.lateCommitSeconds = seconds;
    }

    private Instant stampNow() {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        if (lateCommits > 0 && !seeding) {
            lateCommits--;
            return now.minusSeconds(lateCommitSeconds);
        }
        return now;
    }

    /** Object-level security for an API call: INVALID_TYPE when the object is invisible, else the access check. */
    private void checkObject(SObjectType type, String what, boolean allowed) {
        IntegrationAccess a = access();
        if (a == null || seeding) {
            return;
        }
        if (!a.object(type.name).read()) {
            throw RecordException.of("INVALID_TYPE", "sObject type '" + type.name + "' is not supported.");
        }
        if (!allowed) {
            throw RecordException.of("INSUFFICIENT_ACCESS_OR_READONLY", "insufficient access rights on object: the integration user may not "
                    + what + " " + type.name);
        }
    }

    /** Deleting (or purging) a record someone else owns needs Modify All on its object. */
    private SfError deleteRefused(Stored s) {
        IntegrationAccess a = access();
        if (a == null) {
            return null;
        }
        SObjectType type = schema.object(s.type());
        IntegrationAccess.ObjectPermission p = a.object(type.name);
        if (!p.read() || !p.delete()) {
            return SfError.of("INSUFFICIENT_ACCESS_OR_READONLY", "insufficient access rights on object id: the integration user may not"
                    + " delete " + type.name);
        }
        String owner = s.fields().path("OwnerId").asText(OTHER_USER);
        if (!owner.equals(INTEGRATION_USER) && !p.modifyAll()) {
            return SfError.of("INSUFFICIENT_ACCESS_OR_READONLY", "insufficient access rights on object id: the record is owned by another"
                    + " user (" + owner + ") and the integration user has no Modify All on " + type.name);
        }
        return null;
    }

    // --- results ----------------------------------------------------------------------------------------------------

    /** A record's outcome: id (when written), created (upserts), or its errors. */
    record SaveResult(String id, Boolean created, List<SfError> errors) {
        boolean success() {
            return errors.isEmpty();
        }

        static SaveResult ok(String id, Boolean created) {
            return new SaveResult(id, created, List.of());
        }

        static SaveResult failed(SfError error) {
            return new SaveResult(null, null, List.of(error));
        }
    }

    enum Op { CREATE, UPDATE, UPSERT }

    /** One record of a request: its type, the id (updates), the external-id value (upserts) and the body. */
    record Input(String type, String id, String externalIdValue, ObjectNode body) {
    }

    // --- staged writes ----------------------------------------------------------------------------------------------

    private final class Txn {
        final Map<String, Stored> puts = new LinkedHashMap<>();
        final List<String> deletes = new ArrayList<>();

        Stored get(String id) {
            if (deletes.contains(id)) {
                return null;
            }
            Stored s = puts.get(id);
            return s != null ? s : store.get(id);
        }

        String idByUnique(SObjectType type, Field field, String value) {
            String wanted = RecordStore.normaliseUnique(field, value);
            for (Stored s : puts.values()) {
                if (s.type().equals(type.name) && s.fields().hasNonNull(field.name())
                        && RecordStore.normaliseUnique(field, s.fields().get(field.name()).asText()).equals(wanted)) {
                    return s.id();
                }
            }
            String id = store.idByUnique(type.name, field.name(), wanted);
            if (id == null) {
                return null;
            }
            Stored current = get(id);
            if (current == null || !current.fields().hasNonNull(field.name())
                    || !RecordStore.normaliseUnique(field, current.fields().get(field.name()).asText()).equals(wanted)) {
                return null;
            }
            return id;
        }

        void commit() {
            store.commit(new ArrayList<>(puts.values()), deletes, now());
        }
    }

    /** The open all-or-none composite request of this thread, if any: its writes are staged here until it ends. */
    private final ThreadLocal<Txn> composite = new ThreadLocal<>();

    /**
     * Starts an all-or-none composite request on this thread: until {@link #endComposite}, writes, reads and deletes
     * of this thread see each other but reach the store only if it ends committed. Holds the org's lock meanwhile.
     */
    void beginComposite() {
        lock.lock();
        composite.set(new Txn());
    }

    /** Ends the thread's composite request: its writes are committed together, or dropped (rolled back). */
    void endComposite(boolean commit) {
        try {
            Txn txn = composite.get();
            composite.remove();
            if (commit && txn != null) {
                txn.commit();
            }
        } finally {
            lock.unlock();
        }
    }

    /** A record of this type with this id exists (for this thread: including its open composite request's writes). */
    boolean exists(String typeName, String rawId) {
        lock.lock();
        try {
            String id = SalesforceIds.normalise(rawId);
            Stored s = id == null ? null : current(id);
            return s != null && s.type().equals(typeName);
        } finally {
            lock.unlock();
        }
    }

    private Stored current(String id) {
        Txn txn = composite.get();
        return txn != null ? txn.get(id) : store.get(id);
    }

    // --- single records ---------------------------------------------------------------------------------------------

    SObjectType type(String name) {
        SObjectType type = schema.object(name);
        if (type == null) {
            throw SandboxApiException.notFound();
        }
        return type;
    }

    ObjectNode read(String typeName, String rawId, Set<String> fields) {
        SObjectType type = type(typeName);
        lock.lock();
        try {
            String id = SalesforceIds.normalise(rawId);
            Stored s = id == null ? null : current(id);
            if (s == null || !s.type().equals(type.name)) {
                throw SandboxApiException.notFound();
            }
            IntegrationAccess a = access();
            if (a != null && !a.object(type.name).read()) {
                throw SandboxApiException.notFound();
            }
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            out.set("attributes", attributes(type.name, s.id(), "v62.0"));
            for (Field f : type.fields()) {
                if (a != null && !a.readable(type, f)) {
                    continue; // invisible to the integration user: as if it did not exist
                }
                if (fields == null || fields.stream().anyMatch(n -> n.equalsIgnoreCase(f.name()))) {
                    out.set(f.name(), s.fields().has(f.name()) ? s.fields().get(f.name()) : JsonNodeFactory.instance.nullNode());
                }
            }
            if (fields != null) {
                for (String name : fields) {
                    if (type.field(name) == null || (a != null && !a.readable(type, type.field(name)))) {
                        throw SandboxApiException.badRequest("INVALID_FIELD", "No such column '" + name + "' on entity '" + type.name
                                + "'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name."
                                + " Please reference your WSDL or the describe call for the appropriate names.");
                    }
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    static ObjectNode attributes(String type, String id, String version) {
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        a.put("type", type);
        a.put("url", "/services/data/" + version + "/sobjects/" + type + "/" + id);
        return a;
    }

    void delete(String typeName, String rawId) {
        SObjectType type = type(typeName);
        lock.lock();
        try {
            String id = SalesforceIds.normalise(rawId);
            Stored s = id == null ? null : current(id);
            if (s == null || !s.type().equals(type.name)) {
                throw SandboxApiException.notFound();
            }
            SfError refused = deleteRefused(s);
            if (refused != null) {
                throw SandboxApiException.badRequest(refused.code(), refused.message());
            }
            if (lockRowFault.get()) {
                throw SandboxApiException.badRequest("UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record or 1 records: " + id);
            }
            Txn txn = composite.get();
            if (txn != null) {
                txn.puts.remove(id);
                txn.deletes.add(id);
            } else {
                store.commit(List.of(), List.of(id), now());
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * sObject Collections delete: each id on its own (allOrNone false) or all or none. Ids of any object type; an id
     * that names no record fails with ENTITY_IS_DELETED, a malformed one with MALFORMED_ID, as Salesforce answers.
     */
    List<SaveResult> deleteAll(List<String> rawIds, boolean allOrNone) {
        lock.lock();
        try {
            List<SaveResult> results = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (String raw : rawIds) {
                String id = SalesforceIds.normalise(raw);
                if (id == null) {
                    results.add(new SaveResult(null, null, List.of(SfError.of("MALFORMED_ID", "malformed id " + raw))));
                } else if (store.get(id) == null || ids.contains(id)) {
                    results.add(new SaveResult(id, null, List.of(SfError.of("ENTITY_IS_DELETED", "entity is deleted"))));
                } else if (deleteRefused(store.get(id)) != null) {
                    results.add(new SaveResult(id, null, List.of(deleteRefused(store.get(id)))));
                } else if (lockRowFault.get()) {
                    results.add(new SaveResult(id, null, List.of(SfError.of("UNABLE_TO_LOCK_ROW",
                            "unable to obtain exclusive access to this record or 1 records: " + id))));
                } else {
                    ids.add(id);
                    results.add(new SaveResult(id, null, List.of()));
                }
            }
            boolean failed = results.stream().anyMatch(r -> !r.success());
            if (allOrNone && failed) {
                List<SaveResult> rolledBack = new ArrayList<>();
                for (SaveResult r : results) {
                    rolledBack.add(r.success() ? new SaveResult(r.id(), null, List.of(SfError.of("ALL_OR_NONE_OPERATION_ROLLED_BACK",
                            "Record rolled back because not all records were valid and the request was using AllOrNone header")))
                            : r);
                }
                return rolledBack;
            }
            store.commit(List.of(), ids, now());
            return results;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes records as one request. allOrNone: if any fails, none is written and the others report
     * ALL_OR_NONE_OPERATION_ROLLED_BACK. Otherwise each record succeeds or fails on its own.
     */
    List<SaveResult> write(Op op, List<Input> inputs, String externalIdField, boolean allOrNone) {
        lock.lock();
        try {
            Txn outer = composite.get();
            Txn txn = outer != null && !allOrNone ? outer : new Txn();
            List<SaveResult> results = new ArrayList<>();
            Map<String, Integer> seenExternalIds = new HashMap<>();
            if (op == Op.UPSERT) {
                // the same external id twice in one request fails every record carrying it
                for (int i = 0; i < inputs.size(); i++) {
                    Input in = inputs.get(i);
                    if (in.externalIdValue() != null) {
                        seenExternalIds.merge(in.type().toLowerCase() + "|" + in.externalIdValue().toLowerCase(), 1, Integer::sum);
                    }
                }
            }
            for (Input in : inputs) {
                try {
                    if (op == Op.UPSERT && in.externalIdValue() != null
                            && seenExternalIds.get(in.type().toLowerCase() + "|" + in.externalIdValue().toLowerCase()) > 1) {
                        throw RecordException.of("DUPLICATE_VALUE", "Duplicate external id specified: " + in.externalIdValue(), externalIdField);
                    }
                    results.add(writeOne(op, in, externalIdField, txn));
                } catch (RecordException e) {
                    results.add(SaveResult.failed(e.error));
                }
            }
            boolean anyFailed = results.stream().anyMatch(r -> !r.success());
            if (allOrNone && anyFailed) {
                List<SaveResult> rolledBack = new ArrayList<>();
                for (SaveResult r : results) {
                    rolledBack.add(r.success() ? SaveResult.failed(SfError.of("ALL_OR_NONE_OPERATION_ROLLED_BACK",
                            "Record rolled back because not all records were valid and the request was using AllOrNone header")) : r);
                }
                return rolledBack;
            }
            if (txn == outer) {
                return results;  // staged in the composite request, committed when it ends
            }
            if (outer != null) {
                outer.puts.putAll(txn.puts);
                txn.deletes.forEach(outer.deletes::add);
                return results;
            }
            txn.commit();
            return results;
        } finally {
            lock.unlock();
        }
    }

    private SaveResult writeOne(Op op, Input in, String externalIdField, Txn txn) {
        SObjectType type = schema.object(in.type() == null ? "" : in.type());
        if (type == null) {
            throw RecordException.of("INVALID_TYPE", in.type() == null ? "Must specify the type of each record (attributes.type)"
                    : "sObject type '" + in.type() + "' is not supported.");
        }
        Stored existing = null;
        boolean created;
        ObjectNode body = in.body().deepCopy();
        body.remove("attributes");
        switch (op) {
            case CREATE -> {
                checkObject(type, "create", access() == null || access().object(type.name).create());
                if (body.has("Id") || body.has("id")) {
                    throw RecordException.of("INVALID_FIELD", "cannot specify Id in an insert call", "Id");
                }
                created = true;
            }
            case UPDATE -> {
                checkObject(type, "edit", access() == null || access().object(type.name).edit());
                String raw = in.id();
                body.remove("Id");
                body.remove("id");
                if (raw == null || raw.isBlank()) {
                    throw RecordException.of("MISSING_ARGUMENT", "Id not specified in an update call", "Id");
                }
                String id = SalesforceIds.normalise(raw);
                if (id == null) {
                    throw RecordException.of("MALFORMED_ID", type.name + " ID: id value of incorrect type: " + raw, "Id");
                }
                SObjectType ofId = schema.objectOfId(id);
                if (ofId != type) {
                    throw RecordException.of("MALFORMED_ID", type.name + " ID: id value of incorrect type: " + raw, "Id");
                }
                existing = txn.get(id);
                if (existing == null) {
                    throw RecordException.of("ENTITY_IS_DELETED", "entity is deleted", "Id");
                }
                created = false;
            }
            case UPSERT -> {
                Field ext = type.field(externalIdField);
                if (in.externalIdValue() == null || in.externalIdValue().isBlank()) {
                    throw RecordException.of("MISSING_ARGUMENT", ext.name() + " not specified", ext.name());
                }
                if (body.has("Id") || body.has("id")) {
                    throw RecordException.of("INVALID_FIELD", "cannot specify Id in an upsert call", "Id");
                }
                String id = txn.idByUnique(type, ext, in.externalIdValue());
                existing = id == null ? null : txn.get(id);
                created = existing == null;
                checkObject(type, created ? "create" : "edit", access() == null
                        || (created ? access().object(type.name).create() : access().object(type.name).edit()));
                if (access() != null && !seeding && !access().readable(type, ext)) {
                    throw RecordException.of("INVALID_FIELD", "No such column '" + ext.name() + "' on sobject of type " + type.name, ext.name());
                }
                if (created) {
                    body.put(ext.name(), in.externalIdValue());
                } else {
                    body.remove(ext.name()); // unchanged, and keeps the stored spelling
                    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
                        if (it.next().equalsIgnoreCase(ext.name())) {
                            it.remove();
                        }
                    }
                }
            }
            default -> throw new IllegalStateException();
        }
        ObjectNode record = existing == null ? JsonNodeFactory.instance.objectNode() : existing.fields().deepCopy();
        applyFields(type, body, record, created, txn);
        // SystemModstamp and friends have second precision in Salesforce (".000"): two commits in one second share a stamp
        String now = SF_DATETIME.format(stampNow());
        if (created) {
            for (Field f : type.fields()) {
                if (!record.has(f.name()) && f.defaultValue() != null) {
                    record.set(f.name(), json.valueToTree(f.defaultValue()));
                }
            }
        }
        checkRequired(type, record);
        checkUnique(type, record, existing == null ? null : existing.id(), txn);
        if (op == Op.UPSERT && created && duplicateValueFailures > 0 && !seeding) {
            duplicateValueFailures--;
            throw RecordException.of("DUPLICATE_VALUE", "duplicate value found: " + externalIdField
                    + " duplicates value on record with id: " + store.newId(type.keyPrefix), externalIdField);
        }
        applyOrgRules(type, record, existing == null ? null : existing.id(), created);
        String id = existing == null ? store.newId(type.keyPrefix) : existing.id();
        if (!seeding && lockRowFault.get()) {
            throw RecordException.of("UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record or 1 records: " + id);
        }
        if (created) {
            ObjectNode ordered = JsonNodeFactory.instance.objectNode();
            ordered.put("Id", id);
            ordered.put("IsDeleted", false);
            ordered.put("CreatedDate", now);
            ordered.put("OwnerId", seeding || Boolean.TRUE.equals(admin.get()) ? OTHER_USER : INTEGRATION_USER);
            ordered.setAll(record);
            record = ordered;
            Field name = type.field("Name");
            if (name != null && name.type() == FieldType.AUTONUMBER && type.autoNumberFormat != null) {
                record.put("Name", autoNumber(type.autoNumberFormat, store.nextSequenceValue()));
            }
            if (type.field("CaseNumber") != null) {
                record.put("CaseNumber", String.format("%08d", 1000 + store.nextSequenceValue()));
            }
        }
        if (type.name.equals("Contact")) {
            String full = (text(record, "FirstName") + " " + text(record, "LastName")).strip();
            record.put("Name", full);
        }
        record.put("LastModifiedDate", now);
        record.put("SystemModstamp", now);
        txn.puts.put(id, new Stored(type.name, record));
        return SaveResult.ok(id, op == Op.UPSERT ? created : null);
    }

    private static String text(ObjectNode record, String field) {
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

    private void applyFields(SObjectType type, ObjectNode body, ObjectNode record, boolean created, Txn txn) {
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            JsonNode value = e.getValue();
            Field lookupByRelationship = type.relationship(name);
            if (lookupByRelationship != null && value != null && value.isObject()) {
                checkFieldAccess(type, lookupByRelationship);
                record.put(lookupByRelationship.name(), resolveForeignKey(lookupByRelationship, (ObjectNode) value, txn));
                continue;
            }
            Field field = type.field(name);
            if (field == null) {
                throw RecordException.of("INVALID_FIELD", "No such column '" + name + "' on sobject of type " + type.name, name);
            }
            checkFieldAccess(type, field);
            if (!field.writable()) {
                throw RecordException.of("INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: " + field.name()
                        + ". Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
                        field.name());
            }
            JsonNode coerced = coerce(type, field, value, txn);
            if (coerced == null) {
                record.remove(field.name());
            } else {
                record.set(field.name(), coerced);
            }
        }
    }

    /** Field-level security: an unreadable field does not exist for the user, a read-only one cannot be written. */
    private void checkFieldAccess(SObjectType type, Field field) {
        IntegrationAccess a = access();
        if (a == null || seeding) {
            return;
        }
        if (!a.readable(type, field)) {
            throw RecordException.of("INVALID_FIELD", "No such column '" + field.name() + "' on sobject of type " + type.name, field.name());
        }
        if (field.writable() && !a.editable(type, field)) {
            throw RecordException.of("INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: " + field.name()
                    + ". Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
                    field.name());
        }
    }

    /** {@code "Contact__r": {"External_Id__c": "x:jane"}} → the parent's id, as Salesforce resolves foreign-key external ids. */
    private String resolveForeignKey(Field lookup, ObjectNode ref, Txn txn) {
        SObjectType parent = schema.object(lookup.referenceTo());
        Iterator<Map.Entry<String, JsonNode>> fields = ref.fields();
        Map.Entry<String, JsonNode> key = null;
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            if (!e.getKey().equals("attributes")) {
                if (key != null) {
                    throw RecordException.of("INVALID_FIELD", "More than one field provided in a foreign key reference for " + lookup.relationshipName());
                }
                key = e;
            }
        }
        Field ext = key == null ? null : parent.field(key.getKey());
        if (ext == null || !(ext.externalId() || ext.type() == FieldType.ID)) {
            throw RecordException.of("INVALID_FIELD", "Provided external ID field does not exist or is not accessible: "
                    + (key == null ? "" : key.getKey()), lookup.name());
        }
        String value = key.getValue().asText();
        String id = ext.type() == FieldType.ID ? SalesforceIds.normalise(value) : txn.idByUnique(parent, ext, value);
        if (id == null || txn.get(id) == null) {
            throw RecordException.of("INVALID_FIELD", "Foreign key external ID: " + value + " not found for field " + ext.name()
                    + " in entity " + parent.name);
        }
        return id;
    }

    private JsonNode coerce(SObjectType type, Field field, JsonNode value, Txn txn) {
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
                if (txn.get(id) == null) {
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

    private static final java.util.regex.Pattern TOO_PRECISE = java.util.regex.Pattern.compile("T\\d\\d:\\d\\d:\\d\\d\\.\\d{4,}");

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

    private static RecordException parserError(String type, JsonNode value) {
        return RecordException.of("JSON_PARSER_ERROR", "Cannot deserialize instance of " + type + " from " + value.getNodeType()
                + " value " + value + " or request may be missing a required field");
    }

    private static void checkRequired(SObjectType type, ObjectNode record) {
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

    private static void checkUnique(SObjectType type, ObjectNode record, String ownId, Txn txn) {
        for (Field f : type.fields()) {
            if (f.unique() && record.hasNonNull(f.name())) {
                String other = txn.idByUnique(type, f, record.get(f.name()).asText());
                if (other != null && !other.equals(ownId)) {
                    throw RecordException.of("DUPLICATE_VALUE", "duplicate value found: " + f.name() + " duplicates value on record with id: " + other);
                }
            }
        }
    }

    // --- seed -------------------------------------------------------------------------------------------------------

    /**
     * Loads {@code {"Contact":[{...}], ...}} into an empty store, all or nothing. Records may carry their own Id (so
     * seed records can refer to each other); the others get generated ids. Returns how many records were loaded.
     */
    int seed(JsonNode seed) {
        lock.lock();
        try {
            if (!store.isEmpty()) {
                return 0;
            }
            seeding = true;
            Txn txn = new Txn();
            int count = 0;
            // records with ids first, so lookups between seed records resolve whatever the order in the file
            List<Map.Entry<String, ObjectNode>> later = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = seed.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                SObjectType type = schema.object(e.getKey());
                if (type == null) {
                    throw new IllegalArgumentException("seed: unknown object " + e.getKey());
                }
                for (JsonNode r : (ArrayNode) e.getValue()) {
                    ObjectNode body = ((ObjectNode) r).deepCopy();
                    if (body.hasNonNull("Id")) {
                        String id = SalesforceIds.normalise(body.get("Id").asText());
                        if (id == null || schema.objectOfId(id) != type) {
                            throw new IllegalArgumentException("seed: " + type.name + " Id " + body.get("Id").asText()
                                    + " is not an id of that object (key prefix " + type.keyPrefix + ")");
                        }
                        // placeholder so lookups to it resolve; replaced below
                        ObjectNode placeholder = JsonNodeFactory.instance.objectNode().put("Id", id);
                        txn.puts.put(id, new Stored(type.name, placeholder));
                    }
                    later.add(Map.entry(type.name, body));
                }
            }
            for (Map.Entry<String, ObjectNode> e : later) {
                SObjectType type = schema.object(e.getKey());
                ObjectNode body = e.getValue();
                String id = body.hasNonNull("Id") ? SalesforceIds.normalise(body.get("Id").asText()) : null;
                body.remove("Id");
                try {
                    if (id == null) {
                        writeOne(Op.CREATE, new Input(type.name, null, null, body), null, txn);
                    } else {
                        txn.puts.remove(id);
                        SaveResult r = writeOne(Op.CREATE, new Input(type.name, null, null, body), null, txn);
                        Stored made = txn.puts.remove(r.id());
                        ObjectNode fields = made.fields();
                        fields.put("Id", id);
                        txn.puts.put(id, new Stored(type.name, fields));
                    }
                } catch (RecordException ex) {
                    throw new IllegalArgumentException("seed: a " + type.name + " record is invalid: " + ex.getMessage(), ex);
                }
                count++;
            }
            txn.commit();
            return count;
        } finally {
            seeding = false;
            lock.unlock();
        }
    }

    Collection<Stored> records(SObjectType type) {
        return store.all(type.name);
    }

    /** queryAll: live records and those in the Recycle Bin. */
    Collection<Stored> records(SObjectType type, boolean withDeleted) {
        return store.all(type.name, withDeleted);
    }

    /**
     * SOAP {@code emptyRecycleBin}: purges deleted records for good, each on its own (≤ 200 ids). An id of a live record
     * fails (it is not in the bin), one that is gone already fails with ENTITY_IS_DELETED; purging a record another user
     * owns needs Modify All on its object, as deleting it does.
     */
    List<SaveResult> emptyRecycleBin(List<String> rawIds) {
        lock.lock();
        try {
            List<SaveResult> results = new ArrayList<>();
            List<String> purge = new ArrayList<>();
            for (String raw : rawIds) {
                String id = SalesforceIds.normalise(raw);
                Stored binned = id == null ? null : store.deleted(id);
                if (id == null) {
                    results.add(SaveResult.failed(SfError.of("MALFORMED_ID", "malformed id " + raw)));
                } else if (binned == null && store.get(id) != null) {
                    results.add(new SaveResult(id, null, List.of(SfError.of("INVALID_ID_FIELD",
                            "The record is not in the Recycle Bin: delete it first"))));
                } else if (binned == null) {
                    results.add(new SaveResult(id, null, List.of(SfError.of("ENTITY_IS_DELETED", "entity is deleted"))));
                } else if (deleteRefused(binned) != null) {
                    results.add(new SaveResult(id, null, List.of(deleteRefused(binned))));
                } else {
                    purge.add(id);
                    results.add(SaveResult.ok(id, null));
                }
            }
            if (!purge.isEmpty()) {
                store.purge(purge);
            }
            return results;
        } finally {
            lock.unlock();
        }
    }
}
