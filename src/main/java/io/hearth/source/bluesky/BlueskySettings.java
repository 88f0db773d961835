package io.hearth.source.bluesky;

import java.time.Duration;

import io.hearth.config.Secret;
import io.hearth.source.PollingSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hearth.sources.bluesky}: Bluesky post search on an AppView ({@link BlueskySearchSource}).
 *
 * @param query the AppView's search syntax (required when enabled)
 * @param accessToken optional: an accessJwt of the brand's account, for an AppView that requires one
 * @param limit posts per page (1..100)
 */
@ConfigurationProperties(prefix = "hearth.sources.bluesky")
public record BlueskySettings(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("https://public.api.bsky.app") String baseUrl,
        String query,
        @Secret String accessToken,
        @DefaultValue("60s") Duration pollInterval,
        @DefaultValue("100") int limit,
        @DefaultValue("60s") Duration rateLimitPause,
        @DefaultValue("15m") Duration authFailurePause) implements PollingSettings {
}
