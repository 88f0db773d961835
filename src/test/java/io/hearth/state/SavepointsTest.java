package io.hearth.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Savepoints by SQL behave as JDBC's on both state databases: undo to a name, nesting, one name used again and again. */
class SavepointsTest {

    @TempDir
    Path tempDir;

    @ParameterizedTest
    @EnumSource(StateDatabase.Kind.class)
    void rollbackUndoesOnlyTheWorkSinceTheNamedSavepoint(StateDatabase.Kind kind) throws Exception {
        try (StateDatabase db = StateDatabase.create(kind, tempDir); Connection c = db.dataSource.getConnection()) {
            c.setAutoCommit(false);
            insert(c, "kept-before");
            Savepoints.set(c, "hearth_mention_0");
            insert(c, "kept-outer");
            Savepoints.set(c, "hearth_mention_1");
            insert(c, "undone-inner");
            Savepoints.rollback(c, "hearth_mention_1");
            Savepoints.release(c, "hearth_mention_0");
            c.commit();
            assertThat(ids(c)).containsExactly("kept-before", "kept-outer");
        }
    }

    @ParameterizedTest
    @EnumSource(StateDatabase.Kind.class)
    void oneNameServesEveryMentionOfABatch(StateDatabase.Kind kind) throws Exception {
        try (StateDatabase db = StateDatabase.create(kind, tempDir); Connection c = db.dataSource.getConnection()) {
            c.setAutoCommit(false);
            // as the enrich stage does: a savepoint per mention, released when it succeeds, rolled back when it fails
            for (int i = 0; i < 300; i++) {
                Savepoints.set(c, "hearth_mention_0");
                insert(c, String.format("m-%03d", i));
                if (i % 3 == 2) {
                    Savepoints.rollback(c, "hearth_mention_0");
                } else {
                    Savepoints.release(c, "hearth_mention_0");
                }
            }
            c.commit();
            List<String> ids = ids(c);
            assertThat(ids).hasSize(200).contains("m-000", "m-001", "m-298").doesNotContain("m-002", "m-299");
        }
    }

    @ParameterizedTest
    @EnumSource(StateDatabase.Kind.class)
    void preparedOnceTheSameAsByText(StateDatabase.Kind kind) throws Exception {
        try (StateDatabase db = StateDatabase.create(kind, tempDir); Connection c = db.dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (Savepoints.Named mention = new Savepoints.Named(c, "hearth_mention_0");
                 Savepoints.Named nested = new Savepoints.Named(c, "hearth_mention_1")) {
                for (int i = 0; i < 100; i++) {
                    mention.set();
                    insert(c, String.format("m-%03d", i));
                    nested.set();
                    insert(c, String.format("n-%03d", i));
                    if (i % 2 == 0) {
                        nested.rollback();   // the inner work only
                    }
                    nested.release();
                    if (i % 5 == 4) {
                        mention.rollback();  // the whole mention
                    }
                    mention.release();
                }
            }
            c.commit();
            List<String> ids = ids(c);
            // kept: m-i unless i % 5 == 4; n-i when i is odd and i % 5 != 4
            assertThat(ids).hasSize(80 + 40).contains("m-000", "n-001", "m-003").doesNotContain("n-000", "m-004", "n-009");
        }
    }

    private static void insert(Connection c, String id) throws Exception {
        try (PreparedStatement ps = c.prepareStatement(
                "INSERT INTO hearth_processed_mention (mention_id, source_ref, first_seen_at) VALUES (?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, "test#0");
            ps.setTimestamp(3, Timestamp.from(Instant.parse("2026-12-06T00:00:00Z")));
            ps.executeUpdate();
        }
    }

    private static List<String> ids(Connection c) throws Exception {
        List<String> ids = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT mention_id FROM hearth_processed_mention ORDER BY mention_id");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }
}
