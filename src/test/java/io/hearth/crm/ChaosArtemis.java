package io.hearth.crm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * An external ActiveMQ Artemis broker for the chaos suite's "broker restarted" row: {@code docker/artemis/run-local.sh}
 * (the official distribution from Maven Central, the shipped {@code docker/artemis/broker.xml}) with its own work
 * directory under {@code target/chaos-artemis} and a free loopback port, user hearth/hearth. {@link #stop()} ends it with
 * SIGTERM (Artemis' shutdown hook stops the broker cleanly), {@link #start()} runs it again on the same journal.
 */
final class ChaosArtemis implements AutoCloseable {

    static final String USER = "hearth";
    static final String PASSWORD = "hearth";

    private final Path root;
    private final Path work;
    private final int port;
    private Process process;
    private int run;

    ChaosArtemis(Path root, String name) {
        this.root = root;
        this.work = root.resolve("target").resolve("chaos-artemis").resolve(name + "-" + System.currentTimeMillis());
        this.port = freePort();
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Runs the broker (creating its instance the first time) and returns when its port accepts connections. */
    void start(Duration timeout) throws IOException, InterruptedException {
        Files.createDirectories(work);
        run++;
        ProcessBuilder pb = new ProcessBuilder(root.resolve("docker/artemis/run-local.sh").toString(), "run")
                .directory(root.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(work.resolve("broker-" + run + ".log").toFile()));
        pb.environment().put("ARTEMIS_WORK_DIR", work.toString());
        pb.environment().put("ARTEMIS_PORT", String.valueOf(port));
        pb.environment().put("ARTEMIS_USER", USER);
        pb.environment().put("ARTEMIS_PASSWORD", PASSWORD);
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
    void stop() throws InterruptedException {
        Process p = process;
        if (p == null) {
            return;
        }
        java.util.List<ProcessHandle> all = new java.util.ArrayList<>(p.descendants().toList());
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
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
