package io.hearth.source;

import java.util.List;

import io.hearth.config.SourceDescriptor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The polling sources the hub has, with the settings each needs when enabled (URLs have defaults in the settings
 * records, so only credentials and queries are required here).
 */
@Configuration(proxyBeanMethods = false)
public class SourcesConfiguration {

    @Bean
    SourceDescriptor xSource() {
        return new SourceDescriptor("x", List.of("bearer-token", "query"));
    }

    @Bean
    SourceDescriptor twitterSource() {
        return new SourceDescriptor("twitter", List.of("consumer-key", "consumer-secret", "access-token", "access-token-secret"));
    }

    @Bean
    SourceDescriptor mastodonSource() {
        return new SourceDescriptor("mastodon", List.of("hashtag"));
    }

    @Bean
    SourceDescriptor mastodonNotificationsSource() {
        return new SourceDescriptor("mastodon-notifications", List.of("access-token"));
    }

    @Bean
    SourceDescriptor blueskySource() {
        return new SourceDescriptor("bluesky", List.of("query"));
    }

    @Bean
    SourceDescriptor youtubeSource() {
        return new SourceDescriptor("youtube", List.of("api-key"));
    }

    @Bean
    SourceDescriptor redditSource() {
        return new SourceDescriptor("reddit", List.of("client-id", "client-secret", "user-agent", "query"));
    }

    @Bean
    SourceDescriptor forumSource() {
        return new SourceDescriptor("forum", List.of("feeds"));
    }
}
