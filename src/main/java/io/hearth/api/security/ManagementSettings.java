package io.hearth.api.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code hearth.management.user} / {@code .password}: optional HTTP Basic credentials with the role VIEWER, meant for a
 * Prometheus scrape config that cannot send a bearer key. Both blank: not configured.
 */
@ConfigurationProperties(prefix = "hearth.management")
public record ManagementSettings(String user, String password) {
}
