package io.hearth.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The one results file of a benchmark run (issue 14): every {@code *Bench} appends its figures to
 * {@code target/bench/results.txt}. The first section a JVM opens starts the file afresh with a header (date, machine:
 * cores, load average, java, max heap), so one {@code ./mvnw -B -Pbench verify} (one surefire JVM for all benches) gives
 * one file; each section notes the load average when it starts and ends, since on a shared machine that is what the
 * wall-clock figures depend on. Lines are printed as they come ({@code [bench] } prefix) and appended at once, so a
 * bench that fails half-way still leaves what it measured.
 */
public final class BenchReport {

    public static final Path RESULTS = Path.of("target", "bench", "results.txt");

    private static boolean started;

    private final String name;

    private BenchReport(String name) {
        this.name = name;
    }

    /** Opens a section of the results file (the first one in this JVM truncates the file and writes the header). */
    public static BenchReport section(String title) {
        synchronized (BenchReport.class) {
            if (!started) {
                started = true;
                try {
                    Files.createDirectories(RESULTS.getParent());
                    Files.write(RESULTS, List.of(
                            "Hearth benchmark results, " + Instant.now().truncatedTo(ChronoUnit.SECONDS),
                            String.format(Locale.ROOT, "machine: %d cores (availableProcessors), load average at start %s, %s,"
                                    + " java %s (%s), benchmark JVM max heap %d MB", Runtime.getRuntime().availableProcessors(),
                                    loadAverage(), System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                                    System.getProperty("java.version"), System.getProperty("java.vm.name"),
                                    Runtime.getRuntime().maxMemory() >> 20)), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                Runtime.getRuntime().addShutdownHook(new Thread(() -> append(List.of("",
                        "run ended " + Instant.now().truncatedTo(ChronoUnit.SECONDS) + ", load average at end " + loadAverage()))));
            }
        }
        BenchReport report = new BenchReport(title);
        report.line("");
        report.line("== %s (started %s, load average %s)", title, Instant.now().truncatedTo(ChronoUnit.SECONDS), loadAverage());
        return report;
    }

    /** Prints and appends one line ({@link String#format} with the root locale when there are arguments). */
    public void line(String format, Object... args) {
        String text = args.length == 0 ? format : String.format(Locale.ROOT, format, args);
        System.out.println("[bench] " + text);
        System.out.flush();
        append(List.of(text));
    }

    /** Ends the section: its load average at the end. */
    public void end() {
        line("-- end of %s, load average %s", name, loadAverage());
    }

    /** The 1, 5 and 15 minute load averages ({@code /proc/loadavg}), or the JVM's 1 minute one elsewhere. */
    public static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException | RuntimeException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    /** p50 / p95 / max of latencies in milliseconds, as the CRM benches print them. */
    public static String latency(Collection<Long> millis) {
        List<Long> ms = new ArrayList<>(millis);
        if (ms.isEmpty()) {
            return "; latency: no samples";
        }
        Collections.sort(ms);
        return String.format(Locale.ROOT, "; ingest->CRM latency (%d samples) p50 %d ms, p95 %d ms, max %d ms", ms.size(),
                ms.get(ms.size() / 2), ms.get(Math.min(ms.size() - 1, (int) Math.ceil(ms.size() * 0.95) - 1)), ms.get(ms.size() - 1));
    }

    private static synchronized void append(List<String> lines) {
        try {
            Files.createDirectories(RESULTS.getParent());
            Files.write(RESULTS, lines, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
