package io.hearth.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Several hubs as real processes on shared engines, for the cluster tests (issue 12, profile {@code -Pcluster},
 * docs/scaling.md): an external Artemis from the official distribution ({@link ExternalArtemis}), a fresh PostgreSQL
 * database {@code hearth_<name>_<random>} on the local server (127.0.0.1:5432, user postgres; dropped on
 * {@link #close()}), the stand-alone Salesforce sandbox ({@code HEARTH_SANDBOX_ONLY=true}, a child JVM) as the one CRM,
 * and any number of hub JVMs ({@link ChildHub}) given only the broker, database and Salesforce settings (so leader
 * election defaults to postgres), with the CRM writer, the directory sync and the rules on.
 *
 * <pre>
 * try (ClusterRig rig = ClusterRig.builder("scale", tempDir).seed(seedFile).start()) {
 *     List&lt;ChildHub&gt; hubs = rig.startHubs(2, b -&gt; b);   // started and ready
 *     ... rig.sandboxUrl(), rig.artemis().stop()/start(...), hub.kill9(), rig.startHub("c", b -&gt; b.arg(...)) ...
 * }
 * </pre>
 */
public final class ClusterRig implements AutoCloseable {

    public static final Path ROOT = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().normalize();
    public static final String PG = "jdbc:postgresql://127.0.0.1:5432/";
    /** How long a hub may take to become ready: ~100 s each, several at once, on the shared 2-core machine. */
    public static final Duration READY_TIMEOUT = Duration.ofSeconds(Long.getLong("cluster.ready-timeout", 300));

    private final Builder settings;
    private final List<ChildHub> hubs = new ArrayList<>();
    private ExternalArtemis artemis;
    private String database;
    private ChildHub sandbox;
    private String sandboxUrl;
    /** Stops the child processes if this JVM ends without {@link #close()} (a fork killed at its time limit). */
    private final Thread reaper = new Thread(this::destroyChildren, "cluster-rig-reaper");

    private ClusterRig(Builder settings) {
        this.settings = settings;
        Runtime.getRuntime().addShutdownHook(reaper);
    }

    private void destroyChildren() {
        List<ProcessHandle> children = ProcessHandle.current().descendants().toList();
        children.forEach(ProcessHandle::destroyForcibly);
    }

    public static Builder builder(String name, Path temp) {
        return new Builder(name, temp);
    }

    public static final class Builder {
        private final String name;
        private final Path temp;
        private Path seed = ROOT.resolve("config/sandbox-seed.json");
        private String brokerJavaArgs = "-Xms64m -Xmx512m -XX:+UseSerialGC --add-opens java.base/jdk.internal.misc=ALL-UNNAMED";
        private final List<String> sandboxArgs = new ArrayList<>();

        private Builder(String name, Path temp) {
            this.name = name;
            this.temp = temp;
        }

        /** The sandbox's seed file (default: the shipped {@code config/sandbox-seed.json}). */
        public Builder seed(Path file) {
            this.seed = file;
            return this;
        }

        /** The broker JVM's options ({@code JAVA_ARGS}). */
        public Builder brokerJavaArgs(String args) {
            this.brokerJavaArgs = args;
            return this;
        }

        /** An extra argument of the sandbox, e.g. {@code --hearth.sandbox.latency=...}. */
        public Builder sandboxArg(String arg) {
            sandboxArgs.add(arg);
            return this;
        }

        /** Starts the broker, the database and the sandbox; returns when the sandbox and the broker answer. */
        public ClusterRig start() throws Exception {
            ClusterRig rig = new ClusterRig(this);
            try {
                rig.startEngines();
            } catch (Exception | Error e) {
                rig.close();
                throw e;
            }
            return rig;
        }
    }

    private void startEngines() throws Exception {
        String name = settings.name;
        database = "hearth_" + name.replaceAll("[^a-z0-9]", "") + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try (Connection c = DriverManager.getConnection(PG + "postgres", "postgres", "")) {
            c.createStatement().execute("CREATE DATABASE " + database);
        }
        ChildHub.Builder sb = ChildHub.builder(name + "-sandbox", settings.temp.resolve(name + "-sandbox"))
                .env("HEARTH_SANDBOX_ONLY", "true")
                .env("HEARTH_SANDBOX_SEED", settings.seed.toString())
                .arg("--hearth.sandbox.daily-api-budget=100000000")
                .jvmArg("-Xmx384m");
        settings.sandboxArgs.forEach(sb::arg);
        sandbox = sb.build().start();
        artemis = new ExternalArtemis(ROOT, "cluster-artemis", name, settings.brokerJavaArgs);
        artemis.start(Duration.ofSeconds(240));
        sandboxUrl = awaitSandbox(sandbox);
    }

    private static String awaitSandbox(ChildHub sandbox) {
        Pattern at = Pattern.compile("Stand-alone Salesforce sandbox at (http://\\S+) ");
        String[] url = new String[1];
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofMillis(300)).until(() -> {
            assertThat(sandbox.isAlive()).as(() -> "sandbox exited: " + sandbox.tail(40)).isTrue();
            Matcher m = at.matcher(sandbox.output());
            if (m.find()) {
                url[0] = m.group(1);
                return true;
            }
            return false;
        });
        return url[0];
    }

    // ---------------------------------------------------------------- hubs

    /**
     * A hub's builder with the rig's settings: the external broker ({@code HEARTH_BROKER_URL/_USER/_PASSWORD}), the
     * database ({@code HEARTH_DB_URL/_USER}), the sandbox as Salesforce ({@code HEARTH_SALESFORCE_*}), CRM writer and
     * directory sync on. Add a source or other settings, then {@link #start(ChildHub.Builder)} it.
     */
    public ChildHub.Builder hubBuilder(String name) {
        return ChildHub.builder(name, settings.temp.resolve(name))
                .externalBroker(artemis.url(), ExternalArtemis.USER, ExternalArtemis.PASSWORD)
                .env("HEARTH_DB_URL", jdbcUrl()).env("HEARTH_DB_USER", "postgres")
                .env("HEARTH_SALESFORCE_LOGIN_URL", sandboxUrl)
                .env("HEARTH_SALESFORCE_CLIENT_ID", "sandbox").env("HEARTH_SALESFORCE_CLIENT_SECRET", "sandbox")
                .arg("--hearth.crm.writer.enabled=true")
                .arg("--hearth.directory.enabled=true").arg("--hearth.directory.initial-delay=1000");
    }

    /** Starts a hub built with {@link #hubBuilder} (without waiting for it); the rig stops it on close. */
    public ChildHub start(ChildHub.Builder builder) {
        ChildHub hub = builder.build().start();
        hubs.add(hub);
        return hub;
    }

    /**
     * Starts {@code n} hubs {@code <rig>-hub-a, -b, …} at once, each from {@link #hubBuilder} through {@code extra}, and
     * returns when all are ready.
     */
    public List<ChildHub> startHubs(int n, UnaryOperator<ChildHub.Builder> extra) {
        List<ChildHub> started = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            started.add(start(extra.apply(hubBuilder(settings.name + "-hub-" + (char) ('a' + i)))));
        }
        for (ChildHub hub : started) {
            hub.awaitReady(READY_TIMEOUT);
        }
        return started;
    }

    /** Waits until the directory (shared state database) holds at least {@code entries} identities, as hub sees it. */
    public void awaitDirectory(ChildHub hub, int entries, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(500))
                .until(() -> hub.metric("hearth_directory_entries", null) >= entries);
    }

    // ---------------------------------------------------------------- engines

    public ExternalArtemis artemis() {
        return artemis;
    }

    public String jdbcUrl() {
        return PG + database;
    }

    public String database() {
        return database;
    }

    /** A connection to the rig's database (user postgres). */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "postgres", "");
    }

    public String sandboxUrl() {
        return sandboxUrl;
    }

    public int sandboxPort() {
        return java.net.URI.create(sandboxUrl).getPort();
    }

    public ChildHub sandbox() {
        return sandbox;
    }

    /** Stops the hubs, the sandbox and the broker, and drops the database. */
    @Override
    public void close() throws Exception {
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        for (int i = hubs.size() - 1; i >= 0; i--) {
            try {
                hubs.get(i).close();
            } catch (RuntimeException e) {
                System.err.println("cluster rig: stopping " + i + ": " + e);
            }
        }
        if (sandbox != null) {
            sandbox.close();
        }
        if (artemis != null) {
            artemis.close();
        }
        if (database != null) {
            try (Connection c = DriverManager.getConnection(PG + "postgres", "postgres", "")) {
                c.createStatement().execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            } catch (SQLException e) {
                System.err.println("cluster rig: dropping " + database + ": " + e);
            }
        }
    }

    /** For messages: what runs where. */
    @Override
    public String toString() {
        return "cluster rig " + settings.name + ": broker " + (artemis == null ? "-" : artemis.url()) + ", database " + database
                + ", sandbox " + sandboxUrl + ", " + hubs.size() + " hub(s)";
    }
}
