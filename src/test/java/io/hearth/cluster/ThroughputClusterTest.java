package io.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.hearth.crm.SandboxClient;
import io.hearth.support.ChildHub;
import io.hearth.support.ClusterRig;
import io.hearth.support.KnownAuthors;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, acceptance 4 (profile {@code -Pcluster}, docs/scaling.md "Throughput with 1, 2 and 3 hubs"): the same load
 * of known-author mentions ({@link KnownAuthors}, default rules) against 1, then 2, then 3 hubs on one external Artemis
 * and one PostgreSQL database ({@link ClusterRig}), and, for comparison, against one hub on its embedded broker and H2.
 * Each run: a warm-up load to every hub, then {@code -Dcluster.tp-mentions} (1,200) mentions of fresh authors posted in
 * pages of 100, spread evenly over the hubs by one client per hub; measured from the first post until the last
 * {@code Social_Mention__c} is in the sandbox. CPU: utime + stime of every hub process ({@code /proc/<pid>/stat}) over
 * that interval; also the broker's. Prints a table, also written to {@code target/cluster-figures.txt}.
 * Knobs: {@code -Dcluster.tp-mentions}, {@code -Dcluster.tp-authors} (100), {@code -Dcluster.tp-embedded} (true).
 */
@Tag("cluster")
class ThroughputClusterTest {

    static final int MENTIONS = Integer.getInteger("cluster.tp-mentions", 1_200);
    static final int AUTHORS = Integer.getInteger("cluster.tp-authors", 100);
    static final int PER_AUTHOR = MENTIONS / AUTHORS;
    static final int WARM_AUTHORS = 20;
    static final boolean EMBEDDED = Boolean.parseBoolean(System.getProperty("cluster.tp-embedded", "true"));
    static final Duration LANDING = Duration.ofSeconds(Long.getLong("cluster.landing-seconds", 600));
    static final int RUNS = 4;

    @TempDir
    Path temp;

    final List<String> figures = new ArrayList<>();
    SandboxClient crm;
    long ticksPerSecond;

    record Run(String setup, int hubs, int mentions, double seconds, double hubCpuSeconds, double brokerCpuSeconds) {
        double perSecond() {
            return mentions / seconds;
        }

        double perCpuSecond() {
            return mentions / hubCpuSeconds;
        }
    }

