package io.hearth.config;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks the settings that Spring's binding cannot: which sources exist, what an enabled source
 * needs, and that the queue settings make sense. Throws {@link HearthConfigurationException}
 * naming the first offending setting.
 */
public final class ConfigurationValidator {

    private ConfigurationValidator() {
    }

    public static void validate(HearthProperties properties, List<SourceDescriptor> sources) {
        validate(properties, sources, Runtime.getRuntime().maxMemory());
    }

    /** {@code maxHeap}: the JVM's max heap, a parameter so the broker memory bound's check is testable. */
    static void validate(HearthProperties properties, List<SourceDescriptor> sources, long maxHeap) {
        Set<String> known = new TreeSet<>();
        sources.forEach(s -> known.add(s.name()));
        for (Map.Entry<String, Map<String, String>> entry : properties.getSources().entrySet()) {
            String name = entry.getKey();
            String prefix = "hearth.sources." + name;
            if (!known.contains(name)) {
                throw new HearthConfigurationException(prefix, "unknown source '" + name + "'; known sources: "
                        + String.join(", ", known));
            }
            Map<String, String> settings = entry.getValue() == null ? Map.of() : entry.getValue();
            String enabled = settings.getOrDefault("enabled", "false").strip();
            if (!enabled.equals("true") && !enabled.equals("false")) {
                throw new HearthConfigurationException(prefix + ".enabled", "must be true or false, was '" + enabled + "'");
            }
            if (enabled.equals("true")) {
                SourceDescriptor descriptor = sources.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
                for (String required : descriptor.requiredSettings()) {
                    String value = settingOf(settings, required);
                    if (value == null || value.isBlank()) {
                        throw new HearthConfigurationException(prefix + "." + required, "is not set, and source '" + name
                                + "' is enabled (set " + environmentVariableOf(prefix + "." + required) + ")");
                    }
                }
            }
        }
        if (properties.getBroker().isEmbedded()) {
            String brokerMemory = BrokerMemory.problem(properties.getBroker().getGlobalMaxSize(), maxHeap);
            if (brokerMemory != null) {
                throw new HearthConfigurationException("hearth.broker.global-max-size", brokerMemory);
            }
        } else if (properties.getBroker().getGlobalMaxSize() != null) {
            // bounds this JVM's embedded broker only: judged against this heap it could refuse a start for nothing
            org.slf4j.LoggerFactory.getLogger(ConfigurationValidator.class).warn("hearth.broker.global-max-size is set"
                    + " but hearth.broker.url names an external broker: the setting has no effect here (bound that"
                    + " broker's memory with global-max-size in its broker.xml, as docker/artemis/broker.xml does)");
        }
        HearthProperties.Queues queues = properties.getQueues();
        if (queues.getBatchSize() < 1 || queues.getBatchSize() > 1000) {
            throw new HearthConfigurationException("hearth.queues.batch-size", "must be between 1 and 1000, was " + queues.getBatchSize());
        }
        if (queues.getConcurrentConsumers() < 1 || queues.getConcurrentConsumers() > 64) {
            throw new HearthConfigurationException("hearth.queues.concurrent-consumers", "must be between 1 and 64, was "
                    + queues.getConcurrentConsumers());
        }
        if (queues.getRedelivery().getMaxRedeliveries() < 0) {
            throw new HearthConfigurationException("hearth.queues.redelivery.max-redeliveries", "must not be negative");
        }
        if (queues.getRedelivery().getMaxDeliveryAttempts() < 1) {
            throw new HearthConfigurationException("hearth.queues.redelivery.max-delivery-attempts", "must be at least 1");
        }
    }

    /**
     * A source setting as bound into the map: from YAML the key keeps its dashes ({@code bearer-token}),
     * from the environment variable ({@code HEARTH_SOURCES_X_BEARERTOKEN}) Spring binds it as
     * {@code bearertoken}. Either, when not blank, counts (Camel's {{...}} placeholders see both).
     */
    public static String settingOf(Map<String, String> settings, String key) {
        String value = settings.get(key);
        if (value == null || value.isBlank()) {
            String fromEnvironment = settings.get(key.replace("-", "").toLowerCase(java.util.Locale.ROOT));
            if (fromEnvironment != null && !fromEnvironment.isBlank()) {
                return fromEnvironment;
            }
        }
        return value;
    }

    /** Spring's relaxed binding: hearth.sources.x.bearer-token ← HEARTH_SOURCES_X_BEARERTOKEN. */
    static String environmentVariableOf(String setting) {
        return setting.replace("-", "").replace('.', '_').toUpperCase(java.util.Locale.ROOT);
    }
}
