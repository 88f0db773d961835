package io.hearth.crm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A private PostgreSQL cluster for the chaos suite's "state database down" row: {@code initdb} into
 * {@code target/chaos-pg/<name>} and {@code pg_ctl start} on a free loopback port (never the machine's shared cluster on
 * 5432), so the test can stop it and start it again. The server refuses to run as root, so when the test runs as root
 * every command runs as the {@code postgres} user ({@code runuser -u postgres --}). Binaries: {@code -Dchaos.pg-bin}
 * (default: {@code initdb}/{@code pg_ctl} from the PATH).
 */
final class ChaosPostgres implements AutoCloseable {

    private static final String BIN = System.getProperty("chaos.pg-bin", "");
    private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private final Path dataDir;
    private final Path log;
    private final int port;
    private boolean running;

    private ChaosPostgres(Path dataDir, int port) {
        this.dataDir = dataDir;
        this.log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        this.port = port;
    }

    /** initdb (trust authentication, superuser {@code postgres}) into a fresh directory under target/chaos-pg, then start. */
    static ChaosPostgres create(String name) {
        Path base = Path.of(System.getProperty("basedir", System.getProperty("user.dir")), "target", "chaos-pg").toAbsolutePath();
        Path dir = base.resolve(name + "-" + System.currentTimeMillis());
        try {
            Files.createDirectories(base);
            if (ROOT) {
                run(List.of("chown", "postgres", base.toString()), false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChaosPostgres pg = new ChaosPostgres(dir, freePort());
        run(pg.asPostgres(List.of(bin("initdb"), "-D", dir.toString(), "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8")), true);
        pg.start();
        return pg;
    }

    String jdbcUrl() {
        return "jdbc:postgresql://127.0.0.1:" + port + "/postgres";
    }

    int port() {
        return port;
    }

    /** {@code pg_ctl start -w}: returns when the server accepts connections. */
    void start() {
        run(asPostgres(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-l", log.toString(), "-w", "-t", "120",
                "-o", "-p " + port + " -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off", "start")), true);
        running = true;
    }

    /**
     * {@code pg_ctl stop -m immediate}: the server ends at once, without a checkpoint, every connection cut (as a crashed
     * or fenced-off database server); its next start runs crash recovery.
     */
    void stopImmediately() {
        run(asPostgres(List.of(bin("pg_ctl"), "-D", dataDir.toString(), "-m", "immediate", "-w", "stop")), true);
        running = false;
    }

    @Override
    public void close() {
        if (running) {
            try {
                stopImmediately();
            } catch (RuntimeException e) {
                System.out.println("[chaos] could not stop the private PostgreSQL in " + dataDir + ": " + e.getMessage());
            }
        }
    }

    private List<String> asPostgres(List<String> command) {
        if (!ROOT) {
            return command;
        }
        List<String> out = new ArrayList<>(List.of("runuser", "-u", "postgres", "--"));
        out.addAll(command);
        return out;
    }

    private static String bin(String tool) {
        return BIN.isBlank() ? tool : Path.of(BIN, tool).toString();
    }

    private static void run(List<String> command, boolean check) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(180, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("timed out: " + command);
            }
            if (check && p.exitValue() != 0) {
                throw new IllegalStateException(command + " exited with " + p.exitValue() + ":\n" + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted: " + command, e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
