package io.hearth.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.sandbox.SalesforceSandbox;
import io.hearth.sandbox.SandboxSettings;
import io.hearth.support.ChildHub;
import io.hearth.support.ExternalArtemis;
import io.hearth.support.KnownAuthors;
import io.hearth.support.KnownAuthors.Outcome;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, the fault-injection suite ({@code ./mvnw -B -Pchaos verify}, docs/reliability.md). A real hub runs in a
 * child JVM (so it can be killed with SIGKILL) against a Salesforce-compatible sandbox that runs in this JVM, outside
 * the hub: the CRM's records and its per-object write counts ({@code recordWrites}) survive every crash of the hub, so
 * what reached the CRM is counted exactly, from the CRM, including the rules' rewards, cases and advocate flags.
 *
 * <p>Each scenario posts its own load of known, consenting authors (a fresh slice of the seeded contacts, so the
 * default rules judge every scenario's authors from the same empty history) through {@code /api/ingest/mention},
 * injects its fault through the sandbox's admin endpoint (or kills the hub), waits until the CRM holds everything and
 * every queue is empty, and writes one row. The fault-free first row gives the per-contact outcome of the load
 * shape (mentions, rewards, cases, advocate flags); every other row must reach exactly that per contact:
 * <ul>
 *   <li><b>lost</b>: expected records of each kind (mentions, rewards, cases, advocate flags) missing from the CRM;</li>
 *   <li><b>duplicated</b>: records of those kinds beyond the expected (a second record, a second advocate flag);</li>
 *   <li><b>rewrites</b>: writes of Social_Mention__c, Social_Reward__c and Case beyond the reference's writes per author
 *   (the sandbox counts a record written twice twice: an at-least-once rewrite of an upsert shows here even though it
 *   leaves no second record);</li>
 *   <li><b>recovered in</b>: from the end of the fault (or of the load, for faults that stay on) until the CRM holds
 *   everything and every queue is empty.</li>
 * </ul>
 * The table is printed and written to {@code target/chaos/results.md}; the test fails when a row is not lost 0 /
 * duplicated 0 / rewrites 0 (the random kill -9 row's rewrites are measured, not asserted; the aimed kill row asserts
 * them), when a dead-letter queue holds other than the row's expected refusals, or when recovery exceeds its bound. Knobs: {@code -Dchaos.fault-seconds=20}
 * (length of the 503 storm, the limit, the revoked login), {@code -Dchaos.kill-rounds=3}, {@code -Dchaos.seed},
 * {@code -Dchaos.aimed-kills=2} (the kill -9 aimed at the CRM writer's call-to-commit window, {@link #aimedKill}),
 * {@code -Dchaos.scenarios=db} (the state database down for {@code -Dchaos.db-down-seconds=30}: only when named, the hub
 * then runs on a private PostgreSQL cluster, {@link ChaosPostgres}), {@code -Dchaos.scenarios=broker} (the external broker
 * restarted after {@code -Dchaos.broker-down-seconds=30}: only when named, the hub then runs on {@link ExternalArtemis}).
 */
@Tag("chaos")
class FaultInjectionChaos {

    /** Contacts per scenario and mentions per contact: the load shape every row repeats. */
    static final int CONTACTS = 40;
    static final int PER_CONTACT = 4;
    static final int KILL_CONTACTS = 150;
    /** Slices of seeded contacts, one per row (takeSlice); 14 rows in `all` today (each burst is a row). */
    static final int SLICES = 16;
    static final int FAULT_SECONDS = Integer.getInteger("chaos.fault-seconds", 20);
    static final int KILL_ROUNDS = Integer.getInteger("chaos.kill-rounds", 3);
    static final Duration RECOVERY_BOUND = Duration.ofSeconds(Long.getLong("chaos.recovery-bound", 90));
    /** How long a (re)started hub may take to become ready: 90 s was not always enough on the shared, loaded machine. */
    static final Duration READY_TIMEOUT = Duration.ofSeconds(Long.getLong("chaos.ready-timeout", 180));
    /**
     * Which rows after the reference: {@code all} (default) or a comma list of 503, limit, login, token, latency, locks,
     * kill, aimed, bursts, dlq, refusal, db, broker ({@code db} and {@code broker} only when named) (e.g. {@code -Dchaos.scenarios=kill} for the reference and the kill -9 row only).
     */
    static final java.util.Set<String> SCENARIOS = java.util.Set.of(System.getProperty("chaos.scenarios", "all").split("\\s*,\\s*"));

    static boolean selected(String scenario) {
        return SCENARIOS.contains("all") || SCENARIOS.contains(scenario);
    }

    /**
     * The "state database down" row ({@code -Dchaos.scenarios=db}, only when named: it moves the whole run's hub from H2
     * to a private PostgreSQL cluster, {@link ChaosPostgres}), and how long the database stays down.
     */
    static final boolean ON_POSTGRES = SCENARIOS.contains("db");
    static final int DB_DOWN_SECONDS = Integer.getInteger("chaos.db-down-seconds", 30);
    /** The "broker restarted" row ({@code -Dchaos.scenarios=broker}, only when named: the whole run on an external Artemis). */
    static final boolean ON_EXTERNAL_BROKER = SCENARIOS.contains("broker");
    static final int BROKER_DOWN_SECONDS = Integer.getInteger("chaos.broker-down-seconds", 30);
    ExternalArtemis artemis;
    static final String[] STAGES = {"social.inbound", "social.mentions", "crm.outbound"};
    static final String[] DLQS = {"DLQ.social.inbound", "DLQ.social.mentions", "DLQ.crm.outbound"};
    static final String[] WRITTEN = {"Social_Mention__c", "Social_Reward__c", "Case"};

    final Random random = new Random(Long.getLong("chaos.seed", 18L));
    final List<Row> rows = new ArrayList<>();
    final List<String> problems = new ArrayList<>();
    final List<String> notes = new ArrayList<>();
    SandboxClient sf;
    ChildHub hub;
    int nextSlice;

    /**
     * The next row's own slice of the seeded contacts. Fails when the rows outnumber the seeded slices: a row beyond them
     * would post authors the CRM does not know, whose mentions never reach it (run 12 in docs/reliability.md: the 13th
     * and 14th rows, after the aimed kill row was added, counted all their load as lost).
     */
    int takeSlice() {
        assertThat(nextSlice).as("rows in this run vs seeded slices of contacts (SLICES)").isLessThan(SLICES);
        return nextSlice++;
    }
    /** Per contact, from the fault-free row: mentions, rewards, cases, advocate flags. */
    Outcome perContact;
    /** Per contact, from the fault-free row: the sandbox's record writes of each object. */
    Map<String, Long> writesPerContact;

    record Row(String scenario, String load, String faults, long accepted, Outcome inCrm, long lost, long duplicated,
               long rewrites, String dlq, String recovered) {
        String markdown() {
            return "| " + String.join(" | ", scenario, load, faults, String.valueOf(accepted), inCrm.toString(),
                    String.valueOf(lost), String.valueOf(duplicated), String.valueOf(rewrites), dlq, recovered) + " |";
        }
    }

    @Test
    @Timeout(value = 20, unit = TimeUnit.MINUTES) // one test for the whole table: longer than the default 10 min per test
    void faultInjectionSuite(@TempDir Path dir) throws Exception {
        long suiteStarted = System.nanoTime();
        Path seed = SandboxClient.writeSeedWithIdentities(dir.resolve("seed"), SLICES * KILL_CONTACTS, 0);
        try (SalesforceSandbox sandbox = new SalesforceSandbox(SandboxSettings.defaults(dir.resolve("sandbox"), Path.of("salesforce"))
                .withSeed(seed).withDailyApiBudget(10_000_000)).start()) {
            sf = new SandboxClient(sandbox.port());
            hubDataDir = dir.resolve("hub");
            ChildHub.Builder hubBuilder = ChildHub.builder("chaos", dir.resolve("hub"));
            if (ON_POSTGRES) {
                pg = ChaosPostgres.create("state");
                hubBuilder.env("HEARTH_DB_URL", pg.jdbcUrl()).env("HEARTH_DB_USER", "postgres").env("HEARTH_DB_PASSWORD", "");
                System.out.println("[chaos] state database: private PostgreSQL on port " + pg.port());
            }
            if (ON_EXTERNAL_BROKER) {
                artemis = new ExternalArtemis(Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath(), "broker");
                artemis.start(READY_TIMEOUT);
                hubBuilder.externalBroker(artemis.url(), ExternalArtemis.USER, ExternalArtemis.PASSWORD);
                System.out.println("[chaos] broker: external Artemis on " + artemis.url());
            }
            hub = hubBuilder
                    .arg("--hearth.sandbox.enabled=false")
                    .arg("--hearth.salesforce.client-id=sandbox")
                    .arg("--hearth.salesforce.client-secret=sandbox")
                    .arg("--hearth.salesforce.login-url=" + sandbox.baseUrl())
                    .arg("--hearth.crm.writer.enabled=true")
                    .arg("--hearth.directory.enabled=true")
                    .arg("--hearth.directory.initial-delay=100")
                    .arg("--hearth.rules.enabled=true")
                    .arg("--hearth.queues.stall-after=30s")
                    .arg("--hearth.queues.stall-check-interval=1s")
                    .build();
            try (ChildHub running = hub) {
                // the first start includes the directory's first full sync (readiness waits for it): 90 s more
                hub.start().awaitReady(READY_TIMEOUT.plusSeconds(90));
                awaitUntil("the directory sync has every seeded identity", Duration.ofSeconds(90),
                        () -> hub.metric("hearth_directory_entries", null) >= SLICES * KILL_CONTACTS);

                scenario("no fault (reference)", "none", CONTACTS, null);
                if (selected("503")) {
                    scenario("CRM 503 storm", FAULT_SECONDS + " s of 503 SERVER_UNAVAILABLE (token endpoint too)", CONTACTS,
                            windowed(Map.of("unavailableForSeconds", FAULT_SECONDS)));
                }
                if (selected("limit")) {
                    scenario("API limit", FAULT_SECONDS + " s of 403 REQUEST_LIMIT_EXCEEDED", CONTACTS,
                            windowed(Map.of("requestLimitExceededForSeconds", FAULT_SECONDS)));
                }
                if (selected("login")) {
                    scenario("login revoked, then restored", "every token expired, then " + FAULT_SECONDS
                            + " s of 400 invalid_grant on login", CONTACTS, windowed(Map.of("expireTokens", true, "loginFailsForSeconds", FAULT_SECONDS)));
                }
                if (selected("token")) {
                    scenario("token expiry every 10 s", "all tokens expired every 10 s for 30 s, the load posted over those 30 s", CONTACTS,
                            tokenExpiry(), Duration.ofSeconds(30));
                }
                if (selected("latency")) {
                    scenario("2 s latency per call", "+2,000 ms on every sandbox call while the load is written", CONTACTS,
                            standing(Map.of("latencyMs", 2000)));
                }
                if (selected("locks")) {
                    scenario("UNABLE_TO_LOCK_ROW on 5 % of writes", "lockRowRate 0.05 while the load is written", CONTACTS,
                            standing(Map.of("lockRowRate", 0.05)));
                }
                if (selected("kill")) {
                    killNine();
                }
                if (selected("aimed")) {
                    aimedKill(sandbox);
                }
                if (selected("bursts")) {
                    bursts();
                }
                if (selected("dlq")) {
                    refusedItems();
                }
                if (selected("refusal")) {
                    crmRefusals();
                }
                if (ON_POSTGRES) {
                    stateDatabaseDown();
                }
                if (ON_EXTERNAL_BROKER) {
                    brokerRestarted();
                }
            }
        } finally {
            if (artemis != null) {
                artemis.close();
            }
            if (pg != null) {
                pg.close();
            }
            writeTable(suiteStarted);
        }
        assertThat(problems).as("rows that are not lost 0 / duplicated 0 / DLQ as expected / recovered in time").isEmpty();
    }

    // ------------------------------------------------------------------ scenarios

    /** What a scenario does around its load: injects before, and returns when the fault is over (or at once). */
    interface Fault {
        /** Called before the load is posted. */
        void inject() throws Exception;

        /** Called after the load was posted; returns when the fault has ended (the recovery clock starts then). */
        void endOf() throws Exception;
    }

    Fault windowed(Map<String, Object> request) {
        return new Fault() {
            long started;

            @Override
            public void inject() throws Exception {
                started = System.nanoTime();
                sf.admin(request);
            }

            @Override
            public void endOf() throws Exception {
                sleepUntil(started + Duration.ofSeconds(FAULT_SECONDS).toNanos());
            }
        };
    }

    Fault standing(Map<String, Object> request) {
        return new Fault() {
            @Override
            public void inject() throws Exception {
                sf.admin(request);
            }

            @Override
            public void endOf() throws Exception {
                // stays on until everything is in the CRM (reset in scenario())
            }
        };
    }

    Fault tokenExpiry() {
        return new Fault() {
            Thread expirer;

            @Override
            public void inject() {
                expirer = new Thread(() -> {
                    try {
                        for (int i = 0; i < 3; i++) {
                            sf.admin(Map.of("expireTokens", true));
                            Thread.sleep(10_000); // the fault itself: tokens expire every 10 s
                        }
                    } catch (Exception e) {
                        Thread.currentThread().interrupt();
                    }
                }, "token-expirer");
                expirer.start();
            }

            @Override
            public void endOf() throws Exception {
                expirer.join(60_000);
            }
        };
    }

    void scenario(String name, String faults, int contacts, Fault fault) throws Exception {
        scenario(name, faults, contacts, fault, null);
    }

    /** {@code spreadOver}: the load is posted in pages of 40 spread over this time (else pages of 100 at once). */
    void scenario(String name, String faults, int contacts, Fault fault, Duration spreadOver) throws Exception {
        int slice = takeSlice();
        Before before = before();
        if (fault != null) {
            fault.inject();
        }
        List<Integer> contactNumbers = contactsOf(slice, contacts);
        List<List<String>> posts = load(slice, contactNumbers, spreadOver == null ? 100 : 40);
        long accepted = 0;
        for (List<String> post : posts) {
            if (spreadOver != null && accepted > 0) {
                Thread.sleep(spreadOver.toMillis() / posts.size()); // the load itself: posts spread over time
            }
            HttpResponse<String> r = hub.post("/api/ingest/mention", "application/x-ndjson", String.join("\n", post));
            assertThat(r.statusCode()).as("%s: ingest answer %s", name, r.body()).isEqualTo(202);
            accepted += post.size();
        }
        if (fault != null) {
            fault.endOf();
        }
        long faultEnded = System.nanoTime();
        finish(name, contacts * PER_CONTACT + " mentions, " + contacts + " authors", faults, slice, contactNumbers, accepted,
                before, faultEnded, "0 (none expected)");
    }

    /**
     * kill -9 at random moments: one load of KILL_CONTACTS authors, posted 100 mentions a request by a client that
     * resends what got no answer; the hub is killed {@code KILL_ROUNDS} times at a random moment while the load is
     * posted or flowing (ingest, enrich, rules, CRM writer), and restarted on the same data directory.
     */
    void killNine() throws Exception {
        int slice = takeSlice();
        Before before = before();
        List<Integer> contactNumbers = contactsOf(slice, KILL_CONTACTS);
        // pages of 20: posting the load takes a few seconds, so a kill can land while posting as well as after
        List<List<String>> posts = load(slice, contactNumbers, 20);
        List<Integer> unanswered = new ArrayList<>(IntStream.range(0, posts.size()).boxed().toList());
        long accepted = 0;
        List<String> moments = new ArrayList<>();
        // the writer's "written" marks at work: records a restarted hub consumed without a call (summed over the hubs)
        java.util.concurrent.atomic.DoubleAdder notSentAgain = new java.util.concurrent.atomic.DoubleAdder();
        for (int round = 1; round <= KILL_ROUNDS; round++) {
            long killAtMillis = 300 + random.nextInt(4000);
            AtomicBoolean killed = new AtomicBoolean();
            Thread killer = new Thread(() -> {
                try {
                    Thread.sleep(killAtMillis); // the fault itself: kill -9 at a random moment
                    try {
                        notSentAgain.add(hub.metric("hearth_crm_records_total", "outcome=\"already_written\""));
                    } catch (Exception e) {
                        // not answering (starting): nothing skipped yet by this hub
                    }
                    hub.kill9();
                    killed.set(true);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "killer");
            killer.start();
            List<Integer> answered = new ArrayList<>();
            for (int p : unanswered) {
                if (killed.get()) {
                    break;
                }
                try {
                    HttpResponse<String> r = hub.post("/api/ingest/mention", "application/x-ndjson", String.join("\n", posts.get(p)));
                    if (r.statusCode() == 202) {
                        answered.add(p);
                        accepted += posts.get(p).size();
                    }
                } catch (IOException e) {
                    break; // cut off by the kill: the client resends this post later
                }
            }
            unanswered.removeAll(answered);
            killer.join();
            hub.start().awaitReady(READY_TIMEOUT);
            // What the kill left in flight: the restarted hub finds it in its journal (stages) before it moves on.
            Map<String, Long> leftover = hub.messageCounts(STAGES);
            moments.add(String.format("%.1f s (%d msgs in flight)", killAtMillis / 1e3,
                    leftover.values().stream().mapToLong(n -> Math.max(0, n)).sum()));
            System.out.println("[chaos] kill round " + round + ": killed " + killAtMillis + " ms into the round; the restarted hub found "
                    + leftover + "; " + (posts.size() - unanswered.size()) + " of " + posts.size() + " posts answered so far");
        }
        for (int p : unanswered) {
            HttpResponse<String> r = hub.post("/api/ingest/mention", "application/x-ndjson", String.join("\n", posts.get(p)));
            assertThat(r.statusCode()).as("resend: %s", r.body()).isEqualTo(202);
            accepted += posts.get(p).size();
        }
        long resent = System.nanoTime();
        try {
            finish("kill -9 at random moments", KILL_CONTACTS * PER_CONTACT + " mentions, " + KILL_CONTACTS
                        + " authors (unanswered posts resent)", KILL_ROUNDS + " × SIGKILL of the hub, each round that long after it began posting (the rest) or restarting: "
                        + String.join(", ", moments)
                        + ", restart on the same journal and state database",
                slice, contactNumbers, accepted, before, resent, "0 (none expected)", 0, false);
        } finally {
            notSentAgain.add(hub.metric("hearth_crm_records_total", "outcome=\"already_written\""));
            String note = String.format("kill -9: %.0f CRM record(s) found already written after a restart and not sent again"
                    + " (metric hearth_crm_records{outcome=already_written}, summed over the restarted hubs)", notSentAgain.sum());
            notes.add(note);
            System.out.println("[chaos] " + note);
        }
    }

    /** Authors of the aimed kill row (4 mentions each), its kills, and the answered Collections writes before a kill. */
    static final int AIMED_CONTACTS = Integer.getInteger("chaos.aimed-contacts", 100);
    static final int AIMED_KILLS = Integer.getInteger("chaos.aimed-kills", 2);
    static final int AIMED_AFTER_WRITES = Integer.getInteger("chaos.aimed-after-writes", 1);

    /**
     * kill -9 aimed at the CRM writer's window between a call and its commit: the sandbox (in this JVM) calls a hook when a
     * Collections write arrives; the hub is killed when a {@code Social_Reward__c} upsert arrives after at least
     * {@code AIMED_AFTER_WRITES} Collections writes answered since the round began. The writer sends a batch's rewards
     * after their mentions (parents first) and marks a call's records as written before its next call, so at that
     * moment the batch has written and marked records and has not committed: the restarted hub gets the batch again and
     * must skip what was written ("written" marks, {@code hearth_crm_records{outcome="already_written"}} > 0), with
     * rewrites 0. The reward call that triggered the kill is answered 503 and writes nothing. The client resends what
     * got no 202, as in the kill -9 row.
     */
    void aimedKill(SalesforceSandbox sandbox) throws Exception {
        int slice = takeSlice();
        Before before = before();
        double skippedBefore = hub.metric("hearth_crm_records_total", "outcome=\"already_written\"");
        List<Integer> contactNumbers = contactsOf(slice, AIMED_CONTACTS);
        List<List<String>> posts = load(slice, contactNumbers, 20);
        List<Integer> unanswered = new ArrayList<>(IntStream.range(0, posts.size()).boxed().toList());
        long accepted = 0;
        double skipped = -skippedBefore;
        List<String> moments = new ArrayList<>();
        // Each round's hook is armed before its hub starts (round 1: before the load is posted; later rounds: before the
        // restart), so a fast restarted hub cannot write the whole backlog before the hook is there. A kill due while the
        // test still waits for that hub to become ready holds the call until then.
        Aim aim = new Aim(sandbox, hub);
        aim.live.set(true);
        for (int round = 1; round <= AIMED_KILLS; round++) {
            List<Integer> answeredPosts = new ArrayList<>();
            for (int p : unanswered) {
                if (aim.killed.getCount() == 0) {
                    break;
                }
                try {
                    HttpResponse<String> r = hub.post("/api/ingest/mention", "application/x-ndjson", String.join("\n", posts.get(p)));
                    if (r.statusCode() == 202) {
                        answeredPosts.add(p);
                        accepted += posts.get(p).size();
                    }
                } catch (IOException e) {
                    break; // cut off by the kill: resent later
                }
            }
            unanswered.removeAll(answeredPosts);
            boolean hit = aim.killed.await(180, TimeUnit.SECONDS);
            sandbox.collectionsWriteHook(null);
            assertThat(hit).as("aimed kill %d: a reward call came after %d answered write(s)", round, AIMED_AFTER_WRITES).isTrue();
            skipped += aim.skippedByTheHub.sum();
            String moment = aim.moment;
            Aim next = round < AIMED_KILLS ? new Aim(sandbox, hub) : null;
            hub.start().awaitReady(READY_TIMEOUT);
            Map<String, Long> leftover = hub.messageCounts(STAGES);
            if (next != null) {
                next.live.set(true);
                aim = next;
            }
            moments.add(moment + " (the restarted hub found " + leftover.values().stream().mapToLong(n -> Math.max(0, n)).sum()
                    + " msgs in flight, crm.outbound " + leftover.get("crm.outbound") + ")");
            System.out.println("[chaos] aimed kill " + round + ": " + moment + "; the restarted hub found " + leftover + "; "
                    + (posts.size() - unanswered.size()) + " of " + posts.size() + " posts answered so far");
        }
        for (int p : unanswered) {
            HttpResponse<String> r = hub.post("/api/ingest/mention", "application/x-ndjson", String.join("\n", posts.get(p)));
            assertThat(r.statusCode()).as("resend: %s", r.body()).isEqualTo(202);
            accepted += posts.get(p).size();
        }
        long resent = System.nanoTime();
        try {
            finish("kill -9 aimed at the writer's call-to-commit window", AIMED_CONTACTS * PER_CONTACT + " mentions, " + AIMED_CONTACTS
                            + " authors (unanswered posts resent)", AIMED_KILLS + " × SIGKILL of the hub when a Social_Reward__c call arrives"
                            + " after a written and marked call of the same batch (that call answered 503): " + String.join(", ", moments)
                            + "; restart on the same journal and state database",
                    slice, contactNumbers, accepted, before, resent, "0 (none expected)");
        } finally {
            skipped += hub.metric("hearth_crm_records_total", "outcome=\"already_written\"");
            String note = String.format("aimed kill: %.0f CRM record(s) found already written after the restarts and not sent again"
                    + " (hearth_crm_records{outcome=already_written}, summed over the restarted hubs)", skipped);
            notes.add(note);
            System.out.println("[chaos] " + note);
            if (skipped <= 0) {
                problems.add("aimed kill: no record was found already written after a restart, so the kills missed the"
                        + " call-to-commit window (the row proves nothing about the written marks)");
            }
        }
    }

    /** One aimed kill: the sandbox hook that kills {@code target} when a reward call arrives after a marked call. */
    final class Aim {
        final java.util.concurrent.CountDownLatch killed = new java.util.concurrent.CountDownLatch(1);
        /** Set once the test has seen the hub ready: a kill due before then holds the call until then. */
        final AtomicBoolean live = new AtomicBoolean();
        final java.util.concurrent.atomic.DoubleAdder skippedByTheHub = new java.util.concurrent.atomic.DoubleAdder();
        volatile String moment = "no kill";

        Aim(SalesforceSandbox sandbox, ChildHub target) {
            int armedAt = sandbox.collectionsWritesAnswered();
            sandbox.collectionsWriteHook((path, answered) -> {
                synchronized (this) {
                    if (killed.getCount() == 0) {
                        return false; // the hub is dead: a call still on its way writes nothing
                    }
                    if (!path.contains("/composite/sobjects/Social_Reward__c") || answered - armedAt < AIMED_AFTER_WRITES) {
                        return true;
                    }
                    long until = System.nanoTime() + READY_TIMEOUT.toNanos();
                    while (!live.get() && System.nanoTime() < until) {
                        try {
                            Thread.sleep(50); // holding the call until the test has seen the restarted hub ready
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return false;
                        }
                    }
                    try {
                        skippedByTheHub.add(target.metric("hearth_crm_records_total", "outcome=\"already_written\""));
                    } catch (Exception e) {
                        // not answering: counted as 0
                    }
                    moment = "on a reward call after " + (answered - armedAt) + " answered write(s)";
                    target.kill9();
                    killed.countDown();
                    return false;
                }
            });
        }
    }

    static final int REFUSED = 10;

    /**
     * A command the CRM refuses: a validation rule in the sandbox ({@code refuseRecords}) refuses the Social_Mention__c of
     * {@code REFUSED} extra mentions (by their external id) with FIELD_CUSTOM_VALIDATION_EXCEPTION in their record result;
     * their authors are known contacts outside the row's load, and their posts name no brand, ask nothing and use no
     * campaign tag, so each produces one refusable command (its mention) besides its contact's aggregates. Each refused
     * command must reach {@code DLQ.crm.outbound} exactly once with a {@code HearthFailureReason} that names the
     * Salesforce error code; the usual load beside them complete, no rewrites.
     */
    void crmRefusals() throws Exception {
        int slice = takeSlice();
        Before before = before();
        List<Integer> contactNumbers = contactsOf(slice, CONTACTS);
        List<List<String>> posts = load(slice, contactNumbers, 20);
        String marker = "x:chaos-" + slice + "-refused-";
        sf.admin(Map.of("refuseRecords", Map.of("object", "Social_Mention__c", "field", "External_Id__c",
                "matching", "^" + java.util.regex.Pattern.quote(marker))));
        String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        long accepted = 0;
        int refused = 0;
        for (int p = 0; p < posts.size(); p++) {
            HttpResponse<String> r = hub.post("/api/ingest/mention", "application/x-ndjson", String.join("\n", posts.get(p)));
            assertThat(r.statusCode()).as("load: %s", r.body()).isEqualTo(202);
            accepted += posts.get(p).size();
            while (refused < REFUSED && (refused * posts.size() <= p * REFUSED || p == posts.size() - 1)) {
                int author = slice * KILL_CONTACTS + CONTACTS + 1 + refused; // seeded, verified, outside the load
                String line = "{\"channel\":\"x\",\"nativeId\":\"chaos-" + slice + "-refused-" + refused + "-m\",\"text\":"
                        + "\"Walked the dog along the river this morning\",\"createdAt\":\"" + now + "\",\"author\":{\"handle\":\"fan"
                        + author + "\",\"followers\":1200}}";
                HttpResponse<String> m = hub.post("/api/ingest/mention", "application/x-ndjson", line);
                assertThat(m.statusCode()).as("mention to be refused: %s", m.body()).isEqualTo(202);
                refused++;
            }
        }
        assertThat(refused).as("mentions posted for the CRM to refuse").isEqualTo(REFUSED);
        long posted = System.nanoTime();
        try {
            finish("CRM refuses chosen records", CONTACTS * PER_CONTACT + " mentions, " + CONTACTS + " authors + " + REFUSED
                            + " mentions of " + REFUSED + " other authors", "a validation rule (`refuseRecords`) refuses the "
                            + REFUSED + " extra mentions' Social_Mention__c with FIELD_CUSTOM_VALIDATION_EXCEPTION, between the load's pages",
                    slice, contactNumbers, accepted, before, posted, REFUSED + " on DLQ.crm.outbound, each with its error code", REFUSED);
        } finally {
            Map<Integer, List<String>> found = new TreeMap<>();
            browse("DLQ.crm.outbound", (body, m) -> {
                for (int i = 0; i < REFUSED; i++) {
                    if (body != null && body.contains(marker + i + "-m\"")) {
                        found.computeIfAbsent(i, k -> new ArrayList<>()).add(m.getStringProperty("HearthFailureReason")
                                + " [" + m.getStringProperty("HearthCrmErrorCode") + "]");
                    }
                }
            });
            List<String> wrong = new ArrayList<>();
            for (int i = 0; i < REFUSED; i++) {
                List<String> reasons = found.getOrDefault(i, List.of());
                if (reasons.size() != 1 || !reasons.get(0).startsWith("Salesforce FIELD_CUSTOM_VALIDATION_EXCEPTION")) {
                    wrong.add("mention " + i + ": " + reasons.size() + " cop(ies) on DLQ.crm.outbound, reasons " + reasons);
                }
            }
            String note = "CRM refusals: " + (REFUSED - wrong.size()) + " of " + REFUSED + " refused commands on DLQ.crm.outbound once with"
                    + " their error code" + (found.isEmpty() ? "" : " (e.g. \"" + found.values().iterator().next().get(0) + "\")");
            notes.add(note);
            System.out.println("[chaos] " + note);
            if (!wrong.isEmpty()) {
                problems.add("refused CRM commands not on DLQ.crm.outbound once with their error code: " + wrong);
            }
        }
    }

    interface Browsed {
        void message(String body, jakarta.jms.Message message) throws Exception;
    }

    /** Every message on {@code queue}, browsed (nothing consumed). */
    void browse(String queue, Browsed each) throws Exception {
        try (var factory = hub.brokerConnectionFactory()) {
            factory.setConsumerWindowSize(-1);
            try (jakarta.jms.Connection connection = factory.createConnection()) {
                connection.start();
                jakarta.jms.Session session = connection.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
                try (jakarta.jms.QueueBrowser browser = session.createBrowser(session.createQueue(queue))) {
                    var messages = browser.getEnumeration();
                    while (messages.hasMoreElements()) {
                        jakarta.jms.Message m = (jakarta.jms.Message) messages.nextElement();
                        each.message(m.getBody(String.class), m);
                    }
                }
            }
        }
    }

    ChaosPostgres pg;

    /**
     * External broker restarted: half of the load posted, the broker stopped (SIGTERM, a clean shutdown) while that half
     * flows, the other half posted during the outage by a client that resends what got no 202, the broker started again
     * on the same journal after {@code BROKER_DOWN_SECONDS}; the recovery clock starts when it listens again.
     */
    void brokerRestarted() throws Exception {
        int slice = takeSlice();
        Before before = before();
        List<Integer> contactNumbers = contactsOf(slice, CONTACTS);
        List<List<String>> posts = load(slice, contactNumbers, 20);
        int half = posts.size() / 2;
        long accepted = 0;
        for (int p = 0; p < half; p++) {
            HttpResponse<String> r = hub.post("/api/ingest/mention", "application/x-ndjson", String.join("\n", posts.get(p)));
            assertThat(r.statusCode()).as("before the outage: %s", r.body()).isEqualTo(202);
            accepted += posts.get(p).size();
        }
        long down = System.nanoTime();
        artemis.stop();
        List<Integer> unanswered = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        for (int p = half; p < posts.size(); p++) {
            try {
                HttpResponse<String> r = hub.post("/api/ingest/mention", "application/x-ndjson", String.join("\n", posts.get(p)));
                answers.add(String.valueOf(r.statusCode()));
                if (r.statusCode() == 202) {
                    accepted += posts.get(p).size();
                } else {
                    unanswered.add(p);
                }
            } catch (IOException e) {
                answers.add(e.getClass().getSimpleName());
                unanswered.add(p);
            }
        }
        System.out.println("[chaos] broker down: ingest answered " + answers);
        sleepUntil(down + Duration.ofSeconds(BROKER_DOWN_SECONDS).toNanos());
        assertThat(hub.isAlive()).as("the hub survives its broker's restart").isTrue();
        artemis.start(READY_TIMEOUT);
        long up = System.nanoTime();
        for (int p : unanswered) {
            long until = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            while (true) {
                HttpResponse<String> r = hub.post("/api/ingest/mention", "application/x-ndjson", String.join("\n", posts.get(p)));
                if (r.statusCode() == 202) {
                    accepted += posts.get(p).size();
                    break;
                }
                assertThat(System.nanoTime()).as("resend after the restart: %s %s", r.statusCode(), r.body()).isLessThan(until);
                Thread.sleep(500); // the client's retry interval
            }
        }
        finish("external broker restarted", CONTACTS * PER_CONTACT + " mentions, " + CONTACTS
                        + " authors (unanswered posts resent)", "Artemis stopped (SIGTERM) after half of the load was posted, "
                        + BROKER_DOWN_SECONDS + " s down, the other half posted meanwhile (answers " + String.join("/", answers)
                        + "), then started again on the same journal",
                slice, contactNumbers, accepted, before, up, "0 (none expected)");
    }

    static final int POISONED = 10;

    /**
     * A refusal that must end in the DLQ with its reason: the usual load, and between its pages {@code POISONED} native X
     * search payloads ({@code /api/ingest/x}) whose one post has a 600-character id (the mention id may have at most
     * 512: the state database keys on it). Each must be answered 202 with {@code "rejected":1}, reach
     * {@code DLQ.social.inbound} exactly once with a {@code HearthFailureReason} that names the field and quotes no
     * content, and hold up nothing of the load (lost 0, duplicated 0, DLQ exactly {@code POISONED}).
     */
    void refusedItems() throws Exception {
        int slice = takeSlice();
        Before before = before();
        List<Integer> contactNumbers = contactsOf(slice, CONTACTS);
        List<List<String>> posts = load(slice, contactNumbers, 20);
        String marker = "chaos-" + slice + "-poison-";
        long accepted = 0;
        int poisoned = 0;
        for (int p = 0; p < posts.size(); p++) {
            HttpResponse<String> r = hub.post("/api/ingest/mention", "application/x-ndjson", String.join("\n", posts.get(p)));
            assertThat(r.statusCode()).as("load: %s", r.body()).isEqualTo(202);
            accepted += posts.get(p).size();
            // spread over the pages; the last page sends whatever is left
            while (poisoned < POISONED && (poisoned * posts.size() <= p * POISONED || p == posts.size() - 1)) {
                String id = marker + poisoned + "-" + "9".repeat(600);
                String x = "{\"data\":[{\"id\":\"" + id + "\",\"text\":\"Loving @hearth_brand\",\"created_at\":\""
                        + Instant.now().truncatedTo(ChronoUnit.SECONDS) + "\"}]}";
                HttpResponse<String> refused = hub.post("/api/ingest/x", "application/json", x);
                assertThat(refused.statusCode()).as("poisoned payload: %s", refused.body()).isEqualTo(202);
                assertThat(refused.body()).as("one item rejected").contains("\"rejected\":1");
                poisoned++;
            }
        }
        assertThat(poisoned).as("poisoned payloads posted").isEqualTo(POISONED);
        long posted = System.nanoTime();
        try {
            finish("refused items end in the DLQ with their reason", CONTACTS * PER_CONTACT + " mentions, " + CONTACTS
                            + " authors + " + POISONED + " poisoned X payloads", POISONED
                            + " X search payloads (`/api/ingest/x`) of one post each with a 600-character id (max 512), between the load's pages",
                    slice, contactNumbers, accepted, before, posted, POISONED + " on DLQ.social.inbound, each with its reason", POISONED);
        } finally {
            // every poisoned item on DLQ.social.inbound once, with a reason that names the field and quotes nothing
            Map<String, String> reasons = new TreeMap<>();
            int[] copies = new int[POISONED];
            try (var factory = hub.brokerConnectionFactory()) {
                factory.setConsumerWindowSize(-1);
                try (jakarta.jms.Connection connection = factory.createConnection()) {
                    connection.start();
                    jakarta.jms.Session session = connection.createSession(false, jakarta.jms.Session.AUTO_ACKNOWLEDGE);
                    try (jakarta.jms.QueueBrowser browser = session.createBrowser(session.createQueue("DLQ.social.inbound"))) {
                        var messages = browser.getEnumeration();
                        while (messages.hasMoreElements()) {
                            jakarta.jms.Message m = (jakarta.jms.Message) messages.nextElement();
                            String body = m.getBody(String.class);
                            for (int i = 0; i < POISONED; i++) {
                                if (body != null && body.contains(marker + i + "-")) {
                                    copies[i]++;
                                    reasons.put(marker + i, m.getStringProperty("HearthFailureReason"));
                                }
                            }
                        }
                    }
                }
            }
            List<String> wrong = new ArrayList<>();
            for (int i = 0; i < POISONED; i++) {
                String reason = reasons.get(marker + i);
                if (copies[i] != 1 || reason == null || !reason.contains("too long") || reason.contains(marker)) {
                    wrong.add("item " + i + ": " + copies[i] + " cop(ies) on DLQ.social.inbound, reason " + reason);
                }
            }
            String note = "refused items: " + (POISONED - wrong.size()) + " of " + POISONED + " on DLQ.social.inbound once with their reason"
                    + (reasons.isEmpty() ? "" : " (e.g. \"" + reasons.values().iterator().next() + "\")");
            notes.add(note);
            System.out.println("[chaos] " + note);
            if (!wrong.isEmpty()) {
                problems.add("refused items not on the DLQ once with their reason: " + wrong);
            }
        }
    }

    /**
     * State database down: half of the load is posted, then the hub's PostgreSQL is stopped at once ({@code pg_ctl stop
     * -m immediate}: every connection cut, in-flight transactions lost) while that half flows; the other half is posted
     * during the outage by a client that keeps what got no 202 and resends it once the database is back; after
     * {@code DB_DOWN_SECONDS} the database starts again (crash recovery) and the recovery clock starts.
     */
    void stateDatabaseDown() throws Exception {
        int slice = takeSlice();
        Before before = before();
        List<Integer> contactNumbers = contactsOf(slice, CONTACTS);
        List<List<String>> posts = load(slice, contactNumbers, 20);
        int half = posts.size() / 2;
        long accepted = 0;
        for (int p = 0; p < half; p++) {
            HttpResponse<String> r = hub.post("/api/ingest/mention", "application/x-ndjson", String.join("\n", posts.get(p)));
            assertThat(r.statusCode()).as("before the outage: %s", r.body()).isEqualTo(202);
            accepted += posts.get(p).size();
        }
        long down = System.nanoTime();
        pg.stopImmediately();
        List<Integer> unanswered = new ArrayList<>();
        List<String> answers = new ArrayList<>();
        for (int p = half; p < posts.size(); p++) {
            try {
                HttpResponse<String> r = hub.post("/api/ingest/mention", "application/x-ndjson", String.join("\n", posts.get(p)));
                answers.add(String.valueOf(r.statusCode()));
                if (r.statusCode() == 202) {
                    accepted += posts.get(p).size();
                } else {
                    unanswered.add(p);
                }
            } catch (IOException e) {
                answers.add(e.getClass().getSimpleName());
                unanswered.add(p);
            }
        }
        String health;
        try {
            HttpResponse<String> h = hub.get("/actuator/health");
            health = h.statusCode() + (h.body().contains("DOWN") ? " (DOWN)" : "");
        } catch (IOException e) {
            health = e.getClass().getSimpleName();
        }
        System.out.println("[chaos] state database down: ingest answered " + answers + ", health " + health);
        sleepUntil(down + Duration.ofSeconds(DB_DOWN_SECONDS).toNanos());
        assertThat(hub.isAlive()).as("the hub survives its database's outage").isTrue();
        pg.start();
        long up = System.nanoTime();
        for (int p : unanswered) {
            long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                HttpResponse<String> r = hub.post("/api/ingest/mention", "application/x-ndjson", String.join("\n", posts.get(p)));
                if (r.statusCode() == 202) {
                    accepted += posts.get(p).size();
                    break;
                }
                assertThat(System.nanoTime()).as("resend after the outage: %s %s", r.statusCode(), r.body()).isLessThan(until);
                Thread.sleep(500); // the client's retry interval
            }
        }
        finish("state database down " + DB_DOWN_SECONDS + " s", CONTACTS * PER_CONTACT + " mentions, " + CONTACTS
                        + " authors (unanswered posts resent)", "PostgreSQL stopped (`pg_ctl stop -m immediate`) after half of the load was posted, "
                        + DB_DOWN_SECONDS + " s down, the other half posted meanwhile (answers " + String.join("/", answers)
                        + "; health " + health + "), then started again (crash recovery)",
                slice, contactNumbers, accepted, before, up, "0 (none expected)");
    }

    /** Repeated bursts, the no-progress watchdog at 30 s: every burst in full, no stall reported, no diagnostics dump. */
    void bursts() throws Exception {
        int bursts = 3;
        for (int b = 1; b <= bursts; b++) {
            scenario("burst " + b + " of " + bursts + " (watchdog 30 s)", "none; the watchdog must stay quiet", CONTACTS, null);
        }
        double stalls = hub.metric("hearth_queue_stalls_total", null);
        long dumps = countDumps();
        if (stalls != 0 || dumps != 0) {
            problems.add("watchdog: " + stalls + " stalls, " + dumps + " diagnostics dumps (see " + hubDataDir.resolve("diagnostics") + ")");
        }
        System.out.printf("[chaos] watchdog over the bursts: %.0f stalls reported, %d diagnostics dumps%n", stalls, dumps);
    }

    long countDumps() throws IOException {
        Path d = hubDataDir().resolve("diagnostics");
        if (!Files.isDirectory(d)) {
            return 0;
        }
        try (var files = Files.list(d)) {
            return files.filter(f -> f.getFileName().toString().startsWith("stall-")).count();
        }
    }

    Path hubDataDir;

    Path hubDataDir() {
        return hubDataDir;
    }

    // ------------------------------------------------------------------ measuring

    record Before(Map<String, Long> writes, Map<String, Long> dlq) {
    }

    Before before() throws Exception {
        return new Before(writes(), dlqDepths());
    }

    Map<String, Long> writes() throws Exception {
        Map<String, Long> out = new TreeMap<>();
        JsonNode w = sf.admin(Map.of()).path("recordWrites");
        for (String object : WRITTEN) {
            out.put(object, w.path(object).asLong(0));
        }
        return out;
    }

    Map<String, Long> dlqDepths() throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        hub.messageCounts(DLQS).forEach((q, n) -> out.put(q, Math.max(0, n)));
        return out;
    }

    Outcome inCrm(int slice, List<Integer> contacts) throws Exception {
        return KnownAuthors.outcome(sf::count, "chaos-" + slice, contacts);
    }

    long mentions(int slice) throws Exception {
        return KnownAuthors.mentions(sf::count, "chaos-" + slice);
    }

    boolean drained() throws Exception {
        return hub.messageCounts(STAGES).values().stream().allMatch(n -> n <= 0);
    }

    void finish(String name, String load, String faults, int slice, List<Integer> contacts, long accepted, Before before,
                long clockStart, String dlqExpected) throws Exception {
        finish(name, load, faults, slice, contacts, accepted, before, clockStart, dlqExpected, 0);
    }

    /** {@code expectedDead}: messages the row must add to the dead-letter queues (a refusal scenario), else 0. */
    void finish(String name, String load, String faults, int slice, List<Integer> contacts, long accepted, Before before,
                long clockStart, String dlqExpected, long expectedDead) throws Exception {
        finish(name, load, faults, slice, contacts, accepted, before, clockStart, dlqExpected, expectedDead, true);
    }

    /**
     * {@code rewritesFail}: whether rewrites fail the row. Only the random kill -9 row measures them without failing: its
     * kills can land in the windows the written marks leave by design (a call in flight, the enrich stage's commit), so
     * a rewrite there is not a defect and would make the suite flaky; the aimed kill row asserts rewrites 0.
     */
    void finish(String name, String load, String faults, int slice, List<Integer> contacts, long accepted, Before before,
                long clockStart, String dlqExpected, long expectedDead, boolean rewritesFail) throws Exception {
        Outcome expected = perContact == null ? null : perContact.times(contacts.size());
        long deadline = clockStart + RECOVERY_BOUND.toNanos() + Duration.ofSeconds(60).toNanos();
        Outcome got = null;
        boolean complete = false;
        while (System.nanoTime() < deadline) {
            try {
                // The test's own SOQL meets the fault too (503, limit, latency): an error is "not yet", asked again.
                if (drained() && mentions(slice) >= accepted) {
                    got = inCrm(slice, contacts);
                    boolean countsMatch = expected == null ? got.mentions() == accepted : got.equals(expected);
                    // drained with every record there: confirm once more (a command may have been in flight)
                    if (countsMatch && drained()) {
                        complete = true;
                        break;
                    }
                }
            } catch (Exception e) {
                // asked again below
            }
            Thread.sleep(250); // polling interval of a measured recovery (the figure has 250 ms resolution)
        }
        double recoveredSeconds = (System.nanoTime() - clockStart) / 1e9;
        sf.admin(Map.of("reset", true));
        if (!complete) {
            // let the queues settle before counting what is there, so a late record is not counted as lost
            awaitUntil("queues drained after " + name, Duration.ofSeconds(120), this::drained);
        }
        got = inCrm(slice, contacts);
        Map<String, Long> writesAfter = writes();
        long rewrites = 0;
        Map<String, Long> records = Map.of("Social_Mention__c", got.mentions(), "Social_Reward__c", got.rewards(), "Case", got.cases());
        StringBuilder rewriteDetail = new StringBuilder();
        Map<String, Long> writesHere = new TreeMap<>();
        for (String object : WRITTEN) {
            long w = writesAfter.get(object) - before.writes().get(object);
            writesHere.put(object, w);
            // The design's own writes per record (the reference row's; a Case is written again when a later post of its
            // author joins it) are not duplicates; writes beyond them are.
            long extra = w - (writesPerContact == null ? w : writesPerContact.get(object) * contacts.size());
            if (extra != 0) {
                rewriteDetail.append(' ').append(object).append(" ").append(w).append(" writes for ").append(records.get(object))
                        .append(" records (reference ").append(w - extra).append(");");
            }
            rewrites += Math.max(0, extra);
        }
        if (expected == null) {
            // the reference row: the per-contact outcome of the load shape
            assertThat(got.mentions()).as("reference: every accepted mention in the CRM").isEqualTo(accepted);
            assertThat(got.rewards() % contacts.size() + got.cases() % contacts.size() + got.flags() % contacts.size())
                    .as("reference outcome %s is the same for every author of the shape", got).isZero();
            assertThat(got.rewards()).as("the default rules grant rewards for the load").isPositive();
            assertThat(got.cases()).as("the default rules open cases for the load").isPositive();
            assertThat(got.flags()).as("the default rules flag advocates for the load").isPositive();
            perContact = new Outcome(got.mentions() / contacts.size(), got.rewards() / contacts.size(),
                    got.cases() / contacts.size(), got.flags() / contacts.size());
            expected = got;
            writesPerContact = new TreeMap<>();
            for (Map.Entry<String, Long> e : writesHere.entrySet()) {
                assertThat(e.getValue() % contacts.size()).as("reference writes of %s per author", e.getKey()).isZero();
                writesPerContact.put(e.getKey(), e.getValue() / contacts.size());
            }
            System.out.println("[chaos] reference writes per author: " + writesPerContact + "; records per author: " + perContact);
        }
        long lost = Math.max(0, accepted - got.mentions()) + Math.max(0, expected.rewards() - got.rewards())
                + Math.max(0, expected.cases() - got.cases()) + Math.max(0, expected.flags() - got.flags());
        long duplicated = Math.max(0, got.mentions() - accepted) + Math.max(0, got.rewards() - expected.rewards())
                + Math.max(0, got.cases() - expected.cases()) + Math.max(0, got.flags() - expected.flags());
        Map<String, Long> dlqAfter = dlqDepths();
        long dead = dlqAfter.entrySet().stream().mapToLong(e -> e.getValue() - before.dlq().get(e.getKey())).sum();
        String dlq = dead + " — expected " + dlqExpected;
        String recovered = complete ? String.format("%.1f s (bound %d s)", recoveredSeconds, RECOVERY_BOUND.toSeconds())
                : String.format("NOT within %.0f s", recoveredSeconds);
        Row row = new Row(name, load, faults, accepted, got, lost, duplicated, rewrites, dlq, recovered);
        rows.add(row);
        System.out.println("[chaos] " + row.markdown() + (rewriteDetail.isEmpty() ? "" : " rewrites:" + rewriteDetail));
        if (rewrites != 0 && !rewritesFail) {
            notes.add(name + ": " + rewrites + " rewrite(s), measured, not failing this row:" + rewriteDetail);
        }
        if (lost != 0 || duplicated != 0 || (rewrites != 0 && rewritesFail) || dead != expectedDead || !complete
                || recoveredSeconds > RECOVERY_BOUND.toSeconds()) {
            problems.add(row.markdown() + (rewriteDetail.isEmpty() ? "" : " rewrites:" + rewriteDetail) + "; expected " + expected);
        }
    }

    // ------------------------------------------------------------------ load

    static List<Integer> contactsOf(int slice, int contacts) {
        return IntStream.rangeClosed(1, contacts).map(i -> slice * KILL_CONTACTS + i).boxed().toList();
    }

    /** PER_CONTACT mentions per author, the shape of {@link KnownAuthors#load}, native ids {@code chaos-<slice>-<contact>-<k>}. */
    static List<List<String>> load(int slice, List<Integer> contacts, int page) {
        return KnownAuthors.load("chaos-" + slice, contacts, PER_CONTACT, page);
    }

    // ------------------------------------------------------------------ output

    void writeTable(long suiteStarted) throws IOException {
        List<String> out = new ArrayList<>();
        out.add("Hearth fault-injection suite, " + LocalDate.now(ZoneOffset.UTC) + ", `./mvnw -B -Pchaos verify` ("
                + String.format("%.0f s", (System.nanoTime() - suiteStarted) / 1e9) + "; fault windows " + FAULT_SECONDS
                + " s; per-contact reference outcome: " + perContact + ")");
        out.add("");
        out.add("| scenario | load | faults injected | accepted | in CRM | lost | duplicated | rewrites | DLQ (expected) | recovered in |");
        out.add("|---|---|---|---|---|---|---|---|---|---|");
        rows.forEach(r -> out.add(r.markdown()));
        if (!notes.isEmpty()) {
            out.add("");
            notes.forEach(n -> out.add("Note: " + n));
        }
        if (!problems.isEmpty()) {
            out.add("");
            out.add("Problems:");
            problems.forEach(p -> out.add("- " + p));
        }
        Path file = Path.of("target", "chaos", "results.md");
        Files.createDirectories(file.getParent());
        Files.write(file, out);
        System.out.println(String.join("\n", out));
    }

    // ------------------------------------------------------------------ helpers

    interface Check {
        boolean ok() throws Exception;
    }

    static void awaitUntil(String what, Duration atMost, Check check) throws Exception {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (Exception e) {
                // not yet answerable (a restarting hub): ask again
            }
            Thread.sleep(250); // polling interval; a restarting hub cannot answer, so no Awaitility condition
        }
        throw new AssertionError("not within " + atMost + ": " + what);
    }

    static void sleepUntil(long nanoTime) throws InterruptedException {
        long left = nanoTime - System.nanoTime();
        if (left > 0) {
            Thread.sleep(left / 1_000_000, (int) (left % 1_000_000)); // pacing of the fault schedule
        }
    }
}
