package io.hearth.sandbox;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
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

    static final DateTimeFormatter SF_DATETIME = FieldValues.SF_DATETIME;

    final SandboxSchema schema;
    final RecordStore store;
    private final Clock clock;
    private final ObjectMapper json;
    /** Asked once per record written: true → the write fails with UNABLE_TO_LOCK_ROW (fault injection). */
    private final Supplier<Boolean> lockRowFault;
    final ReentrantLock lock = new ReentrantLock(true);
    /** Seeding is not an API call: faults do not apply. */
    private boolean seeding;
    /** Permissions of the call: the integration user's, or unrestricted. */
    private final OrgAccess access = new OrgAccess();
    /** Assignment and duplicate rules, lost insert races, late commits (admin endpoint). */
    private final OrgRules rules;
    /** The user API calls run as (the integration user) and the one that owns seeded records (created in the UI). */
    static final String INTEGRATION_USER = OrgAccess.INTEGRATION_USER;
    static final String OTHER_USER = OrgAccess.OTHER_USER;
    /** The Case queue the sandbox's active assignment rule gives every case to. */
    static final String CASE_QUEUE = OrgRules.CASE_QUEUE;

    SandboxOrg(SandboxSchema schema, RecordStore store, Clock clock, ObjectMapper json, Supplier<Boolean> lockRowFault) {
        this.schema = schema;
        this.store = store;
        this.clock = clock;
        this.json = json;
        this.lockRowFault = lockRowFault;
        this.rules = new OrgRules(store);
    }

    void restrictTo(IntegrationAccess access) {
        this.access.restrictTo(access);
    }

    /** The current call's permissions: null when unrestricted (no permission set configured, or an admin's call). */
    IntegrationAccess access() {
        return access.current();
    }

    void runAsAdmin(boolean asAdmin) {
        access.runAsAdmin(asAdmin);
    }

    /** The current request's Sforce-Auto-Assign and Sforce-Duplicate-Rule-Header (null: none). */
    void callHeaders(String autoAssign, String duplicateRule) {
        rules.callHeaders(autoAssign, duplicateRule);
    }

    /** Admin endpoint: {@code caseAssignmentRule}, {@code duplicateRule}, {@code duplicateValueFailures}, {@code commitLate}. */
    void rules(JsonNode request) {
        rules.update(request);
    }

    void describeRules(ObjectNode state) {
        rules.describe(state);
    }

    /** The next {@code writes} record writes get a SystemModstamp {@code seconds} in the past, as if committed late. */
    void commitLate(int writes, long seconds) {
        rules.commitLate(writes, seconds);
    }

    private String now() {
        return SF_DATETIME.format(stampNow());
    }

    private Instant stampNow() {
        Instant now = clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        return seeding ? now : rules.stamp(now);
    }

    /** Object-level security for an API call: INVALID_TYPE when the object is invisible, else the access check. */
    private void checkObject(SObjectType type, String what, boolean allowed) {
        if (!seeding) {
            access.checkObject(type, what, allowed);
        }
    }

    /** Deleting (or purging) a record someone else owns needs Modify All on its object. */
    private SfError deleteRefused(Stored s) {
        return access.current() == null ? null : access.deleteRefused(schema.object(s.type()), s);
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
        FieldValues.checkRequired(type, record);
        checkUnique(type, record, existing == null ? null : existing.id(), txn);
        if (op == Op.UPSERT && created && !seeding && rules.takeDuplicateValueFailure()) {
            throw RecordException.of("DUPLICATE_VALUE", "duplicate value found: " + externalIdField
                    + " duplicates value on record with id: " + store.newId(type.keyPrefix), externalIdField);
        }
        if (!seeding) {
            rules.apply(type, record, existing == null ? null : existing.id());
        }
        String id = existing == null ? store.newId(type.keyPrefix) : existing.id();
        if (!seeding && lockRowFault.get()) {
            throw RecordException.of("UNABLE_TO_LOCK_ROW", "unable to obtain exclusive access to this record or 1 records: " + id);
        }
        if (created) {
            ObjectNode ordered = JsonNodeFactory.instance.objectNode();
            ordered.put("Id", id);
            ordered.put("IsDeleted", false);
            ordered.put("CreatedDate", now);
            ordered.put("OwnerId", access.newOwner(seeding));
            ordered.setAll(record);
            record = ordered;
            Field name = type.field("Name");
            if (name != null && name.type() == FieldType.AUTONUMBER && type.autoNumberFormat != null) {
                record.put("Name", FieldValues.autoNumber(type.autoNumberFormat, store.nextSequenceValue()));
            }
            if (type.field("CaseNumber") != null) {
                record.put("CaseNumber", String.format("%08d", 1000 + store.nextSequenceValue()));
            }
        }
        if (type.name.equals("Contact")) {
            String full = (FieldValues.text(record, "FirstName") + " " + FieldValues.text(record, "LastName")).strip();
            record.put("Name", full);
        }
        record.put("LastModifiedDate", now);
        record.put("SystemModstamp", now);
        txn.puts.put(id, new Stored(type.name, record));
        return SaveResult.ok(id, op == Op.UPSERT ? created : null);
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
            JsonNode coerced = FieldValues.coerce(schema, field, value, id -> txn.get(id) != null);
            if (coerced == null) {
                record.remove(field.name());
            } else {
                record.set(field.name(), coerced);
            }
        }
    }

    /** Field-level security: an unreadable field does not exist for the user, a read-only one cannot be written. */
    private void checkFieldAccess(SObjectType type, Field field) {
        if (!seeding) {
            access.checkField(type, field);
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

    static Instant parseDateTime(String s) {
        return FieldValues.parseDateTime(s);
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
