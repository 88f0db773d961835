package io.hearth.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.hearth.crm.CrmCommand;
import io.hearth.crm.CrmMapping;
import io.hearth.enrich.JudgedMention;
import io.hearth.enrich.MentionLog;
import io.hearth.identity.ContactDirectory;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionKind;
import io.hearth.scoring.MentionScorer;
import io.hearth.state.StateDatabases;
import io.hearth.state.TestStateDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;

/**
 * Issue 18 item 4, the caps: message groups are per author, so two handles of one contact (x:@anna and x:@anna_shop)
 * can be judged by two consumers at once, each in its open batch transaction. Both read the contact's points of the
 * day before the other committed, and together they granted 60 points against a cap of 50. The contact's caps lock
 * (V30) makes the second wait for the first transaction and then read its grant: 30 + 20.
 */
class CapRaceTest {

    static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
    static final String CONTACT = "003000000000001AAA";
    static final String RULES = """
            rewards:
              - key: fun
                action: hashtag
                hashtags: [fun]
                points: 30
                cap: { per-day: 50 }
            """;

    @RegisterExtension
    final StateDatabases databases = new StateDatabases();
    TestStateDatabase db;

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"postgresql", "h2"})
    void twoHandlesOfOneContactOnTwoConsumersStayWithinTheCap(String kind) throws Exception {
        db = databases.open(kind);
        Rules rules = new RulesLoader().parse("rules.yml", RULES);
        try (Connection a = db.dataSource().getConnection(); Connection b = db.dataSource().getConnection()) {
            a.setAutoCommit(false);
            b.setAutoCommit(false);
            long sessionOfA = session(a);
            List<CrmCommand> first = judge(rules, a, "anna", "1");   // consumer A: 30 points, not committed
            java.util.concurrent.atomic.AtomicReference<Thread> consumerB = new java.util.concurrent.atomic.AtomicReference<>();
            CompletableFuture<List<CrmCommand>> second = CompletableFuture.supplyAsync(() -> {
                consumerB.set(Thread.currentThread());
                try {
                    List<CrmCommand> out = judge(rules, b, "anna_shop", "2");   // consumer B, the same contact's other handle
                    b.commit();
                    return out;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            // B runs while A's transaction is open: A commits once B waits for A's caps lock (PostgreSQL names A as B's
            // blocker; H2 retries B's write of the lock row until A ends, so B's thread is seen inside it), or, were
            // there no lock, once B is done
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(10))
                    .until(() -> second.isDone() || (db.isPostgres() ? waitsOn(sessionOfA) : lockingInH2(consumerB.get())));
            a.commit();
            second.get(20, TimeUnit.SECONDS);
            assertThat(first).anyMatch(c -> "Social_Reward__c".equals(c.object()));
        }
        assertThat(db.jdbc().queryForObject("SELECT SUM(points) FROM hearth_reward_ledger WHERE contact_id = ? AND rule_key = 'fun'",
                Long.class, CONTACT)).as("points of the day for the contact, cap 50").isEqualTo(50L);
    }

    /** The database session of a connection: PostgreSQL's backend pid, H2's session id. */
    private long session(Connection c) throws java.sql.SQLException {
        try (var rs = c.createStatement().executeQuery(db.isPostgres() ? "SELECT pg_backend_pid()" : "SELECT SESSION_ID()")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Whether another PostgreSQL session waits on a lock the given session (backend pid) holds. */
    private boolean waitsOn(long session) {
        Integer waiting = db.jdbc().queryForObject(
                "SELECT COUNT(*) FROM pg_stat_activity WHERE CAST(? AS integer) = ANY(pg_blocking_pids(pid))", Integer.class, session);
        return waiting != null && waiting > 0;
    }

    /** Whether the thread is inside H2 taking the contact's caps lock (H2 shows no blocker for this wait). */
    private static boolean lockingInH2(Thread thread) {
        if (thread == null) {
            return false;
        }
        boolean inH2 = false;
        for (StackTraceElement frame : thread.getStackTrace()) {
            inH2 |= frame.getClassName().startsWith("org.h2.");
            if (inH2 && frame.getClassName().equals("io.hearth.rules.RulesStore") && frame.getMethodName().equals("lockContactCaps")) {
                return true;
            }
        }
        return false;
    }

    private static List<CrmCommand> judge(Rules rules, Connection c, String handle, String id) {
        JdbcTemplate t = new JdbcTemplate(new SingleConnectionDataSource(c, true));
        RulesStore store = new RulesStore(t, () -> t);
        RulesJudge judge = new RulesJudge(() -> rules, store, new MentionLog(t), new CrmMapping());
        Mention m = Mention.v1("x", id).id("x:" + id).kind(MentionKind.POST).text("a #fun day").lang("en")
                .createdAt(NOW).author(new Mention.Author(handle, null, null, 10L, false, null))
                .hashtags(List.of("fun")).mentions(List.of()).links(List.of()).build();
        ContactDirectory.Entry who = new ContactDirectory.Entry("i" + id, "x", handle, handle, "x:" + handle, CONTACT,
                true, true, NOW);
        return judge.judge(new JudgedMention(m, MentionScorer.defaults().score(m), who, true, NOW));
    }
}
