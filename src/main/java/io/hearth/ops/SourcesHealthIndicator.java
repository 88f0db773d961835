package io.hearth.ops;

import java.util.LinkedHashMap;
import java.util.Map;

import io.hearth.config.HearthProperties;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * One entry per enabled source: its route ({@code source-<name>}) must be running. A source that
 * is enabled but stopped is DOWN: users hate a silent "no new posts".
 */
@Component("sources")
public class SourcesHealthIndicator extends AbstractHealthIndicator {

    private final CamelContext camel;
    private final HearthProperties properties;

    public SourcesHealthIndicator(CamelContext camel, HearthProperties properties) {
        this.camel = camel;
        this.properties = properties;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, String> sources = new LinkedHashMap<>();
        boolean allUp = true;
        for (Map.Entry<String, Map<String, String>> source : properties.getSources().entrySet()) {
            if (source.getValue() == null || !"true".equals(source.getValue().get("enabled"))) {
                continue;
            }
            String routeId = "source-" + source.getKey();
            ServiceStatus status = camel.getRouteController().getRouteStatus(routeId);
            String state = status == null ? "no route " + routeId : status.name();
            sources.put(source.getKey(), state);
            allUp &= status == ServiceStatus.Started;
        }
        (allUp ? builder.up() : builder.down()).withDetails(Map.of("sources", sources));
    }
}
