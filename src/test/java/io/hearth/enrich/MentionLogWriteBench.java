package io.hearth.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.hearth.identity.AuthorKeys;
import io.hearth.state.TestStateDatabase;
import io.hearth.support.BenchReport;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What each index of the mention log costs the enrich stage (issue 14 item 2): mention-log rows written as the enrich
 * stage writes them ({@link MentionLog#record}, insert-once, a commit every 100 rows), by authors who are not contacts,
 * on the production H2 file database ({@code WRITE_DELAY=0}: every commit writes its pages) and on PostgreSQL, once with
 * the schema as shipped and once without each secondary index. Printed per row: the writing thread's CPU, wall-clock,
 * the commit's share, and what reached the disk (H2: bytes this JVM wrote; PostgreSQL: WAL bytes).
 * <p>
 * Why it exists: the hub's profile puts the mention-log insert and the batch commit at ~40 % of the enrich stage.
 * On H2 (MVStore) a commit rewrites every page the batch touched; an index whose keys arrive in random order (the author
 * key is a SHA-256) dirties one leaf page per row, so it costs more than the row itself.
 * <p>
 * {@code ./mvnw -o -B -Pbench test -Dtest=MentionLogWriteBench} (knob {@code bench.log-rows}, 100000 per variant; the
 * second half is measured, on a table already holding the first).
 */
@Tag("bench")
class MentionLogWriteBench {

    private static final int ROWS = Integer.getInteger("bench.log-rows", 100_000);
    private static final int BATCH = 100;
    private static final String TEXT = "Loving the new espresso machine from @hearthcoffee, the crema is perfect every"
            + " morning #coffee #%d";
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    /** The variants: a name and the secondary indexes dropped after the migrations. */
    private static final List<List<String>> VARIANTS = List.of(
            List.of("as shipped"),
            List.of("without the author index", "hearth_mention_log_author"),
            List.of("without the contact index", "hearth_mention_log_contact"),
            List.of("without the processed index", "hearth_mention_log_processed"),
            List.of("without all three", "hearth_mention_log_author", "hearth_mention_log_contact",
                    "hearth_mention_log_processed"));

    @TempDir
    Path tempDir;

    @Test
    void whatEachIndexCosts() throws Exception {
        BenchReport report = BenchReport.section("Mention log: what each index costs (issue 14 item 2, MentionLogWriteBench)");
        report.line("%d rows per variant by unknown authors (5000 handles), insert-once, a commit every %d; the second half measured",
                ROWS, BATCH);
        report.line("%-8s %-28s %12s %12s %14s %14s", "db", "variant", "CPU us/row", "wall us/row", "commit us/row",
                "written/row");
        // the first variant must not pay for the JIT: one unreported run first
        List<List<String>> h2Runs = new ArrayList<>();
        h2Runs.add(List.of("(warm-up, not reported)"));
        h2Runs.addAll(VARIANTS);
        for (List<String> variant : h2Runs) {
            Path dir = Files.createTempDirectory(tempDir, "h2-");
            HikariDataSource h2 = new HikariDataSource();
            // the production URL (StateDatabaseConfiguration)
            h2.setJdbcUrl("jdbc:h2:file:" + dir.resolve("hearth").toAbsolutePath() + ";WRITE_DELAY=0"
                    + System.getProperty("bench.h2-options", ""));   // e.g. ";PAGE_SIZE=1024" to try a setting
            h2.setUsername("sa");
            h2.setPassword("");
            try {
                Flyway.configure().dataSource(h2).locations("classpath:db/migration").load().migrate();
                String figures = run("H2", variant, h2, null);
                if (variant != h2Runs.get(0)) {
                    report.line("%s", figures);
                }
            } finally {
                h2.close();
            }
        }
        for (List<String> variant : VARIANTS) {
            TestStateDatabase pg;
            try {
                pg = TestStateDatabase.postgres();
            } catch (org.opentest4j.TestAbortedException none) {
                report.line("PostgreSQL: none answers at 127.0.0.1:5432, not run");
                break;
            }
            try {
                report.line("%s", run("PG", variant, pg.dataSource(), pg.jdbc()));
            } finally {
                pg.close();
            }
        }
        report.end();
    }

    private static String run(String db, List<String> variant, DataSource ds, JdbcTemplate pgWal) throws Exception {
        JdbcTemplate jdbc = new JdbcTemplate(ds);
        for (String index : variant.subList(1, variant.size())) {
            jdbc.execute("DROP INDEX " + index);
        }
        MentionLog log = new MentionLog(jdbc);
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        Instant now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        long cpu0 = 0;
        long wall0 = 0;
        long written0 = 0;
        long commitNanos = 0;
        int half = ROWS / 2;
        for (int start = 0; start < ROWS; start += BATCH) {
            if (start == half) {
                cpu0 = THREADS.getCurrentThreadCpuTime();
                wall0 = System.nanoTime();
                written0 = written(pgWal);
                commitNanos = 0;
            }
            int from = start;
            long[] committing = new long[1];
            tx.executeWithoutResult(status -> {
                for (int i = from; i < Math.min(ROWS, from + BATCH); i++) {
                    boolean recorded = log.record(entry(i, now));
                    if (!recorded) {
                        throw new IllegalStateException("row " + i + " not recorded");
                    }
                }
                committing[0] = System.nanoTime();
            });
            commitNanos += System.nanoTime() - committing[0];
        }
        double measured = ROWS - half;
        long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
        long wall = System.nanoTime() - wall0;
        long written = written(pgWal) - written0;
        assertThat(log.size()).isEqualTo(ROWS);
        return String.format(Locale.ROOT, "%-8s %-28s %12.1f %12.1f %14.1f %11.2f KB %s", db, variant.get(0),
                cpu / 1e3 / measured, wall / 1e3 / measured, commitNanos / 1e3 / measured, written / 1024.0 / measured,
                pgWal == null ? "(JVM writes)" : "(WAL; server CPU not counted)");
    }

    /** A row as the enrich stage writes it for an unknown author's post of the last hour (dates relative to {@code now}). */
    private static MentionLog.Entry entry(int i, Instant now) {
        Instant posted = now.minusSeconds(3600 - i % 3600);
        String handle = "user" + (i % 5000);
        String text = String.format(Locale.ROOT, TEXT, i % 1000);
        String json = "{\"channel\":\"bench\",\"nativeId\":\"p-" + i + "\",\"kind\":\"post\",\"text\":\"" + text
                + "\",\"lang\":\"en\",\"createdAt\":\"" + posted + "\",\"author\":{\"handle\":\"" + handle
                + "\",\"followers\":" + (i % 5000) + "},\"engagement\":{\"likes\":" + (i % 97) + ",\"reposts\":" + (i % 13)
                + "},\"hashtags\":[\"coffee\"]}";
        List<String> interests = new ArrayList<>(List.of("#coffee", "#" + (i % 1000)));
        return new MentionLog.Entry(String.format(Locale.ROOT, "bench:p-%07d", i), "bench", AuthorKeys.of("bench", handle),
                null, false, "post", posted, now, 0.6, "praise", 3,
                (long) (i % 5000), (long) (i % 97 + i % 13), interests, null, handle, text, json);
    }

    /** H2: bytes this JVM has written (/proc/self/io); PostgreSQL: the server's WAL position. */
    private static long written(JdbcTemplate pg) throws Exception {
        if (pg != null) {
            Long lsn = pg.queryForObject("SELECT pg_current_wal_lsn() - '0/0'::pg_lsn", Long.class);
            return lsn == null ? 0 : lsn;
        }
        for (String line : Files.readAllLines(Path.of("/proc/self/io"))) {
            if (line.startsWith("wchar:")) {
                return Long.parseLong(line.substring(6).trim());
            }
        }
        return 0;
    }
}
