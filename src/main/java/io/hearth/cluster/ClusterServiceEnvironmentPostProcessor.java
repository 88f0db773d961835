package io.hearth.cluster;

import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

import io.hearth.config.HearthConfigurationException;

/**
 * Turns camel-file-cluster-service's lock-file service off unless {@code hearth.cluster.service} resolves to file, so
 * that the {@code master:} component finds exactly one cluster service. Runs after the configuration files are loaded;
 * a wrong setting is reported (one line) by {@link ClusterConfiguration}'s check, not here.
 */
public class ClusterServiceEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        ClusterServiceKind kind;
        try {
            kind = ClusterServiceKind.resolve(environment.getProperty(ClusterServiceKind.SETTING, ""),
                    environment.getProperty("spring.datasource.url", ""));
        } catch (HearthConfigurationException e) {
            kind = null;
        }
        if (kind != ClusterServiceKind.FILE) {
            environment.getPropertySources().addFirst(new MapPropertySource("hearthClusterService",
                    Map.of("camel.cluster.file.enabled", "false")));
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
