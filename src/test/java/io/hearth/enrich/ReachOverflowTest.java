package io.hearth.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import io.hearth.state.StateDatabases;
import io.hearth.state.TestStateDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 18 item 11: reach (followers × (1 + engagement)) summed in BIGINT overflowed: an SQL error for the whole
 * statistics query (on PostgreSQL one that aborts the batch's transaction) once a contact's posts had enough reach. It
 * saturates at {@link Long#MAX_VALUE}.
 */
class ReachOverflowTest {

    @RegisterExtension
    final StateDatabases databases = new StateDatabases();
    TestStateDatabase db;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void reachSumsSaturateInsteadOfOverflowing(String kind) {
        db = databases.open(kind);
        MentionLog log = new MentionLog(db.jdbc());
        Instant at = Instant.parse("2026-11-20T10:00:00Z");
        for (int i = 0; i < 3; i++) {
            log.record(new MentionLog.Entry("x:" + i, "x", "a".repeat(64), "003000000000001AAA", true, "post", at, at, 0.5,
                    null, 10, Long.MAX_VALUE / 4, 3L, List.of(), null, null, null));
        }
        assertThat(log.stats("003000000000001AAA", at.minusSeconds(60)).reach()).isEqualTo(Long.MAX_VALUE);
        assertThat(log.stats("003000000000001AAA", at.minusSeconds(60)).mentions()).isEqualTo(3);
    }
}
