package io.hearth.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.QueueConnection;
import jakarta.jms.QueueRequestor;
import jakarta.jms.QueueSession;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.activemq.artemis.api.core.management.ResourceNames;
import org.apache.activemq.artemis.api.jms.ActiveMQJMSClient;
import org.apache.activemq.artemis.api.jms.management.JMSManagementHelper;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * A real hub in a child JVM: {@code java -cp <test classpath> io.hearth.HearthApplication}, run
 * from the project root (routes/ and config/ resolve as in production) on a data directory the
 * test owns, so it can be killed with SIGKILL and started again on the same journal and state
 * database. Each run gets fresh free ports: HTTP and a loopback TCP acceptor of the embedded
 * broker, through which the test reads the queues. Everything the child prints goes to
 * {@code target/child-hubs/<name>-<run>.log}.
 */
public final class ChildHub implements AutoCloseable {

    public static final String MAIN_CLASS = "io.hearth.HearthApplication";
    public static final Duration DEFAULT_READY_TIMEOUT = Duration.ofSeconds(90);

    private static final Path PROJECT_ROOT = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
            .toAbsolutePath().normalize();
    private static final Path LOG_DIR = PROJECT_ROOT.resolve("target").resolve("child-hubs");

    private final String name;
    private final Path dataDir;
    private final String apiKey;
    private final List<String> jvmArgs;
    private final List<String> args;
    private final Map<String, String> env;
    /** An external broker the child uses (the test reads the queues there), or null for the child's embedded one. */
    private final String[] externalBroker;
    private final HttpClient http = io.hearth.support.TestHttp.client();

    private Process process;
    private int run;
    private int httpPort;
    private int brokerPort;
    private Path log;

    private ChildHub(Builder builder) {
        this.name = builder.name;
        this.dataDir = builder.dataDir;
        this.apiKey = builder.apiKey;
        this.jvmArgs = List.copyOf(builder.jvmArgs);
        this.args = List.copyOf(builder.args);
        this.env = Map.copyOf(builder.env);
        this.externalBroker = builder.externalBroker;
    }

    public static Builder builder(String name, Path dataDir) {
        return new Builder(name, dataDir);
    }

    // ---------------------------------------------------------------- lifecycle

