package io.hearth.config;

import com.fasterxml.jackson.databind.Module;
import com.fasterxml.jackson.module.blackbird.BlackbirdModule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Additions to the application's ObjectMapper (Spring Boot's, configured by {@code spring.jackson.*}; Spring Boot
 * registers every {@link Module} bean on it). It is the mapper the pipeline writes and reads mentions and CRM commands
 * with (MentionChecks.json, CanonicalMentionMapper, MentionEnricher, Camel's {@code json} data format).
 * <p>
 * Blackbird replaces Jackson's reflective getter, setter and constructor calls with generated lambdas: the same JSON,
 * less CPU per mention (the mention's {@code readValue} was 7.5 % of the enrich stage, its {@code writeValueAsString}
 * 11.7 % of the normalise stage in the JFR profile of docs/benchmark.md). {@code JsonConfigurationTest} proves the JSON
 * of the reference payloads is byte-identical with and without it.
 */
@Configuration(proxyBeanMethods = false)
public class JsonConfiguration {

    @Bean
    public Module blackbirdModule() {
        return new BlackbirdModule();
    }
}
