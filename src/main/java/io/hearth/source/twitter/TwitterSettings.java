package io.hearth.source.twitter;

import java.time.Duration;

import io.hearth.config.Secret;
import io.hearth.source.PollingSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hearth.sources.twitter}: the X API v1.1 mentions timeline through camel-twitter ({@link TwitterMentionsSource}),
 * OAuth 1.0a user context. All four keys are required when enabled.
 *
 * @param count mentions per poll (max 200)
 */
@ConfigurationProperties(prefix = "hearth.sources.twitter")
public record TwitterSettings(
        @DefaultValue("false") boolean enabled,
        String consumerKey,
        @Secret String consumerSecret,
        @Secret String accessToken,
        @Secret String accessTokenSecret,
        @DefaultValue("60s") Duration pollInterval,
        @DefaultValue("200") int count,
        @DefaultValue("60s") Duration rateLimitPause,
        @DefaultValue("15m") Duration authFailurePause) implements PollingSettings {
}