    @Test
    @Timeout(value = 25, unit = TimeUnit.MINUTES)
    void oneTwoThreeHubs() throws Exception {
        assertThat(MENTIONS % AUTHORS).as("mentions per author").isZero();
        assertThat(PER_AUTHOR % KnownAuthors.ROUND).as("whole rounds of the load shape per author").isZero();
        ticksPerSecond = clockTicks();
        long t0 = System.nanoTime();
        int block = AUTHORS + WARM_AUTHORS * 3;
        Path seed = KnownAuthors.writeSeed(temp.resolve("seed"), block * RUNS, 0);
        List<Run> runs = new ArrayList<>();
        try (ClusterRig rig = ClusterRig.builder("tput", temp).seed(seed).start()) {
            crm = new SandboxClient(rig.sandboxPort());
            List<ChildHub> hubs = new ArrayList<>(rig.startHubs(1, b -> b));
            rig.awaitDirectory(hubs.get(0), block * RUNS, Duration.ofSeconds(180));
            figure("rig ready (broker, database, sandbox, hub a, %d identities) %.0f s after the start", block * RUNS, since(t0));
            for (int n = 1; n <= 3; n++) {
                if (n > 1) {
                    ChildHub added = rig.start(rig.hubBuilder("tput-hub-" + (char) ('a' + n - 1)));
                    added.awaitReady(ClusterRig.READY_TIMEOUT);
                    hubs.add(added);
                }
                runs.add(measure("external Artemis + PostgreSQL", hubs, (n - 1) * block, "tp" + n, brokerPid(rig)));
            }
            for (ChildHub hub : hubs) {
                hub.close();
            }
            if (EMBEDDED) {
                ChildHub embedded = ChildHub.builder("tput-embedded", temp.resolve("tput-embedded"))
                        .env("HEARTH_SALESFORCE_LOGIN_URL", rig.sandboxUrl())
                        .env("HEARTH_SALESFORCE_CLIENT_ID", "sandbox").env("HEARTH_SALESFORCE_CLIENT_SECRET", "sandbox")
                        .arg("--hearth.crm.writer.enabled=true")
                        .arg("--hearth.directory.enabled=true").arg("--hearth.directory.initial-delay=1000")
                        .build().start();
                try {
                    embedded.awaitReady(ClusterRig.READY_TIMEOUT);
                    rig.awaitDirectory(embedded, block * RUNS, Duration.ofSeconds(180));
                    runs.add(measure("embedded Artemis + H2", List.of(embedded), 3 * block, "tpe", -1));
                } finally {
                    embedded.close();
                }
            }
        } finally {
            table(runs);
            figure("whole test %.0f s", since(t0));
            Files.createDirectories(ClusterRig.ROOT.resolve("target"));
            Files.write(ClusterRig.ROOT.resolve("target/cluster-figures.txt"), figures,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        }
        assertThat(runs).hasSize(EMBEDDED ? 4 : 3);
    }

    /** A warm-up load to every hub, then the measured load spread over the hubs; authors from {@code first + 1}. */
    Run measure(String setup, List<ChildHub> hubs, int first, String prefix, long brokerPid) throws Exception {
        // warm-up: every hub judges a few rounds (JIT, pools, the rules' first reads) before the clock starts
        int warmFrom = first + AUTHORS;
        for (int h = 0; h < hubs.size(); h++) {
            List<Integer> warm = range(warmFrom + h * WARM_AUTHORS, WARM_AUTHORS);
            String warmPrefix = prefix + "w" + h;
            for (List<String> page : KnownAuthors.load(warmPrefix, warm, KnownAuthors.ROUND, 100)) {
                postUntilAccepted(hubs.get(h), page);
            }
            long need = (long) WARM_AUTHORS * KnownAuthors.ROUND;
            await().atMost(LANDING).pollInterval(Duration.ofSeconds(1)).ignoreExceptions()
                    .until(() -> KnownAuthors.mentions(crm::count, warmPrefix) >= need);
        }
        List<Integer> authors = range(first, AUTHORS);
        List<List<String>> pages = KnownAuthors.load(prefix, authors, PER_AUTHOR, 100);
        double[] cpuBefore = cpu(hubs, brokerPid);
        String loadBefore = loadAverage();
        long start = System.nanoTime();
        List<Thread> clients = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        for (int h = 0; h < hubs.size(); h++) {
            int hub = h;
            Thread client = new Thread(() -> {
                try {
                    for (int p = hub; p < pages.size(); p += hubs.size()) {
                        postUntilAccepted(hubs.get(hub), pages.get(p));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "client-" + h);
            client.start();
            clients.add(client);
        }
        await().atMost(LANDING).pollInterval(Duration.ofMillis(500)).ignoreExceptions()
                .until(() -> KnownAuthors.mentions(crm::count, prefix) >= MENTIONS);
        double seconds = since(start);
        double[] cpuAfter = cpu(hubs, brokerPid);
        for (Thread client : clients) {
            client.join();
        }
        assertThat(failures).as("posting").isEmpty();
        assertThat(KnownAuthors.mentions(crm::count, prefix)).as("every mention once").isEqualTo(MENTIONS);
        Run run = new Run(setup, hubs.size(), MENTIONS, seconds, cpuAfter[0] - cpuBefore[0],
                brokerPid > 0 ? cpuAfter[1] - cpuBefore[1] : -1);
        figure("%s, %d hub(s): %d mentions in %.1f s = %.1f mentions/s; hub CPU %.1f s = %.1f mentions per CPU-second;"
                        + " broker CPU %.1f s; machine load average (1 min) %s before, %s after", setup, run.hubs(),
                run.mentions(), run.seconds(), run.perSecond(), run.hubCpuSeconds(), run.perCpuSecond(),
                run.brokerCpuSeconds(), loadBefore, loadAverage());
        return run;
    }

    void table(List<Run> runs) {
        figure("| setup | hubs | mentions | seconds | mentions/s | hub CPU-s | mentions per hub CPU-s | broker CPU-s |");
        figure("|---|---|---|---|---|---|---|---|");
        for (Run r : runs) {
            figure("| %s | %d | %d | %.1f | %.1f | %.1f | %.1f | %s |", r.setup(), r.hubs(), r.mentions(), r.seconds(),
                    r.perSecond(), r.hubCpuSeconds(), r.perCpuSecond(),
                    r.brokerCpuSeconds() < 0 ? "(in the hub)" : String.format("%.1f", r.brokerCpuSeconds()));
        }
    }

    /** The broker JVM: this test's descendant process whose command line names the broker's instance folder. */
    static long brokerPid(ClusterRig rig) {
        String instance = rig.artemis().work().toString();
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().map(c -> c.contains(instance) && c.contains("java")).orElse(false))
                .mapToLong(ProcessHandle::pid).max().orElse(-1);
    }

    /** The machine's 1-minute load average (/proc/loadavg): how much else ran on the 2 cores meanwhile. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    static List<Integer> range(int after, int count) {
        return IntStream.rangeClosed(after + 1, after + count).boxed().toList();
    }

    /** [CPU seconds of all hub processes, of the broker process (-1 when none)]: utime + stime from /proc. */
    double[] cpu(List<ChildHub> hubs, long brokerPid) throws IOException {
        double hubTicks = 0;
        for (ChildHub hub : hubs) {
            hubTicks += ticks(hub.pid());
        }
        return new double[] {hubTicks / ticksPerSecond, brokerPid > 0 ? ticks(brokerPid) / (double) ticksPerSecond : -1};
    }

    /** utime + stime (fields 14 and 15 of /proc/<pid>/stat, counted after the command name's closing parenthesis). */
    static long ticks(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // f[0] is field 3 (state): utime is field 14 → f[11], stime field 15 → f[12]
        return Long.parseLong(f[11]) + Long.parseLong(f[12]);
    }

    static long clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            String out = new String(p.getInputStream().readAllBytes()).strip();
            p.waitFor(10, TimeUnit.SECONDS);
            return Long.parseLong(out);
        } catch (IOException | NumberFormatException e) {
            return 100;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 100;
        }
    }

    static void postUntilAccepted(ChildHub hub, List<String> page) throws Exception {
        ScaleOutClusterTest.postUntilAccepted(hub, page);
    }

    void figure(String format, Object... args) {
        String line = String.format("throughput %s: ", LocalDate.now(ZoneOffset.UTC)) + String.format(format, args);
        figures.add(line);
        System.out.println(line);
    }

    static double since(long nanos) {
        return (System.nanoTime() - nanos) / 1e9;
    }
}
