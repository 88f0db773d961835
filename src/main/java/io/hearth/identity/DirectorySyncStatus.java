package io.hearth.identity;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * How the contact directory sync went: health component {@code directory} (last sync, mode, records, entries, last
 * error) and metrics {@code hearth_directory_syncs_total{result}}, {@code hearth_directory_records_synced_total},
 * {@code hearth_directory_last_sync_timestamp_seconds}, {@code hearth_directory_entries}.
 * A failed sync does not make the hub DOWN (the directory still answers, from the last good copy); health says why.
 */
@Component("directory")
public class DirectorySyncStatus extends AbstractHealthIndicator {

    /** One finished sync. */
    /** @param orgApiUsage the org's daily API usage after the sync ({@code N/M} from Sforce-Limit-Info), null if unknown */
    public record Sync(Instant at, boolean full, long records, Duration took, long apiCalls, String orgApiUsage) {
    }

    /** How long health waits for the entry count before it shows the last one read. */
    static final Duration ENTRIES_BUDGET = Duration.ofMillis(500);
    /** How long a metric scrape waits for it. */
    static final Duration GAUGE_BUDGET = Duration.ofMillis(250);

    private final AtomicReference<Sync> last = new AtomicReference<>();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final AtomicReference<Instant> lastErrorAt = new AtomicReference<>();
    private final boolean enabled;
    private final ContactDirectory directory;
    private final Counter ok;
    private final Counter failed;
    private final Counter records;
    /** The directory's size, read without holding health or a metric scrape when the state database is down. */
    private final io.hearth.state.BoundedRead<Double> entries;

    public DirectorySyncStatus(MeterRegistry registry, ContactDirectory directory, Environment environment) {
        this.directory = directory;
        this.enabled = environment.getProperty("hearth.directory.enabled", Boolean.class, true);
        this.ok = Counter.builder("hearth.directory.syncs").tag("result", "ok").register(registry);
        this.failed = Counter.builder("hearth.directory.syncs").tag("result", "failed").register(registry);
        this.records = Counter.builder("hearth.directory.records.synced").register(registry);
        this.entries = new io.hearth.state.BoundedRead<>(() -> safeSize(directory), -1.0);
        Gauge.builder("hearth.directory.last.sync.timestamp", last, l -> l.get() == null ? 0 : l.get().at().getEpochSecond())
                .baseUnit("seconds").register(registry);
        // a scrape waits at most GAUGE_BUDGET, else shows the last count read (-1: none read yet)
        Gauge.builder("hearth.directory.entries", entries, e -> e.get(GAUGE_BUDGET)).register(registry);
    }

    public void succeeded(Sync sync) {
        last.set(sync);
        lastError.set(null);
        lastErrorAt.set(null);
        ok.increment();
        records.increment(sync.records());
    }

    public void failed(Instant at, String reason) {
        lastError.set(reason);
        lastErrorAt.set(at);
        failed.increment();
    }

    public Sync last() {
        return last.get();
    }

    public String lastError() {
        return lastError.get();
    }

    public Instant lastErrorAt() {
        return lastErrorAt.get();
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("enabled", enabled);
        Sync sync = last.get();
        if (sync != null) {
            details.put("lastSyncAt", sync.at().toString());
            details.put("lastSyncMode", sync.full() ? "full" : "incremental");
            details.put("lastSyncRecords", sync.records());
            details.put("lastSyncApiCalls", sync.apiCalls());
            if (sync.orgApiUsage() != null) {
                details.put("orgApiUsage", sync.orgApiUsage());
            }
        }
        // at most ENTRIES_BUDGET: with the state database down a count waited 30 s for a connection, and health with it
        details.put("entries", entries.get(ENTRIES_BUDGET));
        if (lastError.get() != null) {
            details.put("lastError", lastError.get());
            details.put("lastErrorAt", String.valueOf(lastErrorAt.get()));
        }
        builder.up().withDetails(details);
    }

    private static double safeSize(ContactDirectory directory) {
        try {
            return directory.size();
        } catch (RuntimeException e) {
            return -1;
        }
    }
}
