package io.hearth.api.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code hearth.security.*}: keys with one role each, beside the full-access {@code hearth.api-key}
 * (docs/security.md). Blank: that key is not configured. Secrets: set them in the environment
 * ({@code HEARTH_SECURITY_OPERATORKEY}, {@code HEARTH_SECURITY_VIEWERKEY}), never in config/application.yml.
 *
 * @param operatorKey bearer key with the roles OPERATOR and VIEWER (erasure, link codes, DLQ replay; reading)
 * @param viewerKey   bearer key with the role VIEWER only (metrics, health details, leaderboards, prospects)
 */
@ConfigurationProperties(prefix = "hearth.security")
public record SecuritySettings(String operatorKey, String viewerKey) {
}
