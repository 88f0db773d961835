package io.hearth.source.reddit;

import java.time.Duration;

import io.hearth.config.Secret;
import io.hearth.source.PollingSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hearth.sources.reddit}: Reddit search with an application-only OAuth token ({@link RedditSearchSource}).
 *
 * @param clientId the app's client id (required when enabled)
 * @param clientSecret the app's client secret (required when enabled)
 * @param userAgent {@code <platform>:<app id>:<version> (by /u/<reddit user>)} (required when enabled)
 * @param limit items per page (max 100)
 */
@ConfigurationProperties(prefix = "hearth.sources.reddit")
public record RedditSettings(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("https://oauth.reddit.com") String baseUrl,
        @DefaultValue("https://www.reddit.com/api/v1/access_token") String tokenUrl,
        String clientId,
        @Secret String clientSecret,
        String userAgent,
        String query,
        @DefaultValue("60s") Duration pollInterval,
        @DefaultValue("100") int limit,
        @DefaultValue("60s") Duration rateLimitPause,
        @DefaultValue("15m") Duration authFailurePause) implements PollingSettings {
}
