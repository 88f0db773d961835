package io.hearth.state;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;

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

    @Override
    public boolean add(Exchange exchange, String key) {
        String sourceRef = exchange.getMessage().getHeader(SOURCE_REF_HEADER, String.class);
        return add(key, sourceRef == null ? "unknown" : sourceRef, sourceRef != null);
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
