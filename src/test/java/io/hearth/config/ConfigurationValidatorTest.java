package io.hearth.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.util.unit.DataSize;

class ConfigurationValidatorTest {

    private static final List<SourceDescriptor> SOURCES = List.of(
            new SourceDescriptor("inbox", List.of()),
            new SourceDescriptor("x", List.of("bearer-token")),
            new SourceDescriptor("mastodon", List.of("base-url", "access-token")));

    private static HearthProperties withSources(Map<String, Map<String, String>> sources) {
        HearthProperties properties = new HearthProperties();
        properties.setSources(new LinkedHashMap<>(sources));
        return properties;
    }

    private static Map<String, String> settings(String... keyValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            map.put(keyValues[i], keyValues[i + 1]);
        }
        return map;
    }

    @Test
    void theDefaultsAreValid() {
        assertThatCode(() -> ConfigurationValidator.validate(new HearthProperties(), SOURCES)).doesNotThrowAnyException();
        assertThatCode(() -> ConfigurationValidator.validate(
                withSources(Map.of("inbox", settings("enabled", "true", "poll-delay", "1000"))), SOURCES))
                .doesNotThrowAnyException();
    }

    @Test
    void anUnknownSourceNamesTheSettingAndListsTheKnownOnes() {
        HearthProperties properties = withSources(Map.of("twitter", settings("enabled", "true")));

        assertThatThrownBy(() -> ConfigurationValidator.validate(properties, SOURCES))
                .isInstanceOfSatisfying(HearthConfigurationException.class,
                        e -> assertThat(e.setting()).isEqualTo("hearth.sources.twitter"))
                .hasMessage("hearth.sources.twitter: unknown source 'twitter'; known sources: inbox, mastodon, x");
    }

    @Test
    void anUnknownSourceIsRefusedEvenWhenDisabled() {
        HearthProperties properties = withSources(Map.of("twiter", settings("enabled", "false")));
        assertThatThrownBy(() -> ConfigurationValidator.validate(properties, SOURCES))
                .hasMessageStartingWith("hearth.sources.twiter: unknown source");
    }

    @Test
    void anEnabledSourceMissingACredentialNamesTheSettingAndItsEnvironmentVariable() {
        HearthProperties properties = withSources(Map.of("x", settings("enabled", "true")));

        assertThatThrownBy(() -> ConfigurationValidator.validate(properties, SOURCES))
                .isInstanceOfSatisfying(HearthConfigurationException.class,
                        e -> assertThat(e.setting()).isEqualTo("hearth.sources.x.bearer-token"))
                .hasMessage("hearth.sources.x.bearer-token: is not set, and source 'x' is enabled"
                        + " (set HEARTH_SOURCES_X_BEARERTOKEN)");
    }

    @Test
    void aBlankCredentialCountsAsMissing() {
        HearthProperties properties = withSources(Map.of("mastodon",
                settings("enabled", "true", "base-url", "https://mastodon.social", "access-token", "  ")));
        assertThatThrownBy(() -> ConfigurationValidator.validate(properties, SOURCES))
                .isInstanceOfSatisfying(HearthConfigurationException.class,
                        e -> assertThat(e.setting()).isEqualTo("hearth.sources.mastodon.access-token"))
                .hasMessageContaining("HEARTH_SOURCES_MASTODON_ACCESSTOKEN");
    }

    @Test
    void aDisabledSourceNeedsNoCredentials() {
        HearthProperties properties = withSources(Map.of("x", settings("enabled", "false")));
        assertThatCode(() -> ConfigurationValidator.validate(properties, SOURCES)).doesNotThrowAnyException();
        Map<String, Map<String, String>> empty = new HashMap<>();
        empty.put("x", null); // "x:" with nothing under it in YAML
        assertThatCode(() -> ConfigurationValidator.validate(withSources(empty), SOURCES)).doesNotThrowAnyException();
    }

    @Test
    void enabledMustBeABoolean() {
        HearthProperties properties = withSources(Map.of("inbox", settings("enabled", "yes")));
        assertThatThrownBy(() -> ConfigurationValidator.validate(properties, SOURCES))
                .isInstanceOfSatisfying(HearthConfigurationException.class,
                        e -> assertThat(e.setting()).isEqualTo("hearth.sources.inbox.enabled"))
                .hasMessage("hearth.sources.inbox.enabled: must be true or false, was 'yes'");
    }

    @Test
    void theEnvironmentVariableTheMessageNamesReallySatisfiesTheCheck() {
        // What the operator does after reading the message: export the variable it names.
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, Map.of(
                "HEARTH_SOURCES_X_ENABLED", "true",
                "HEARTH_SOURCES_X_BEARERTOKEN", "token-from-env")));
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        HearthProperties properties = Binder.get(environment).bind("hearth", HearthProperties.class).get();

        assertThat(properties.getSources()).containsKey("x");
        // Spring binds the variable as map key "bearertoken" (the dash cannot survive an env var name).
        assertThat(properties.getSources().get("x")).containsEntry("bearertoken", "token-from-env");
        assertThatCode(() -> ConfigurationValidator.validate(properties, SOURCES)).doesNotThrowAnyException();
    }

    @Test
    void theEnvironmentVariableWinsOverABlankYamlValue() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        Map.of("HEARTH_SOURCES_X_BEARERTOKEN", "token-from-env")));
        environment.getPropertySources().addLast(new MapPropertySource("yaml", Map.of(
                "hearth.sources.x.enabled", "true",
                "hearth.sources.x.bearer-token", "")));
        HearthProperties properties = Binder.get(environment).bind("hearth", HearthProperties.class).get();

        assertThatCode(() -> ConfigurationValidator.validate(properties, SOURCES)).doesNotThrowAnyException();
    }

    @Test
    void aCredentialSetInYamlIsFound() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("yaml", Map.of(
                "hearth.sources.x.enabled", "true",
                "hearth.sources.x.bearer-token", "token-from-yaml")));
        ConfigurationPropertySources.attach(environment);
        HearthProperties properties = Binder.get(environment).bind("hearth", HearthProperties.class).get();

        assertThatCode(() -> ConfigurationValidator.validate(properties, SOURCES)).doesNotThrowAnyException();
    }

    @Test
    void batchSizeMustBeBetween1And1000() {
        for (int ok : new int[] {1, 100, 1000}) {
            HearthProperties properties = new HearthProperties();
            properties.getQueues().setBatchSize(ok);
            assertThatCode(() -> ConfigurationValidator.validate(properties, SOURCES)).doesNotThrowAnyException();
        }
        for (int bad : new int[] {0, -5, 1001}) {
            HearthProperties properties = new HearthProperties();
            properties.getQueues().setBatchSize(bad);
            assertThatThrownBy(() -> ConfigurationValidator.validate(properties, SOURCES))
                    .isInstanceOfSatisfying(HearthConfigurationException.class,
                            e -> assertThat(e.setting()).isEqualTo("hearth.queues.batch-size"))
                    .hasMessage("hearth.queues.batch-size: must be between 1 and 1000, was " + bad);
        }
    }

    @Test
    void concurrentConsumersAndRedeliveryMustMakeSense() {
        HearthProperties noConsumers = new HearthProperties();
        noConsumers.getQueues().setConcurrentConsumers(0);
        assertThatThrownBy(() -> ConfigurationValidator.validate(noConsumers, SOURCES))
                .hasMessage("hearth.queues.concurrent-consumers: must be between 1 and 64, was 0");

        HearthProperties tooMany = new HearthProperties();
        tooMany.getQueues().setConcurrentConsumers(65);
        assertThatThrownBy(() -> ConfigurationValidator.validate(tooMany, SOURCES))
                .hasMessageStartingWith("hearth.queues.concurrent-consumers:");

        HearthProperties negative = new HearthProperties();
        negative.getQueues().getRedelivery().setMaxRedeliveries(-1);
        assertThatThrownBy(() -> ConfigurationValidator.validate(negative, SOURCES))
                .hasMessage("hearth.queues.redelivery.max-redeliveries: must not be negative");

        HearthProperties noAttempts = new HearthProperties();
        noAttempts.getQueues().getRedelivery().setMaxDeliveryAttempts(0);
        assertThatThrownBy(() -> ConfigurationValidator.validate(noAttempts, SOURCES))
                .hasMessage("hearth.queues.redelivery.max-delivery-attempts: must be at least 1");
    }

    @Test
    void environmentVariableNamesFollowSpringRelaxedBinding() {
        assertThat(ConfigurationValidator.environmentVariableOf("hearth.sources.x.bearer-token"))
                .isEqualTo("HEARTH_SOURCES_X_BEARERTOKEN");
        assertThat(ConfigurationValidator.environmentVariableOf("hearth.queues.batch-size"))
                .isEqualTo("HEARTH_QUEUES_BATCHSIZE");
    }

    @Test
    void theBrokerMemoryBoundDefaultsToAnEighthOfTheHeapAtMost128Megabytes() {
        assertThat(BrokerMemory.globalMaxSize(null, 512L << 20)).as("-Xmx512m").isEqualTo(64L << 20);
        assertThat(BrokerMemory.globalMaxSize(null, 4L << 30)).as("-Xmx4g: the ceiling").isEqualTo(128L << 20);
        assertThat(BrokerMemory.globalMaxSize(DataSize.ofMegabytes(32), 4L << 30)).as("set").isEqualTo(32L << 20);
    }

    @Test
    void aBrokerMemoryBoundBelowOneMegabyteOrAtHalfTheHeapIsRefusedNamingTheSetting() {
        long heap = 512L << 20;
        for (DataSize nonsense : List.of(DataSize.ofBytes(0), DataSize.ofKilobytes(512), DataSize.ofBytes(-1),
                DataSize.ofMegabytes(256), DataSize.ofGigabytes(2))) {
            HearthProperties properties = new HearthProperties();
            properties.getBroker().setGlobalMaxSize(nonsense);
            assertThatThrownBy(() -> ConfigurationValidator.validate(properties, SOURCES, heap)).as(nonsense.toString())
                    .isInstanceOf(HearthConfigurationException.class).hasMessageContaining("hearth.broker.global-max-size");
        }
        for (DataSize sensible : List.of(DataSize.ofMegabytes(1), DataSize.ofMegabytes(64), DataSize.ofMegabytes(255))) {
            HearthProperties properties = new HearthProperties();
            properties.getBroker().setGlobalMaxSize(sensible);
            assertThatCode(() -> ConfigurationValidator.validate(properties, SOURCES, heap)).as(sensible.toString())
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void withAnExternalBrokerTheEmbeddedBrokersMemoryBoundIsNotJudgedButSaidToHaveNoEffect() {
        ch.qos.logback.classic.Logger logger = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(
                ConfigurationValidator.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> lines =
                new ch.qos.logback.core.read.ListAppender<>();
        lines.start();
        logger.addAppender(lines);
        try {
            HearthProperties properties = new HearthProperties();
            properties.getBroker().setUrl("tcp://artemis.internal:61616");
            properties.getBroker().setGlobalMaxSize(DataSize.ofGigabytes(2));   // refused for an embedded broker
            assertThatCode(() -> ConfigurationValidator.validate(properties, SOURCES, 512L << 20)).doesNotThrowAnyException();
            assertThat(lines.list).extracting(ch.qos.logback.classic.spi.ILoggingEvent::getFormattedMessage)
                    .singleElement().asString().contains("hearth.broker.global-max-size").contains("no effect");
        } finally {
            logger.detachAppender(lines);
        }
    }

    @Test
    void theBrokerMemoryBoundBindsFromTheEnvironmentVariableTheReadmeNames() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                        Map.of("HEARTH_BROKER_GLOBALMAXSIZE", "32MB")));
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        HearthProperties properties = Binder.get(environment).bind("hearth", HearthProperties.class).get();

        assertThat(properties.getBroker().getGlobalMaxSize()).isEqualTo(DataSize.ofMegabytes(32));
    }
}
