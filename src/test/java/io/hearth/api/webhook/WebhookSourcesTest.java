package io.hearth.api.webhook;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.hearth.config.ConfigurationValidator;
import io.hearth.config.HearthConfigurationException;
import io.hearth.config.HearthProperties;
import io.hearth.config.SourceDescriptor;
import org.junit.jupiter.api.Test;

/** The startup check demands the webhook secrets once a webhook source is enabled. */
class WebhookSourcesTest {

    private final WebhookSources sources = new WebhookSources();
    private final List<SourceDescriptor> descriptors = List.of(new SourceDescriptor("inbox", List.of()),
            sources.metaWebhookSource(), sources.xWebhookSource());

    private static HearthProperties with(String source, Map<String, String> settings) {
        HearthProperties properties = new HearthProperties();
        Map<String, Map<String, String>> all = new LinkedHashMap<>();
        all.put(source, settings);
        properties.setSources(all);
        return properties;
    }

    @Test
    void enabledMetaWithoutAppSecretStopsStartup() {
        assertThatThrownBy(() -> ConfigurationValidator.validate(
                with("meta", Map.of("enabled", "true", "verify-token", "t")), descriptors))
                .isInstanceOf(HearthConfigurationException.class)
                .hasMessageContaining("hearth.sources.meta.app-secret");
    }

    @Test
    void enabledMetaWithoutVerifyTokenStopsStartup() {
        assertThatThrownBy(() -> ConfigurationValidator.validate(
                with("meta", Map.of("enabled", "true", "app-secret", "s")), descriptors))
                .isInstanceOf(HearthConfigurationException.class)
                .hasMessageContaining("hearth.sources.meta.verify-token");
    }

    @Test
    void enabledXWebhookWithoutConsumerSecretStopsStartup() {
        assertThatThrownBy(() -> ConfigurationValidator.validate(
                with("x-webhook", Map.of("enabled", "true", "consumer-secret", " ")), descriptors))
                .isInstanceOf(HearthConfigurationException.class)
                .hasMessageContaining("hearth.sources.x-webhook.consumer-secret");
    }

    @Test
    void disabledSourcesNeedNoSecretsAndConfiguredOnesPass() {
        assertThatCode(() -> ConfigurationValidator.validate(with("meta", Map.of("enabled", "false")), descriptors))
                .doesNotThrowAnyException();
        // the relaxed key (consumersecret), as relaxed binding may bind it, counts too, as in the startup check
        assertThatCode(() -> ConfigurationValidator.validate(
                with("x-webhook", Map.of("enabled", "true", "consumersecret", "s")), descriptors))
                .doesNotThrowAnyException();
        org.assertj.core.api.Assertions.assertThat(WebhookSources.setting(
                with("x-webhook", Map.of("enabled", "true", "consumersecret", "s")), "x-webhook", "consumer-secret"))
                .isEqualTo("s");
    }
}
