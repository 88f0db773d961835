package io.hearth.rules;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hearth.rules} (docs/rules.md). Whether rules run at all is {@code hearth.rules.enabled} (true unless set false;
 * read by {@link RulesConfiguration}'s condition).
 *
 * @param file the rules file, validated at startup and reloaded when it changes
 * @param checkInterval how often the file's modification time is compared
 */
@ConfigurationProperties(prefix = "hearth.rules")
public record RulesSettings(
        @DefaultValue("./config/rules.yml") String file,
        @DefaultValue("5s") Duration checkInterval) {
}
