package io.hearth.source.mastodon;

import java.time.Duration;

import io.hearth.config.Secret;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hearth.sources.mastodon}: a Mastodon hashtag timeline ({@link MastodonTagSource}).
 *
 * @param hashtag the tag without {@code #} (required when enabled)
 * @param accessToken optional: public tag timelines need none on most instances
 * @param limit statuses per page (max 40)
 */
@ConfigurationProperties(prefix = "hearth.sources.mastodon")
public record MastodonSettings(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("https://mastodon.social") String baseUrl,
        String hashtag,
        @Secret String accessToken,
        @DefaultValue("60s") Duration pollInterval,
        @DefaultValue("40") int limit,
        @DefaultValue("60s") Duration rateLimitPause,
        @DefaultValue("15m") Duration authFailurePause) implements MastodonPagedSource.Settings {
}
