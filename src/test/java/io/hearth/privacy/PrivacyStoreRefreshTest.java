package io.hearth.privacy;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.hearth.support.MutableClock;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Issue 18 item 11: the block lists were re-read in full every 2 s, the deleted-post table with them, and that table
 * was never purged. Now a refresh reads only the rows stamped since the newest one seen (minus the overlap), writes of
 * this hub are in memory at once, and processed deleted posts leave with the retention window.
 */
class PrivacyStoreRefreshTest {

    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    JdbcTemplate jdbc;
    PrivacyStore store;
    /** The wall time the list refreshes go by, moved past the refresh interval by hand. */
    MutableClock wall = new MutableClock();

    @BeforeEach
    void setUp() {
        DriverManagerDataSource ds = new DriverManagerDataSource("jdbc:h2:mem:privacy-refresh-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa", "");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(ds);
        store = new PrivacyStore(jdbc, Clock.fixed(T0.plus(Duration.ofDays(60)), ZoneOffset.UTC), wall);
    }

    /** A row another hub wrote. */
    void otherHubDeleted(String mentionId, Instant at) {
        jdbc.update("INSERT INTO hearth_deleted_post (mention_id, deleted_at, requested_by, attempts) VALUES (?, ?, 'api', 0)",
                mentionId, Timestamp.from(at));
    }

    @Test
    void aRefreshReadsOnlyTheRowsAddedSinceTheNewestItHasSeen() {
        List<Object[]> rows = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            rows.add(new Object[] {"x:old-" + i, Timestamp.from(T0.minus(Duration.ofMinutes(i)))});
        }
        jdbc.batchUpdate("INSERT INTO hearth_deleted_post (mention_id, deleted_at, requested_by, attempts) VALUES (?, ?, 'api', 0)", rows);

        assertThat(store.isDeletedPost("x:old-4999")).isTrue();
        assertThat(store.listRowsRead()).as("the first read is a full one").isEqualTo(5_000);

        otherHubDeleted("x:new-1", T0.plus(Duration.ofHours(1)));
        assertThat(store.isDeletedPost("x:new-1")).as("other hubs' rows show after the refresh interval").isFalse();
        wall.advance(PrivacyStore.REFRESH.plusMillis(200));
        assertThat(store.isDeletedPost("x:new-1")).isTrue();
        // the new row, and the 3 old rows within the 2-minute overlap of the newest one seen before (T0)
        assertThat(store.listRowsRead() - 5_000).as("rows read by the refresh").isEqualTo(4);

        wall.advance(PrivacyStore.REFRESH.plusMillis(200));
        assertThat(store.isDeletedPost("x:old-0")).isTrue();
        assertThat(store.listRowsRead() - 5_000).as("the next refresh reads only the overlap of the newest row").isEqualTo(5);
    }

    @Test
    void thisHubsWritesCountAtOnceAndAnEraseForcesARefresh() {
        assertThat(store.isDeletedPost("x:1")).isFalse();
        store.deletePost("x:1", "api");
        assertThat(store.isDeletedPost("x:1")).isTrue();
        store.suppressAuthors(List.of("author-a"));
        assertThat(store.isSuppressedAuthor("author-a")).isTrue();

        // another hub suppresses an author; erasing mention-log rows makes the next read refresh at once
        jdbc.update("INSERT INTO hearth_suppressed_author (author_key, suppressed_at) VALUES ('author-b', ?)",
                Timestamp.from(T0.plus(Duration.ofDays(60))));
        assertThat(store.isSuppressedAuthor("author-b")).isFalse();
        store.forgetLateRows(List.of("author-b"), List.of("x:none"));
        assertThat(store.isSuppressedAuthor("author-b")).isTrue();
    }

    @Test
    void processedDeletedPostsLeaveWithTheRetentionWindowOpenOnesStay() {
        otherHubDeleted("x:done-old", T0);
        otherHubDeleted("x:done-new", T0);
        otherHubDeleted("x:open", T0);
        jdbc.update("UPDATE hearth_deleted_post SET processed_at = ? WHERE mention_id = 'x:done-old'", Timestamp.from(T0));
        jdbc.update("UPDATE hearth_deleted_post SET processed_at = ? WHERE mention_id = 'x:done-new'",
                Timestamp.from(T0.plus(Duration.ofDays(45))));

        assertThat(store.purgeDeletedPosts(T0.plus(Duration.ofDays(30)))).isEqualTo(1);
        assertThat(jdbc.queryForList("SELECT mention_id FROM hearth_deleted_post ORDER BY mention_id", String.class))
                .containsExactly("x:done-new", "x:open");
    }
}
