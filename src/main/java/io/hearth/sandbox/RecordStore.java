package io.hearth.sandbox;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The sandbox org's records: one H2 file database of its own ({@code <dir>/sandbox.mv.db}, table
 * {@code SB_RECORD(ID, OBJECT_TYPE, BODY)} with the record as JSON), written through on every commit
 * ({@code WRITE_DELAY=0}: a commit is on disk before the API answers), read once into memory at start.
 * Not thread-safe: {@link SandboxOrg} serialises access.
 */
final class RecordStore implements AutoCloseable {

    /** A stored record: its object type and its fields (canonical names, Salesforce JSON values, incl. Id). */
    record Stored(String type, ObjectNode fields) {
        String id() {
            return fields.get("Id").asText();
        }
    }

    private final SandboxSchema schema;
    private final ObjectMapper json;
    private final Connection connection;
    private final Map<String, Stored> byId = new HashMap<>();
    /** Records written (created or changed) per object since start: a record written twice counts twice. */
    private final Map<String, java.util.concurrent.atomic.AtomicLong> writes = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, Map<String, Stored>> byType = new HashMap<>();
    /** "type|field" (lower case) → normalised value → id, for unique and external-id fields. */
    private final Map<String, Map<String, String>> unique = new HashMap<>();
    /** The Recycle Bin: deleted records (IsDeleted true), kept until purged; only queryAll sees them. */
    private final Map<String, Stored> bin = new LinkedHashMap<>();
    private long sequence;

    RecordStore(Path directory, SandboxSchema schema, ObjectMapper json) {
        this.schema = schema;
        this.json = json;
        try {
            Files.createDirectories(directory);
            String url = "jdbc:h2:file:" + directory.toAbsolutePath().resolve("sandbox") + ";WRITE_DELAY=0";
            this.connection = DriverManager.getConnection(url, "sa", "");
            try (Statement st = connection.createStatement()) {
                st.execute("CREATE TABLE IF NOT EXISTS SB_RECORD (ID VARCHAR(18) PRIMARY KEY, OBJECT_TYPE VARCHAR(80) NOT NULL,"
                        + " BODY CLOB NOT NULL)");
                st.execute("CREATE TABLE IF NOT EXISTS SB_SEQUENCE (NAME VARCHAR(40) PRIMARY KEY, NEXT_VALUE BIGINT NOT NULL)");
                st.execute("MERGE INTO SB_SEQUENCE KEY(NAME) SELECT 'record', 1 FROM DUAL WHERE NOT EXISTS"
                        + " (SELECT 1 FROM SB_SEQUENCE WHERE NAME = 'record')");
            }
            connection.setAutoCommit(false);
            load();
        } catch (Exception e) {
            throw new IllegalStateException("sandbox store at " + directory + ": " + e.getMessage(), e);
        }
    }

    private void load() throws Exception {
        try (Statement st = connection.createStatement();
             ResultSet rs = st.executeQuery("SELECT OBJECT_TYPE, BODY FROM SB_RECORD ORDER BY ID")) {
            while (rs.next()) {
                String type = rs.getString(1);
                SandboxSchema.SObjectType objectType = schema.object(type);
                if (objectType == null) {
                    continue; // the object was removed from the metadata: keep the rows, hide them
                }
                Stored stored = new Stored(objectType.name, (ObjectNode) json.readTree(rs.getString(2)));
                if (stored.fields().path("IsDeleted").asBoolean(false)) {
                    bin.put(stored.id(), stored);
                } else {
                    index(stored);
                }
            }
            try (ResultSet seq = st.executeQuery("SELECT NEXT_VALUE FROM SB_SEQUENCE WHERE NAME = 'record'")) {
                seq.next();
                sequence = seq.getLong(1);
            }
        }
        connection.commit();
    }

    boolean isEmpty() {
        return byId.isEmpty();
    }

    int size() {
        return byId.size();
    }

    Stored get(String id) {
        return byId.get(id);
    }

    Collection<Stored> all(String type) {
        Map<String, Stored> records = byType.get(type.toLowerCase(Locale.ROOT));
        return records == null ? List.of() : records.values();
    }

    /** The id of the record whose unique field has this (normalised) value, or null. */
    String idByUnique(String type, String field, String normalisedValue) {
        Map<String, String> values = unique.get(key(type, field));
        return values == null ? null : values.get(normalisedValue);
    }

    /** Object → records written since the store opened (seeding included; deletes not counted). */
    Map<String, Long> writes() {
        Map<String, Long> out = new java.util.TreeMap<>();
        writes.forEach((type, n) -> out.put(type, n.get()));
        return out;
    }

    /** A new, never used id for this object (the sequence is persisted with the next commit). */
    String newId(String keyPrefix) {
        return SalesforceIds.of(keyPrefix, sequence++);
    }

    long nextSequenceValue() {
        return sequence;
    }

    /** A record in the Recycle Bin (deleted, not yet purged), or null. */
    Stored deleted(String id) {
        return bin.get(id);
    }

