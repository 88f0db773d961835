package io.hearth.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.hearth.state.StateDatabase.Kind;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The dedup ledger ({@link JdbcMentionIdempotentRepository}) and its Flyway migrations, on the
 * embedded H2 file database and on PostgreSQL (skipped when none answers on 127.0.0.1:5432).
 */
class JdbcMentionIdempotentRepositoryTest {

    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    private static final String KEY = "x:1862101154425213000";

    private static CamelContext camel;

    @TempDir
    Path tempDir;
    @TempDir
    static Path sharedDir;

    private final List<StateDatabase> opened = new ArrayList<>();
    /**
     * One migrated database per kind for the tests of the ledger's behaviour, emptied before each of them: a fresh,
     * migrated database per test ran Flyway (every migration) 14 more times. The tests of migrations, of a restart and
     * of the file's location still open their own ({@link #database}).
     */
    private static final Map<Kind, StateDatabase> SHARED = new EnumMap<>(Kind.class);

    @BeforeAll
    static void startCamel() {
        camel = new DefaultCamelContext();
    }

    @AfterAll
    static void stopCamel() throws Exception {
        camel.close();
        SHARED.values().forEach(StateDatabase::close);
        SHARED.clear();
    }

    @AfterEach
    void dropDatabases() {
        opened.forEach(StateDatabase::close);
    }

    /** A fresh database of its own, migrated (for tests of the migrations and of reopening). */
    private StateDatabase database(Kind kind) {
        StateDatabase db = StateDatabase.create(kind, tempDir);
        opened.add(db);
        return db;
    }

    /** The class's migrated database of that kind, with an empty ledger (what a fresh one holds). */
    private static StateDatabase emptyLedger(Kind kind) {
        StateDatabase db = SHARED.computeIfAbsent(kind, k -> StateDatabase.create(k, sharedDir.resolve(k.toString())));
        db.jdbc.update("DELETE FROM hearth_processed_mention");
        return db;
    }

