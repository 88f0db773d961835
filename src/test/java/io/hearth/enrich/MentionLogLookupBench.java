package io.hearth.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.zaxxer.hikari.HikariDataSource;
import io.hearth.identity.AuthorKeys;
import io.hearth.support.BenchReport;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the mention log's author index buys (issue 14 item 2, the other side of {@link MentionLogWriteBench}): on the
 * production H2 file database, a log of {@code bench.lookup-rows} rows (1,000,000) by unknown authors (a tenth as many
 * handles as rows), and the three statements that find an author's rows timed on it: a SELECT by author key, the
 * erasure's DELETE ({@code PrivacyJobs}) and the erasure sweep's semi-join over suppressed authors
 * ({@code PrivacyJobs.sweepLateRows}, run at every tick of job-erasure, 5 s). Three physical designs: the author index
 * as shipped; an index on 16 author buckets (the key's first hex digit) and the processed time, where new entries
 * land on 16 pages instead of one page each; no author index.
 * <p>
 * Why it exists: without the author index the hub ingests ~45 % more per CPU-second on H2 (docs/benchmark.md, sixth
 * session), and this is what the look-ups would pay for it.
 * <p>
 * {@code ./mvnw -o -B -Pbench test -Dtest=MentionLogLookupBench} (knob {@code bench.lookup-rows}).
 */
@Tag("bench")
class MentionLogLookupBench {

    private static final int ROWS = Integer.getInteger("bench.lookup-rows", 1_000_000);
    private static final String TEXT = "Loving the new espresso machine from @hearthcoffee, the crema is perfect every"
            + " morning #coffee #%d";

    /** A name, the SQL that sets the design up after the migrations, and the condition that finds an author's rows. */
    private record Design(String name, List<String> setUp, String byAuthor) {
    }

    private static final List<Design> DESIGNS = List.of(
            new Design("author index (as shipped)", List.of(), "author_key = ?"),
            new Design("16 author buckets + processed_at", List.of(
                    "DROP INDEX hearth_mention_log_author",
                    "ALTER TABLE hearth_mention_log ADD COLUMN author_bucket CHAR(1)"
                            + " GENERATED ALWAYS AS (SUBSTRING(author_key, 1, 1))",
                    "CREATE INDEX hearth_mention_log_author_bucket ON hearth_mention_log (author_bucket, processed_at)"),
                    "author_bucket = SUBSTRING(?, 1, 1) AND author_key = ?"),
            new Design("no author index", List.of("DROP INDEX hearth_mention_log_author"), "author_key = ?"));

    @TempDir
    Path tempDir;

    @Test
    void whatTheAuthorIndexBuys() throws Exception {
        BenchReport report = BenchReport.section("Mention log: what the author index buys (issue 14 item 2, MentionLogLookupBench)");
        report.line("H2 file database (WRITE_DELAY=0, migrated by Flyway), %d rows by %d unknown authors, ~1 KB each", ROWS, ROWS / 10);
        report.line("%-34s %16s %16s %22s", "design", "SELECT by author", "erasure DELETE", "sweep (every 5 s)");
        for (Design design : DESIGNS) {
            Path dir = Files.createTempDirectory(tempDir, "h2-");
            HikariDataSource h2 = new HikariDataSource();
            h2.setJdbcUrl("jdbc:h2:file:" + dir.resolve("hearth").toAbsolutePath() + ";WRITE_DELAY=0");   // as StateDatabaseConfiguration
            h2.setUsername("sa");
            h2.setPassword("");
            try (h2) {
                Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
                try (Connection c = h2.getConnection()) {
                    try (Statement s = c.createStatement()) {
                        for (String sql : design.setUp()) {
                            s.execute(sql);
                        }
                    }
                    fill(c);
                    report.line("%s", time(c, design));
                }
            }
        }
        report.end();
    }

    private static void fill(Connection c) throws Exception {
        c.setAutoCommit(false);
        Instant now = Instant.now();
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO hearth_mention_log (mention_id, channel, author_key,"
                + " consent, kind, created_at, processed_at, sentiment, intent, influence, followers, engagement, interests,"
                + " handle, text, mention_json) VALUES (?, 'bench', ?, FALSE, 'post', ?, ?, 0.6, 'praise', 3, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < ROWS; i++) {
                String handle = "user" + (i % (ROWS / 10));
                String text = String.format(Locale.ROOT, TEXT, i % 1000);
                Timestamp at = Timestamp.from(now.minusMillis(ROWS - i));
                insert.setString(1, String.format(Locale.ROOT, "bench:p-%09d", i));
                insert.setString(2, AuthorKeys.of("bench", handle));
                insert.setTimestamp(3, at);
                insert.setTimestamp(4, at);
                insert.setLong(5, i % 5000);
                insert.setLong(6, i % 97);
                insert.setString(7, "#coffee #" + (i % 1000));
                insert.setString(8, handle);
                insert.setString(9, text);
                insert.setString(10, "{\"channel\":\"bench\",\"nativeId\":\"p-" + i + "\",\"kind\":\"post\",\"text\":\"" + text
                        + "\",\"lang\":\"en\",\"createdAt\":\"" + at.toInstant() + "\",\"author\":{\"handle\":\"" + handle
                        + "\",\"followers\":" + (i % 5000) + "},\"hashtags\":[\"coffee\"]}");
                insert.addBatch();
                if (i % 1000 == 999) {
                    insert.executeBatch();
                    c.commit();
                }
            }
            insert.executeBatch();
            c.commit();
        }
    }

    private static String time(Connection c, Design design) throws Exception {
        String key = AuthorKeys.of("bench", "user12345");
        int parameters = design.byAuthor().split("\\?", -1).length - 1;
        List<Double> selects = new ArrayList<>();
        long found = 0;
        // three different authors: H2 answers a repeated query on an unchanged table from its result cache
        for (String handle : List.of("user23456", "user34567", "user45678")) {
            long t0 = System.nanoTime();
            try (PreparedStatement q = c.prepareStatement("SELECT COUNT(*) FROM hearth_mention_log WHERE " + design.byAuthor())) {
                for (int p = 1; p <= parameters; p++) {
                    q.setString(p, AuthorKeys.of("bench", handle));
                }
                try (ResultSet r = q.executeQuery()) {
                    r.next();
                    found = r.getLong(1);
                }
            }
            selects.add((System.nanoTime() - t0) / 1e6);
        }
        assertThat(found).as("the author's rows").isEqualTo(10);
        // the sweep's statement as PrivacyJobs.sweepLateRows has it, with one suppressed author
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO hearth_suppressed_author (author_key, suppressed_at) VALUES ('" + key + "', CURRENT_TIMESTAMP)");
        }
        c.commit();
        long t0 = System.nanoTime();
        try (Statement s = c.createStatement(); ResultSet r = s.executeQuery("SELECT COUNT(*) FROM hearth_mention_log WHERE author_key IN"
                + " (SELECT author_key FROM hearth_suppressed_author) AND (contact_id IS NOT NULL OR handle IS NOT NULL OR text IS NOT NULL)")) {
            r.next();
            assertThat(r.getLong(1)).isEqualTo(10);
        }
        double sweep = (System.nanoTime() - t0) / 1e6;
        t0 = System.nanoTime();
        try (PreparedStatement d = c.prepareStatement("DELETE FROM hearth_mention_log WHERE " + design.byAuthor())) {
            for (int p = 1; p <= parameters; p++) {
                d.setString(p, key);
            }
            assertThat(d.executeUpdate()).isEqualTo(10);
        }
        c.commit();
        double delete = (System.nanoTime() - t0) / 1e6;
        selects.sort(null);
        return String.format(Locale.ROOT, "%-34s %13.1f ms %13.1f ms %19.1f ms", design.name(), selects.get(1), delete, sweep);
    }
}
