package io.hearth.privacy;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hearth.privacy} (docs/privacy.md): what the privacy jobs decide with. The jobs' timers
 * ({@code enabled}, {@code interval}, {@code initial-delay}) are read by routes/jobs/privacy.camel.yaml.
 */
@ConfigurationProperties(prefix = "hearth.privacy")
public record PrivacySettings(@DefaultValue Retention retention, @DefaultValue Erasure erasure) {

    /** @param window post text and clear handles are purged from the mention log after this long */
    public record Retention(@DefaultValue("30d") Duration window) {
    }

    /**
     * @param maxAttempts a failing erasure request is retried this many times, then marked failed
     * @param cases what erasure does with the person's Cases: {@code redact} or {@code delete}
     */
    public record Erasure(@DefaultValue("10") int maxAttempts, @DefaultValue("redact") String cases) {
    }
}