    private static JdbcMentionIdempotentRepository repository(StateDatabase db) {
        return new JdbcMentionIdempotentRepository(db.jdbc, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private static Exchange from(String sourceRef) {
        Exchange exchange = new DefaultExchange(camel);
        exchange.getMessage().setHeader(JdbcMentionIdempotentRepository.SOURCE_REF_HEADER, sourceRef);
        return exchange;
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void migrationsCreateTheLedgerAndRunOnlyOnce(Kind kind) {
        StateDatabase db = database(kind);

        assertThat(db.migration.success).isTrue();
        assertThat(db.migration.migrationsExecuted).isGreaterThanOrEqualTo(1);
        assertThat(db.flyway().info().pending()).isEmpty();
        assertThat(db.jdbc.queryForObject("SELECT COUNT(*) FROM hearth_processed_mention", Integer.class)).isZero();
        if (kind == Kind.H2) {
            assertThat(tempDir.resolve("state").resolve("hearth.mv.db")).exists();
        } else {
            assertThat(db.jdbc.queryForObject(
                    "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = 'hearth_processed_mention'",
                    Integer.class, db.schema)).isEqualTo(1);
        }

        db.disconnect();
        StateDatabase again = db.reopen();
        opened.add(again);
        assertThat(again.migration.migrationsExecuted).isZero();
        assertThat(again.flyway().validateWithResult().validationSuccessful).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void aNewKeyIsAddedAndRecordedWithItsSource(Kind kind) {
        StateDatabase db = emptyLedger(kind);
        var repo = repository(db);

        assertThat(repo.contains(KEY)).isFalse();
        assertThat(repo.add(from("ID:a#0"), KEY)).isTrue();

        assertThat(repo.contains(KEY)).isTrue();
        assertThat(repo.size()).isEqualTo(1);
        assertThat(db.jdbc.queryForObject("SELECT source_ref FROM hearth_processed_mention WHERE mention_id = ?",
                String.class, KEY)).isEqualTo("ID:a#0");
        assertThat(db.jdbc.queryForObject("SELECT first_seen_at FROM hearth_processed_mention WHERE mention_id = ?",
                Timestamp.class, KEY).toInstant()).isEqualTo(NOW);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void theSameKeyFromAnotherSourceIsADuplicate(Kind kind) {
        var repo = repository(emptyLedger(kind));

        assertThat(repo.add(from("ID:a#0"), KEY)).isTrue();
        assertThat(repo.add(from("ID:b#3"), KEY)).as("overlapping poll / replay").isFalse();
        assertThat(repo.add(KEY)).as("no source ref at all").isFalse();
        assertThat(repo.add(new DefaultExchange(camel), KEY)).as("exchange without a source ref header").isFalse();
        assertThat(repo.size()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void theSameKeyFromTheSameSourceIsARedeliveryNotADuplicate(Kind kind) {
        var repo = repository(emptyLedger(kind));

        assertThat(repo.add(from("ID:a#7"), KEY)).isTrue();
        // The hub died after the key was committed but before the JMS batch was: the broker
        // redelivers the same inbound message, which must pass again.
        assertThat(repo.add(from("ID:a#7"), KEY)).isTrue();
        assertThat(repo.add(from("ID:a#8"), KEY)).as("same message, another position").isFalse();
        assertThat(repo.size()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void removeForgetsAKeySoItCanBeAddedAgain(Kind kind) {
        var repo = repository(emptyLedger(kind));
        repo.add(from("ID:a#0"), KEY);
        repo.add(from("ID:a#1"), "x:2");

        assertThat(repo.remove(KEY)).isTrue();
        assertThat(repo.contains(KEY)).isFalse();
        assertThat(repo.contains("x:2")).isTrue();
        assertThat(repo.remove(KEY)).as("already gone").isFalse();
        assertThat(repo.remove("x:never")).isFalse();
        assertThat(repo.add(from("ID:b#0"), KEY)).as("after removeOnFailure, another source may add it").isTrue();
        assertThat(repo.confirm(KEY)).isTrue();

        repo.clear();
        assertThat(repo.size()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void containsIsExactNotAPrefixOrCaseInsensitiveMatch(Kind kind) {
        var repo = repository(emptyLedger(kind));
        repo.add(from("ID:a#0"), "bluesky:at://did:plc:3ixxligsafp4u6ghljcoetnm/app.bsky.feed.post/3lc6isqcp6u2y");

        assertThat(repo.contains("bluesky:at://did:plc:3ixxligsafp4u6ghljcoetnm/app.bsky.feed.post/3lc6isqcp6u2y")).isTrue();
        assertThat(repo.contains("bluesky:at://did:plc:3ixxligsafp4u6ghljcoetnm/app.bsky.feed.post/3LC6ISQCP6U2Y")).isFalse();
        assertThat(repo.contains("bluesky:at://did:plc:3ixxligsafp4u6ghljcoetnm")).isFalse();
        assertThat(repo.contains("x:%")).isFalse();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void concurrentAddsOfTheSameKeyLetExactlyOneThrough(Kind kind) throws Exception {
        StateDatabase db = emptyLedger(kind);
        var repo = repository(db);
        int threads = 8;
        for (int round = 0; round < 5; round++) {
            String key = "mastodon:10327011582604897" + round;
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    String sourceRef = "ID:poll-" + t + "#0";
                    Callable<Boolean> add = () -> {
                        ready.countDown();
                        go.await();
                        return repo.add(from(sourceRef), key);
                    };
                    results.add(pool.submit(add));
                }
                assertThat(ready.await(10, TimeUnit.SECONDS)).isTrue();
                go.countDown();
                int passed = 0;
                for (Future<Boolean> result : results) {
                    if (result.get(30, TimeUnit.SECONDS)) {
                        passed++;
                    }
                }
                assertThat(passed).as("adds of %s that passed (round %d)", key, round).isEqualTo(1);
            } finally {
                pool.shutdownNow();
            }
            assertThat(db.jdbc.queryForObject("SELECT COUNT(*) FROM hearth_processed_mention WHERE mention_id = ?",
                    Integer.class, key)).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void keysSurviveARestartOnTheSameDatabase(Kind kind) {
        StateDatabase db = database(kind);
        repository(db).add(from("ID:a#0"), KEY);
        db.disconnect();

        StateDatabase restarted = db.reopen();
        opened.add(restarted);
        var repo = repository(restarted);
        assertThat(repo.contains(KEY)).isTrue();
        assertThat(repo.add(from("ID:b#0"), KEY)).isFalse();
        assertThat(repo.add(from("ID:a#0"), KEY)).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Kind.class)
    void longestIdsTheLedgerHoldsAreAccepted(Kind kind) {
        var repo = repository(emptyLedger(kind));
        String longKey = "reddit:" + "t1_abc".repeat(85).substring(0, 505);
        assertThat(longKey).hasSize(512);
        String longRef = "ID:" + "f".repeat(240) + "#12345";

        assertThat(repo.add(from(longRef), longKey)).isTrue();
        assertThat(repo.add(from(longRef), longKey)).isTrue();
        assertThat(repo.contains(longKey)).isTrue();
    }

    @org.junit.jupiter.api.Test
    void h2DatabaseLivesWhereTheHubPutsIt() throws Exception {
        try (StateDatabase db = StateDatabase.create(Kind.H2, tempDir)) {
            assertThat(db.url).startsWith("jdbc:h2:file:/").endsWith("/state/hearth;WRITE_DELAY=0");
        }
        assertThat(Files.list(tempDir.resolve("state"))).anyMatch(p -> p.getFileName().toString().equals("hearth.mv.db"));
    }
}
