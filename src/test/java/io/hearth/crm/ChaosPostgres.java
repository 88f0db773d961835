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
 * (default: {@code initdb}/{@code pg_ctl} from the PATH, else the newest {@code /usr/lib/postgresql/<version>/bin}; none:
 * the row fails at once with a message that says so).
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
        return Path.of(binDir(), tool).toString();
    }

    private static String binDir;

    /**
     * Where initdb and pg_ctl are: {@code -Dchaos.pg-bin}, else the directory of {@code initdb} on the PATH, else the newest
     * {@code /usr/lib/postgresql/<version>/bin} (Debian's packages, as on CI, keep them off the PATH). None: a clear error.
     */
    static synchronized String binDir() {
        if (binDir != null) {
            return binDir;
        }
        List<Path> candidates = new ArrayList<>();
        if (!BIN.isBlank()) {
            candidates.add(Path.of(BIN));
        } else {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
                if (!dir.isBlank()) {
                    candidates.add(Path.of(dir));
                }
            }
            Path debian = Path.of("/usr/lib/postgresql");
            if (Files.isDirectory(debian)) {
                try (var versions = Files.list(debian)) {
                    versions.map(v -> v.resolve("bin"))
                            .sorted(java.util.Comparator.comparingInt(ChaosPostgres::majorVersion).reversed())
                            .forEach(candidates::add);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        for (Path dir : candidates) {
            if (Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"))) {
                binDir = dir.toAbsolutePath().toString();
                return binDir;
            }
        }
        throw new IllegalStateException("The chaos suite's state-database row needs the PostgreSQL server binaries (initdb, pg_ctl): "
                + (BIN.isBlank() ? "none on the PATH nor in /usr/lib/postgresql/*/bin; install the postgresql package or set"
                        + " -Dchaos.pg-bin=<dir>" : "not in -Dchaos.pg-bin=" + BIN));
    }

    private static int majorVersion(Path bin) {
        try {
            return Integer.parseInt(bin.getParent().getFileName().toString());
        } catch (NumberFormatException e) {
            return -1;
        }
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