    /** Launches the child (a new run on the same data directory) without waiting for it. */
    public synchronized ChildHub start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
        }
        run++;
        httpPort = freePort();
        brokerPort = freePort();
        try {
            Files.createDirectories(LOG_DIR);
            log = LOG_DIR.resolve(name + "-" + run + ".log");
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.addAll(jvmArgs);
            // The classpath goes through an argument file: it can be longer than one command-line argument may be.
            Path argFile = LOG_DIR.resolve(name + "-" + run + ".classpath");
            Files.writeString(argFile, "-cp\n\"" + childClassPath().replace("\\", "\\\\") + "\"\n");
            command.add("@" + argFile);
            command.add(MAIN_CLASS);
            command.add("--server.port=" + httpPort);
            command.add("--hearth.data-dir=" + dataDir.toAbsolutePath());
            command.add("--hearth.api-key=" + apiKey);
            command.add("--hearth.broker.embedded-port=" + brokerPort);
            List<String> defaults = List.of(
                    "--hearth.sources.inbox.enabled=false",
                    "--hearth.sandbox.port=0", // the built-in Salesforce sandbox on a free port, never 8089
                    "--hearth.sandbox.replay=false", // no demo traffic among the test's mentions
                    "--hearth.directory.enabled=false", // no Salesforce job in a pipeline test
                    "--hearth.crm.writer.enabled=false"); // crm.outbound keeps what the pipeline decided
            // an arg() naming the same setting replaces its default (a repeated option would bind as "a,b")
            defaults.stream().filter(d -> args.stream().noneMatch(a -> a.startsWith(d.substring(0, d.indexOf('=') + 1))))
                    .forEach(command::add);
            command.addAll(args);
            ProcessBuilder pb = new ProcessBuilder(command)
                    .directory(PROJECT_ROOT.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            // The child must not inherit the test JVM's own Hearth settings, only the ones given here.
            pb.environment().keySet().removeIf(k -> k.startsWith("HEARTH_") || k.startsWith("SPRING_"));
            pb.environment().putAll(env);
            process = pb.start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /** Starts the child and waits until its health endpoint answers UP. */
    public ChildHub startAndAwaitReady() {
        return start().awaitReady(DEFAULT_READY_TIMEOUT);
    }

    /** Waits until {@code /actuator/health} answers 200; fails at once if the child exits. */
    public ChildHub awaitReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited with " + process.exitValue() + " before it was ready; its output ("
                        + log + "):\n" + tail(60));
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(uri("/actuator/health"))
                        .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return this;
                }
                last = health.statusCode() + " " + health.body();
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
            // Polling interval of a readiness probe, not a wait for an outcome.
            pauseQuietly(250);
        }
        throw new AssertionError(name + " not ready after " + timeout + " (last health answer: " + last + "); its output ("
                + log + "):\n" + tail(60));
    }

    /** Waits for the child to end on its own and returns its exit code. */
    public int awaitExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError(name + " still running after " + timeout + "; its output (" + log + "):\n" + tail(60));
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * {@code kill -9}: {@link Process#destroyForcibly()} sends SIGKILL on Linux. Returns once the
     * process is gone (exit code 137 = 128 + SIGKILL), so no shutdown hook, no flush, no commit ran.
     */
    public void kill9() {
        Process p = process;
        p.destroyForcibly();
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError(name + " (pid " + p.pid() + ") survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
        if (p.isAlive() || ProcessHandle.of(p.pid()).map(ProcessHandle::isAlive).orElse(false)) {
            throw new AssertionError(name + " (pid " + p.pid() + ") is still alive after SIGKILL");
        }
        if (p.exitValue() != 137) {
            throw new AssertionError(name + " ended with " + p.exitValue() + ", not by SIGKILL (137); output:\n" + tail(40));
        }
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ---------------------------------------------------------------- output

    public Path log() {
        return log;
    }

    /** Everything the current run printed so far. */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<String> outputLines() {
        return output().lines().toList();
    }

    public String tail(int lines) {
        List<String> all = outputLines();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    // ---------------------------------------------------------------- HTTP

    public int httpPort() {
        return httpPort;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + httpPort + path);
    }

    public HttpClient http() {
        return http;
    }

    /** POST with the hub's API key. */
    public HttpResponse<String> post(String path, String contentType, String body) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        // /actuator (but health's status) needs the key, like /api.
        return http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET()
                .header("Authorization", "Bearer " + apiKey).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of one Prometheus sample, e.g. {@code hearth_queue_consumed_total} with {@code queue="social.inbound"}; 0 when absent. */
    public double metric(String name, String labelMatch) throws IOException, InterruptedException {
        String body = get("/actuator/prometheus").body();
        return body.lines()
                .filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> labelMatch == null || l.contains(labelMatch))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }

    // ---------------------------------------------------------------- broker

    public int brokerPort() {
        return brokerPort;
    }

    /** A JMS client of the child's embedded broker (TCP on loopback). */
    public ActiveMQConnectionFactory brokerConnectionFactory() {
        if (externalBroker != null) {
            ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(externalBroker[0], externalBroker[1], externalBroker[2]);
            factory.setReconnectAttempts(0);
            factory.setCallTimeout(10_000);
            return factory;
        }
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("tcp://127.0.0.1:" + brokerPort);
        factory.setReconnectAttempts(0);
        factory.setCallTimeout(10_000);
        return factory;
    }

    /**
     * Browses a queue (without consuming) and hands every text body to {@code each}. The browser's
     * consumer window is unbounded: with the default 1 MiB window, Artemis' browser enumeration was
     * seen to end early (a queue of 3,000 messages browsed as fewer than 2,000) once the window
     * filled while the broker was busy. Compare with {@link #messageCounts} when completeness matters.
     */
    public void browse(String queue, Consumer<String> each) throws JMSException {
        try (ActiveMQConnectionFactory factory = brokerConnectionFactory();
             Connection connection = unboundedWindow(factory).createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = session.createQueue(queue);
            try (QueueBrowser browser = session.createBrowser(q)) {
                var messages = browser.getEnumeration();
                while (messages.hasMoreElements()) {
                    Message message = (Message) messages.nextElement();
                    each.accept(message instanceof TextMessage text ? text.getText() : message.getBody(String.class));
                }
            }
        }
    }

    private static ActiveMQConnectionFactory unboundedWindow(ActiveMQConnectionFactory factory) {
        factory.setConsumerWindowSize(-1);
        return factory;
    }

    public List<String> browse(String queue) throws JMSException {
        List<String> bodies = new ArrayList<>();
        browse(queue, bodies::add);
        return bodies;
    }

    /**
     * The broker's message count of each queue (management query; includes messages delivered to a
     * consumer whose transaction is still open), -1 for a queue the broker does not know.
     */
    public Map<String, Long> messageCounts(String... queues) throws JMSException {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (ActiveMQConnectionFactory factory = brokerConnectionFactory();
             QueueConnection connection = factory.createQueueConnection()) {
            connection.start();
            QueueSession session = connection.createQueueSession(false, Session.AUTO_ACKNOWLEDGE);
            QueueRequestor requestor = new QueueRequestor(session, ActiveMQJMSClient.createQueue("activemq.management"));
            for (String queue : queues) {
                Message request = session.createMessage();
                JMSManagementHelper.putAttribute(request, ResourceNames.QUEUE + queue, "messageCount");
                Message reply = requestor.request(request);
                Object result;
                try {
                    result = JMSManagementHelper.hasOperationSucceeded(reply) ? JMSManagementHelper.getResult(reply) : null;
                } catch (Exception e) {
                    result = null;
                }
                counts.put(queue, result instanceof Number n ? n.longValue() : -1L);
            }
            requestor.close();
        }
        return counts;
    }

    // ---------------------------------------------------------------- helpers

    /** The test JVM's classpath minus test classes: the child runs main code and its dependencies only. */
    private static String childClassPath() {
        String separator = System.getProperty("path.separator");
        return Arrays.stream(System.getProperty("java.class.path").split(separator))
                .filter(entry -> !entry.isBlank())
                .filter(entry -> !Path.of(entry).normalize().endsWith(Path.of("target", "test-classes")))
                .collect(Collectors.joining(separator));
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pauseQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static final class Builder {
        private final String name;
        private final Path dataDir;
        private String apiKey = "test-key";
        private final List<String> jvmArgs = new ArrayList<>(List.of("-Xmx512m", "-XX:+UseSerialGC"));
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> env = new LinkedHashMap<>();
        private String[] externalBroker;

        private Builder(String name, Path dataDir) {
            this.name = name;
            this.dataDir = dataDir;
        }

        public Builder apiKey(String key) {
            this.apiKey = key;
            return this;
        }

        /** An extra program argument, e.g. {@code --hearth.queues.batch-size=0}. */
        public Builder arg(String arg) {
            args.add(arg);
            return this;
        }

        public Builder jvmArg(String arg) {
            jvmArgs.add(arg);
            return this;
        }

        public Builder env(String name, String value) {
            env.put(name, value);
            return this;
        }

        /**
         * The child uses this external broker ({@code HEARTH_BROKER_URL/_USER/_PASSWORD}) instead of its embedded one,
         * and {@link #brokerConnectionFactory()} (queue counts, browsing) connects there.
         */
        public Builder externalBroker(String url, String user, String password) {
            externalBroker = new String[] {url, user, password};
            return env("HEARTH_BROKER_URL", url).env("HEARTH_BROKER_USER", user).env("HEARTH_BROKER_PASSWORD", password);
        }

        public ChildHub build() {
            return new ChildHub(this);
        }
    }
}
