package io.hearth.source.x;

import java.time.Duration;

import io.hearth.config.Secret;
import io.hearth.source.PollingSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hearth.sources.x}: X API v2 recent search ({@link XRecentSearchSource}).
 *
 * @param bearerToken the app's bearer token (required when enabled)
 * @param query X query syntax, at most 512 characters (required when enabled)
 * @param maxResults posts per page (10..100)
 * @param usageCapPause wait after the plan's usage cap (429 usage-capped)
 */
@ConfigurationProperties(prefix = "hearth.sources.x")
public record XSettings(
        @DefaultValue("false") boolean enabled,
        @Secret String bearerToken,
        String query,
        @DefaultValue("https://api.x.com") String baseUrl,
        @DefaultValue("60s") Duration pollInterval,
        @DefaultValue("100") int maxResults,
        @DefaultValue("60s") Duration rateLimitPause,
        @DefaultValue("15m") Duration authFailurePause,
        @DefaultValue("1h") Duration usageCapPause) implements PollingSettings {
}
