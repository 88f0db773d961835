package io.hearth.source.mastodon;

import java.time.Duration;

import io.hearth.config.Secret;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hearth.sources.mastodon-notifications}: the brand account's mention notifications ({@link MastodonMentionsSource}).
 *
 * @param accessToken the brand account's token, scope {@code read:notifications} (required when enabled)
 * @param limit notifications per page (max 80)
 */
@ConfigurationProperties(prefix = "hearth.sources.mastodon-notifications")
public record MastodonNotificationsSettings(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("https://mastodon.social") String baseUrl,
        @Secret String accessToken,
        @DefaultValue("60s") Duration pollInterval,
        @DefaultValue("40") int limit,
        @DefaultValue("60s") Duration rateLimitPause,
        @DefaultValue("15m") Duration authFailurePause) implements MastodonPagedSource.Settings {
}
