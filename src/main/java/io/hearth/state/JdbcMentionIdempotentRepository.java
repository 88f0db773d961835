package io.hearth.state;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import io.hearth.queue.BatchTransaction;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Idempotent repository over the state database, keyed on the mention id ({@code channel:nativeId}).
 *
 * <p>The key is committed at once, before the stage's JMS transaction commits. If the hub dies
 * between the two, the inbound message is redelivered and meets its own key: so {@link #add} also
 * answers {@code true} when the key was recorded by the same source ({@value #SOURCE_REF_HEADER}
 * header: inbound message id and position). A different source carrying the same mention, an
 * overlapping poll or a replay, is a duplicate.
 *
 * <p>Inside a stage batch ({@link BatchTransaction} on the exchange) the keys are not committed
 * one by one: {@link #add} checks the committed keys and the batch's own, and the batch's new
 * keys are inserted in one database transaction just before the batch's JMS commit (one commit
 * per batch instead of one per mention: with H2's {@code WRITE_DELAY=0} every commit writes the
 * store). If another consumer committed one of those keys meanwhile (two payloads carrying the
 * same mention at the same moment), the insert fails and the whole batch rolls back; redelivered,
 * it meets that key and drops the duplicate. Keys are inserted in sorted order so two batches
 * never wait on each other crosswise.
 */
@Component("mentionIdempotentRepository")
public class JdbcMentionIdempotentRepository extends ServiceSupport implements IdempotentRepository {

    /** Header naming where a mention came from: inbound message id and its index in that payload. */
    public static final String SOURCE_REF_HEADER = "HearthSourceRef";

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public JdbcMentionIdempotentRepository(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    private static final String INSERT =
            "INSERT INTO hearth_processed_mention (mention_id, source_ref, first_seen_at) VALUES (?, ?, ?)";

    @Override
    public boolean add(Exchange exchange, String key) {
        String sourceRef = exchange.getMessage().getHeader(SOURCE_REF_HEADER, String.class);
        BatchTransaction batch = exchange.getProperty(BatchTransaction.PROPERTY, BatchTransaction.class);
        BatchKeys keys = batch == null ? null : batch.participant(this, BatchKeys::new);
        if (keys != null) {
            return keys.add(key, sourceRef == null ? "unknown" : sourceRef, sourceRef != null);
        }
        return add(key, sourceRef == null ? "unknown" : sourceRef, sourceRef != null);
    }

    /**
     * Route step before the split: looks up the committed keys of a whole payload's mentions in
     * one query per {@value #PREFETCH_CHUNK} (instead of one query per mention). Outside a stage
     * batch it does nothing. A key committed by another consumer after this look-up is still
     * caught: the batch's insert then fails and the batch is redelivered.
     */
    public void prefetch(Exchange exchange, @Body List<? extends Object> mentions) {
        BatchTransaction batch = exchange.getProperty(BatchTransaction.PROPERTY, BatchTransaction.class);
        BatchKeys keys = batch == null ? null : batch.participant(this, BatchKeys::new);
        if (keys == null) {
            return;
        }
        List<String> ids = new java.util.ArrayList<>(mentions.size());
        for (Object mention : mentions) {
            ids.add(((io.hearth.mention.Mention) mention).id());
        }
        for (int from = 0; from < ids.size(); from += PREFETCH_CHUNK) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + PREFETCH_CHUNK));
            String marks = String.join(",", java.util.Collections.nCopies(chunk.size(), "?"));
            Map<String, String> found = new java.util.HashMap<>();
            jdbc.query("SELECT mention_id, source_ref FROM hearth_processed_mention WHERE mention_id IN (" + marks + ")",
                    rs -> {
                        found.put(rs.getString(1), rs.getString(2));
                    }, chunk.toArray());
            for (String id : chunk) {
                keys.committed.put(id, found.get(id));
            }
        }
    }

    private static final int PREFETCH_CHUNK = 100;

    /** One stage batch's new keys, inserted together right before the batch commits. */
    private final class BatchKeys implements BatchTransaction.Participant {
        private final Map<String, String> pending = new TreeMap<>();
        /** Prefetched: key → its committed source ref, or null when it was not committed. */
        private final Map<String, String> committed = new java.util.HashMap<>();

        boolean add(String key, String sourceRef, boolean sameSourceIsNew) {
            String mine = pending.get(key);
            if (mine != null) {
                return sameSourceIsNew && mine.equals(sourceRef);
            }
            String recorded;
            if (committed.containsKey(key)) {
                recorded = committed.get(key);
            } else {
                List<String> rows = jdbc.queryForList(
                        "SELECT source_ref FROM hearth_processed_mention WHERE mention_id = ?", String.class, key);
                recorded = rows.isEmpty() ? null : rows.get(0);
            }
            if (recorded != null) {
                return sameSourceIsNew && recorded.equals(sourceRef);
            }
            pending.put(key, sourceRef);
            return true;
        }

        void remove(String key) {
            pending.remove(key);
        }

        @Override
        public void beforeCommit() {
            if (pending.isEmpty()) {
                return;
            }
            Timestamp now = Timestamp.from(clock.instant());
            jdbc.execute((Connection connection) -> {
                boolean autoCommit = connection.getAutoCommit();
                connection.setAutoCommit(false);
                try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                    for (Map.Entry<String, String> key : pending.entrySet()) {
                        insert.setString(1, key.getKey());
                        insert.setString(2, key.getValue());
                        insert.setTimestamp(3, now);
                        insert.addBatch();
                    }
                    insert.executeBatch();
                    connection.commit();
                } catch (SQLException | RuntimeException e) {
                    connection.rollback();
                    throw e;
                } finally {
                    connection.setAutoCommit(autoCommit);
                }
                return null;
            });
            pending.clear();
        }

        @Override
        public void afterRollback() {
            pending.clear();
            committed.clear();
        }
    }

    @Override
    public boolean add(String key) {
        return add(key, "unknown", false);
    }

    private boolean add(String key, String sourceRef, boolean sameSourceIsNew) {
        try {
            jdbc.update("INSERT INTO hearth_processed_mention (mention_id, source_ref, first_seen_at) VALUES (?, ?, ?)",
                    key, sourceRef, Timestamp.from(clock.instant()));
            return true;
        } catch (DuplicateKeyException duplicate) {
            if (!sameSourceIsNew) {
                return false;
            }
            List<String> recorded = jdbc.queryForList(
                    "SELECT source_ref FROM hearth_processed_mention WHERE mention_id = ?", String.class, key);
            return recorded.size() == 1 && recorded.get(0).equals(sourceRef);
        }
    }

    @Override
    public boolean contains(String key) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM hearth_processed_mention WHERE mention_id = ?",
                Integer.class, key);
        return n != null && n > 0;
    }

    @Override
    public boolean remove(Exchange exchange, String key) {
        BatchTransaction batch = exchange.getProperty(BatchTransaction.PROPERTY, BatchTransaction.class);
        BatchKeys keys = batch == null ? null : batch.participant(this, BatchKeys::new);
        if (keys != null) {
            keys.remove(key);
        }
        return remove(key);
    }

    @Override
    public boolean remove(String key) {
        return jdbc.update("DELETE FROM hearth_processed_mention WHERE mention_id = ?", key) > 0;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        jdbc.update("DELETE FROM hearth_processed_mention");
    }

    public long size() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM hearth_processed_mention", Long.class);
        return n == null ? 0 : n;
    }
}
