package io.hearth.source;

import java.time.Duration;

/**
 * The settings every HTTP polling source has (each source's settings record implements this). Defaults live in the
 * records ({@code @DefaultValue}), and nowhere else; the README's source settings table lists them.
 */
public interface PollingSettings {

    /** Whether the source's route starts. */
    boolean enabled();

    /** Time between two polls. */
    Duration pollInterval();

    /** Wait after a rate-limit refusal whose answer names no reset time. */
    Duration rateLimitPause();

    /** Wait (DOWN) after refused credentials or access (401/403). */
    Duration authFailurePause();

    /**
     * Wait (DOWN) after the plan's quota or usage cap. One hour for sources whose API has no such cap (the decision
     * never arises there); X overrides it with its setting {@code usage-cap-pause}.
     */
    default Duration usageCapPause() {
        return Duration.ofHours(1);
    }
}