    /** Live records and, with {@code withDeleted}, the ones in the Recycle Bin (queryAll). */
    Collection<Stored> all(String type, boolean withDeleted) {
        if (!withDeleted) {
            return all(type);
        }
        List<Stored> out = new ArrayList<>(all(type));
        for (Stored s : bin.values()) {
            if (s.type().equalsIgnoreCase(type)) {
                out.add(s);
            }
        }
        return out;
    }

    /** Removes records from the Recycle Bin for good (emptyRecycleBin, hard delete). */
    void purge(List<String> ids) {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM SB_RECORD WHERE ID = ?")) {
            for (String id : ids) {
                delete.setString(1, id);
                delete.addBatch();
            }
            delete.executeBatch();
            connection.commit();
        } catch (Exception e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the original failure is what matters
            }
            throw new IllegalStateException("sandbox store purge failed: " + e.getMessage(), e);
        }
        ids.forEach(bin::remove);
    }

    /** Writes the changes in one database transaction, then shows them; deleted records go to the Recycle Bin. */
    void commit(List<Stored> puts, List<String> deletes) {
        commit(puts, deletes, null);
    }

    /**
     * Writes the changes in one database transaction, then shows them. Throws (changing nothing) if the database fails.
     * Deleted records move to the Recycle Bin (IsDeleted true, SystemModstamp {@code now} when given).
     */
    void commit(List<Stored> puts, List<String> deletes, String now) {
        List<Stored> binned = new ArrayList<>();
        for (String id : deletes) {
            Stored live = byId.get(id);
            if (live != null) {
                ObjectNode body = live.fields().deepCopy();
                body.put("IsDeleted", true);
                if (now != null) {
                    body.put("SystemModstamp", now);
                    body.put("LastModifiedDate", now);
                }
                binned.add(new Stored(live.type(), body));
            }
        }
        try {
            try (PreparedStatement merge = connection.prepareStatement("MERGE INTO SB_RECORD (ID, OBJECT_TYPE, BODY) KEY(ID) VALUES (?, ?, ?)");
                 PreparedStatement delete = connection.prepareStatement("DELETE FROM SB_RECORD WHERE ID = ?");
                 PreparedStatement seq = connection.prepareStatement("UPDATE SB_SEQUENCE SET NEXT_VALUE = ? WHERE NAME = 'record'")) {
                for (Stored s : puts) {
                    merge.setString(1, s.id());
                    merge.setString(2, s.type());
                    merge.setString(3, json.writeValueAsString(s.fields()));
                    merge.addBatch();
                }
                if (!puts.isEmpty()) {
                    merge.executeBatch();
                }
                for (Stored s : binned) {
                    merge.setString(1, s.id());
                    merge.setString(2, s.type());
                    merge.setString(3, json.writeValueAsString(s.fields()));
                    merge.addBatch();
                }
                if (!binned.isEmpty()) {
                    merge.executeBatch();
                }
                seq.setLong(1, sequence);
                seq.executeUpdate();
            }
            connection.commit();
            for (Stored s : puts) {
                writes.computeIfAbsent(s.type(), t -> new java.util.concurrent.atomic.AtomicLong()).incrementAndGet();
            }
        } catch (Exception e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the original failure is what matters
            }
            throw new IllegalStateException("sandbox store write failed: " + e.getMessage(), e);
        }
        for (String id : deletes) {
            Stored old = byId.remove(id);
            if (old != null) {
                unindex(old);
            }
        }
        binned.forEach(s -> bin.put(s.id(), s));
        for (Stored s : puts) {
            Stored old = byId.get(s.id());
            if (old != null) {
                unindex(old);
            }
            index(s);
        }
    }

    private void index(Stored s) {
        byId.put(s.id(), s);
        byType.computeIfAbsent(s.type().toLowerCase(Locale.ROOT), t -> new LinkedHashMap<>()).put(s.id(), s);
        SandboxSchema.SObjectType type = schema.object(s.type());
        for (SandboxSchema.Field f : type.fields()) {
            if ((f.unique() || f.externalId()) && s.fields().hasNonNull(f.name())) {
                unique.computeIfAbsent(key(s.type(), f.name()), k -> new HashMap<>())
                        .put(normaliseUnique(f, s.fields().get(f.name()).asText()), s.id());
            }
        }
    }

    private void unindex(Stored s) {
        byType.getOrDefault(s.type().toLowerCase(Locale.ROOT), new HashMap<>()).remove(s.id());
        SandboxSchema.SObjectType type = schema.object(s.type());
        for (SandboxSchema.Field f : type.fields()) {
            if ((f.unique() || f.externalId()) && s.fields().hasNonNull(f.name())) {
                Map<String, String> values = unique.get(key(s.type(), f.name()));
                String value = normaliseUnique(f, s.fields().get(f.name()).asText());
                if (values != null && s.id().equals(values.get(value))) {
                    values.remove(value);
                }
            }
        }
    }

    static String normaliseUnique(SandboxSchema.Field field, String value) {
        return field.caseSensitive() ? value : value.toLowerCase(Locale.ROOT);
    }

    private static String key(String type, String field) {
        return (type + "|" + field).toLowerCase(Locale.ROOT);
    }

    List<Stored> allRecords() {
        return new ArrayList<>(byId.values());
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing at shutdown
        }
    }
}
