package io.hearth.queue;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The no-progress watchdog's settings (the watchdog itself is {@code QueueWatchdog} in io.hearth.ops):
 * {@code hearth.queues.stall-after} is how long a stage queue may hold messages while none leaves it before health
 * says DOWN; {@code 0} turns the watchdog off.
 */
@ConfigurationProperties(prefix = "hearth.queues")
public class QueueWatchdogSettings {

    /** No progress for this long while messages wait: the stage is stalled. 0 turns the watchdog off. */
    private Duration stallAfter = Duration.ofMinutes(5);
    /** How often the watchdog looks at the queues. */
    private Duration stallCheckInterval = Duration.ofSeconds(5);
    /** Write a diagnostics file (queue depths, writer state, thread stacks) under data-dir/diagnostics on a new stall. */
    private boolean stallDump = true;

    /** Refuses settings the watchdog cannot work with, naming the setting (the start stops with it). */
    public QueueWatchdogSettings validated() {
        if (stallAfter == null || stallAfter.isNegative()) {
            throw new io.hearth.config.HearthConfigurationException("hearth.queues.stall-after",
                    "must be a duration of 0 (watchdog off) or more, e.g. 5m; was " + stallAfter);
        }
        if (stallCheckInterval == null || stallCheckInterval.isNegative() || stallCheckInterval.isZero()) {
            throw new io.hearth.config.HearthConfigurationException("hearth.queues.stall-check-interval",
                    "must be a positive duration, e.g. 5s; was " + stallCheckInterval);
        }
        return this;
    }

    public Duration getStallAfter() {
        return stallAfter;
    }

    public void setStallAfter(Duration stallAfter) {
        this.stallAfter = stallAfter;
    }

    public Duration getStallCheckInterval() {
        return stallCheckInterval;
    }

    public void setStallCheckInterval(Duration stallCheckInterval) {
        this.stallCheckInterval = stallCheckInterval;
    }

    public boolean isStallDump() {
        return stallDump;
    }

    public void setStallDump(boolean stallDump) {
        this.stallDump = stallDump;
    }
}
