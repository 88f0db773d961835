package io.hearth.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * An external ActiveMQ Artemis broker as a real process, for the chaos suite's "broker restarted" row and the cluster
 * tests ({@link ClusterRig}): {@code docker/artemis/run-local.sh} (the official distribution from Maven Central, the
 * shipped {@code docker/artemis/broker.xml}) on a free loopback port, user hearth/hearth. The distribution is unpacked
 * once into {@code target/artemis} (shared by every run); each broker gets its own instance (journal) under
 * {@code target/<dir>/<name>-<millis>}. {@link #stop()} ends it with SIGTERM (Artemis' shutdown hook stops the broker
 * cleanly), {@link #start(Duration)} runs it again on the same journal.
 */
public final class ExternalArtemis implements AutoCloseable {

    public static final String USER = "hearth";
    public static final String PASSWORD = "hearth";

    private final Path root;
    private final Path work;
    private final int port;
    private final String javaArgs;
    private Process process;
    private int run;

    /** A broker for the chaos suite: instance under {@code target/chaos-artemis}, Artemis' own JVM options. */
    public ExternalArtemis(Path root, String name) {
        this(root, "chaos-artemis", name, null);
    }

    /**
     * @param dir      the folder under {@code target} for this broker's instance
     * @param javaArgs the broker JVM's options ({@code JAVA_ARGS}), or null for the distribution's defaults
     */
    public ExternalArtemis(Path root, String dir, String name, String javaArgs) {
        this.root = root;
        this.work = root.resolve("target").resolve(dir).resolve(name + "-" + System.currentTimeMillis());
        this.port = freePort();
        this.javaArgs = javaArgs;
    }

    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The instance folder (journal, logs of every run). */
    public Path work() {
        return work;
    }

    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** Runs the broker (creating its instance the first time) and returns when its port accepts connections. */
    public void start(Duration timeout) throws IOException, InterruptedException {
        Files.createDirectories(work);
        run++;
        ProcessBuilder pb = new ProcessBuilder(root.resolve("docker/artemis/run-local.sh").toString(), "run")
                .directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("broker-" + run + ".log").toFile()));
        pb.environment().put("ARTEMIS_WORK_DIR", root.resolve("target").resolve("artemis").toString());
        pb.environment().put("ARTEMIS_INSTANCE", work.resolve("instance").toString());
        pb.environment().put("ARTEMIS_PORT", String.valueOf(port));
        pb.environment().put("ARTEMIS_USER", USER);
        pb.environment().put("ARTEMIS_PASSWORD", PASSWORD);
        if (javaArgs != null) {
            pb.environment().put("JAVA_ARGS", javaArgs);
        }
        process = pb.start();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the broker exited with " + process.exitValue() + "; see " + work);
            }
            try (Socket s = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException notYet) {
                Thread.sleep(250); // polling a starting broker's port
            }
        }
        throw new IllegalStateException("the broker did not listen on " + port + " within " + timeout + "; see " + work);
    }

    /** SIGTERM to the broker JVM (and the scripts around it); returns when it has exited. */
    public void stop() throws InterruptedException {
        Process p = process;
        if (p == null) {
            return;
        }
        List<ProcessHandle> all = new ArrayList<>(p.descendants().toList());
        all.add(p.toHandle());
        all.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (all.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Thread.sleep(250); // the broker JVM finishing its shutdown
        }
        all.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
        process = null;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
