package io.hearth.config;

import org.springframework.util.unit.DataSize;

/**
 * How much heap the embedded broker may fill with queued messages before it pages them to disk (Artemis
 * {@code global-max-size}). Artemis's own default is half the max heap: at {@code -Xmx512m} a 100,000-mention burst
 * then sat in the heap as ~93,000 messages and the hub spent its time in full collections (docs/benchmark.md, item 4).
 * The hub shares the heap with its broker and needs most of it for its own work (stage batches, the state database's
 * cache, the CRM writer's held commands), so the default here is an eighth of the max heap, at most 128 MB: 64 MB at
 * {@code -Xmx512m}. Beyond 128 MB more memory buys the broker nothing the disk does not: a backlog is read back from the
 * paging files in order as the consumers drain it.
 */
public final class BrokerMemory {

    /** The ceiling of the derived default. */
    public static final DataSize DEFAULT_CEILING = DataSize.ofMegabytes(128);
    /** Below this a broker pages almost every message of a stage batch: a typing error, not a bound. */
    public static final DataSize MINIMUM = DataSize.ofMegabytes(1);

    private BrokerMemory() {
    }

    /** The bound in bytes: the setting when given, else min(max heap / 8, 128 MB). */
    public static long globalMaxSize(DataSize configured, long maxHeap) {
        if (configured != null) {
            return configured.toBytes();
        }
        return Math.min(maxHeap / 8, DEFAULT_CEILING.toBytes());
    }

    /**
     * Why the configured bound makes no sense, or null. A bound of half the heap or more is Artemis's default
     * again (the case this setting exists to avoid) and leaves the hub too little; below {@link #MINIMUM} is a typo.
     */
    public static String problem(DataSize configured, long maxHeap) {
        if (configured == null) {
            return null;
        }
        long bytes = configured.toBytes();
        if (bytes < MINIMUM.toBytes()) {
            return "must be at least 1MB, was " + configured;
        }
        if (bytes >= maxHeap / 2) {
            return "must be below half the max heap (" + (maxHeap >> 20) + "MB: -Xmx) so queued messages page to disk before"
                    + " they crowd out the hub, was " + configured + "; leave it unset for min(heap/8, 128MB)";
        }
        return null;
    }
}
