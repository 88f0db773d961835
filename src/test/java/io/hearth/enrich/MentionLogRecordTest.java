package io.hearth.enrich;

import java.time.Instant;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link MentionLog#record}: insert-once in one statement, every column as given, over-long values still refused. */
class MentionLogRecordTest {

    private static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");

    JdbcTemplate jdbc;
    MentionLog log;

    @BeforeEach
    void setUp() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:mention-log-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(ds);
        log = new MentionLog(jdbc);
    }

    private static MentionLog.Entry entry(String id, String channel, String contact) {
        return new MentionLog.Entry(id, channel, "k".repeat(64), contact, contact != null, "post", AT, AT.plusSeconds(5),
                0.5, "praise", 42, 1000L, 7L, List.of("#coffee", "espresso"), "conv-1", "jane", "Loving it",
                "{\"id\":\"" + id + "\"}");
    }

    @Test
    void recordsOnceWithEveryColumnAndTheJudgedMark() {
        assertThat(log.record(entry("x:1", "x", "003000000000001"), AT.plusSeconds(6))).isTrue();
        assertThat(log.record(entry("x:1", "x", null), null)).as("a second record of the same id").isFalse();
        assertThat(log.record(entry("x:2", "x", null))).isTrue();
        assertThat(log.size()).isEqualTo(2);
        var row = jdbc.queryForMap("SELECT * FROM hearth_mention_log WHERE mention_id = 'x:1'");
        assertThat(row.get("CONTACT_ID")).isEqualTo("003000000000001");
        assertThat(row.get("CONSENT")).isEqualTo(true);
        assertThat(row.get("INTERESTS")).isEqualTo("#coffee espresso");
        assertThat(row.get("SENTIMENT")).isEqualTo(0.5);
        assertThat(row.get("INFLUENCE")).isEqualTo(42);
        assertThat(row.get("FOLLOWERS")).isEqualTo(1000L);
        assertThat(row.get("MENTION_JSON")).isEqualTo("{\"id\":\"x:1\"}");
        assertThat(((java.sql.Timestamp) row.get("CREATED_AT")).toInstant()).isEqualTo(AT);
        assertThat(log.judged("x:1")).isTrue();
        assertThat(log.judged("x:2")).isFalse();
        var unknown = jdbc.queryForMap("SELECT contact_id, consent, judged_at FROM hearth_mention_log WHERE mention_id = 'x:2'");
        assertThat(unknown.get("CONTACT_ID")).isNull();
        assertThat(unknown.get("CONSENT")).isEqualTo(false);
        assertThat(unknown.get("JUDGED_AT")).isNull();
    }

    @Test
    void anOverLongValueIsStillRefusedByItsColumn() {
        assertThatThrownBy(() -> log.record(entry("x:3", "c".repeat(33), null))).isInstanceOf(DataAccessException.class);
        assertThat(log.exists("x:3")).isFalse();
    }
}
