package io.hearth.source.youtube;

import java.time.Duration;

import io.hearth.config.Secret;
import io.hearth.source.PollingSettings;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hearth.sources.youtube}: YouTube comment threads of one video or of the brand's channel ({@link YoutubeCommentsSource}).
 *
 * @param apiKey the Data API key (required when enabled)
 * @param videoId one video; set exactly one of videoId and channelId
 * @param channelId all threads of the channel; set exactly one of videoId and channelId
 * @param maxResults threads per page (1..100); each page costs 1 unit of the daily quota
 */
@ConfigurationProperties(prefix = "hearth.sources.youtube")
public record YoutubeSettings(
        @DefaultValue("false") boolean enabled,
        @DefaultValue("https://www.googleapis.com") String baseUrl,
        @Secret String apiKey,
        String videoId,
        String channelId,
        @DefaultValue("5m") Duration pollInterval,
        @DefaultValue("100") int maxResults,
        @DefaultValue("60s") Duration rateLimitPause,
        @DefaultValue("15m") Duration authFailurePause) implements PollingSettings {
}
