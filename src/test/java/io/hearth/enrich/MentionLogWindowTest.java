package io.hearth.enrich;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import io.hearth.state.StateDatabases;
import io.hearth.state.TestStateDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Within a mention's work the log reads a contact's rows once and computes the window statistics and top interests
 * from them (issue 14): the figures must be exactly what the SQL computes, on both state databases, for any window.
 */
class MentionLogWindowTest {

    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final String A = "003000000000001AAA";
    private static final String B = "003000000000002AAA";

    @RegisterExtension
    final StateDatabases databases = new StateDatabases();
    TestStateDatabase db;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void figuresFromTheRowsEqualTheSql(String kind) {
        db = databases.open(kind);
        MentionLog log = new MentionLog(db.jdbc());
        Random random = new Random(14);
        List<String> keys = List.of("#coffee", "#tea", "espresso", "service", "#hearth", "beans");
        for (int i = 0; i < 400; i++) {
            Instant at = NOW.minus(Duration.ofMinutes(random.nextInt(130 * 24 * 60)));
            if (i % 50 == 0) {
                at = NOW.minus(Duration.ofDays(30));   // exactly on a window's edge
            }
            List<String> interests = new ArrayList<>();
            for (int k = random.nextInt(4); k > 0; k--) {
                interests.add(keys.get(random.nextInt(keys.size())));
            }
            Double sentiment = random.nextInt(5) == 0 ? null : Math.round((random.nextDouble() * 2 - 1) * 1000) / 1000.0;
            if (i % 37 == 0) {
                sentiment = 0.25;   // the positive threshold itself
            }
            Long followers = random.nextInt(6) == 0 ? null : i % 97 == 0 ? Long.MAX_VALUE / 3 : (long) random.nextInt(100_000);
            log.record(new MentionLog.Entry("x:" + i, "x", "a".repeat(64), i % 3 == 0 ? B : A, true, "post", at, NOW,
                    sentiment, null, random.nextInt(4) == 0 ? null : random.nextInt(100), followers,
                    random.nextInt(5) == 0 ? null : (long) random.nextInt(50), interests, null, null, null));
        }
        for (String contact : List.of(A, B, "003000000000009AAA")) {
            for (int days : new int[] {120, 90, 60, 30, 7, 1, 0}) {
                Instant since = NOW.minus(Duration.ofDays(days));
                MentionLog.WindowStats sql = log.stats(contact, since);
                List<String> sqlInterests = log.topInterests(contact, since, 3);
                // in a mention: the widest window first reads the rows, the others come from them
                MentionLog.WindowStats rows = log.inMention(() -> {
                    log.stats(contact, NOW.minus(Duration.ofDays(130)));
                    return log.stats(contact, since);
                });
                List<String> rowsInterests = log.inMention(() -> {
                    log.stats(contact, NOW.minus(Duration.ofDays(130)));
                    return log.topInterests(contact, since, 3);
                });
                assertThat(rows.mentions()).as("%s %d days", contact, days).isEqualTo(sql.mentions());
                assertThat(rows.positive()).isEqualTo(sql.positive());
                assertThat(rows.negative()).isEqualTo(sql.negative());
                assertThat(rows.maxInfluence()).isEqualTo(sql.maxInfluence());
                assertThat(rows.reach()).isEqualTo(sql.reach());
                assertThat(rows.lastMentionAt()).isEqualTo(sql.lastMentionAt());
                if (sql.averageSentiment() == null) {
                    assertThat(rows.averageSentiment()).isNull();
                } else {
                    assertThat(rows.averageSentiment()).isCloseTo(sql.averageSentiment(), within(1e-12));
                }
                assertThat(rowsInterests).isEqualTo(sqlInterests);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"h2", "postgresql"})
    void aRowWrittenInTheMentionIsCounted(String kind) {
        db = databases.open(kind);
        MentionLog log = new MentionLog(db.jdbc());
        Instant at = NOW.minus(Duration.ofDays(2));
        log.record(entry("x:1", at));
        long[] counts = log.inMention(() -> {
            long before = log.stats(A, NOW.minus(Duration.ofDays(90))).mentions();
            log.record(entry("x:2", at));
            long after = log.stats(A, NOW.minus(Duration.ofDays(30))).mentions();
            log.attribute("x:3", A);   // no such row: changes nothing, still forgets what was read
            return new long[] {before, after, log.stats(A, NOW.minus(Duration.ofDays(90))).mentions()};
        });
        assertThat(counts).containsExactly(1, 2, 2);
    }

    private static MentionLog.Entry entry(String id, Instant at) {
        return new MentionLog.Entry(id, "x", "a".repeat(64), A, true, "post", at, NOW, 0.5, null, 10, 100L, 1L,
                List.of("#coffee"), null, null, null);
    }
}
