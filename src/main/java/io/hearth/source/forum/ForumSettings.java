package io.hearth.source.forum;

import java.time.Duration;

import io.hearth.source.PollingSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hearth.sources.forum}: RSS/Atom feeds fetched with conditional GETs ({@link ForumFeedSource}).
 *
 * @param feeds comma-separated http(s) feed URLs (required when enabled)
 */
@ConfigurationProperties(prefix = "hearth.sources.forum")
public record ForumSettings(
        @DefaultValue("false") boolean enabled,
        String feeds,
        @DefaultValue("5m") Duration pollInterval,
        @DefaultValue("5m") Duration rateLimitPause,
        @DefaultValue("15m") Duration authFailurePause) implements PollingSettings {
}
