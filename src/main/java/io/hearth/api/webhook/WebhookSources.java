package io.hearth.api.webhook;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.hearth.config.HearthProperties;
import io.hearth.config.SourceDescriptor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The two webhook sources and their settings. {@code hearth.sources.meta} (Facebook Page and
 * Instagram webhooks, channel {@code meta}) needs {@code app-secret} and {@code verify-token};
 * {@code hearth.sources.x-webhook} (X Account Activity, channel {@code x-activity}) needs
 * {@code consumer-secret}. The startup check demands them when the source is enabled.
 */
@Configuration(proxyBeanMethods = false)
public class WebhookSources {

    public static final String META = "meta";
    public static final String X = "x-webhook";

    @Bean
    SourceDescriptor metaWebhookSource() {
        return new SourceDescriptor(META, List.of("app-secret", "verify-token"));
    }

    @Bean
    SourceDescriptor xWebhookSource() {
        return new SourceDescriptor(X, List.of("consumer-secret"));
    }

    /** Whether {@code hearth.sources.<source>.enabled} is true. */
    static boolean enabled(HearthProperties properties, String source) {
        return "true".equals(settings(properties, source).getOrDefault("enabled", "false").strip());
    }

    /**
     * A setting of a source, or null when blank. As in the startup check, the dashed key from YAML
     * ({@code app-secret}) and the relaxed form bound from the environment ({@code appsecret}) both count.
     */
    static String setting(HearthProperties properties, String source, String key) {
        Map<String, String> settings = settings(properties, source);
        String value = settings.get(key);
        if (value == null || value.isBlank()) {
            value = settings.get(key.replace("-", "").toLowerCase(Locale.ROOT));
        }
        return value == null || value.isBlank() ? null : value;
    }

    private static Map<String, String> settings(HearthProperties properties, String source) {
        Map<String, String> settings = properties.getSources().get(source);
        return settings == null ? Map.of() : settings;
    }
}
