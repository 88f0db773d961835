package io.hearth.ops;

import java.util.LinkedHashMap;
import java.util.Map;

import io.hearth.config.HearthProperties;
import io.hearth.source.SourceStatus;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * One entry per enabled source: its route ({@code source-<name>}) must be running and the source
 * not down (bad credentials, quota): users hate a silent "no new posts", so health says why.
 */
@Component("sources")
public class SourcesHealthIndicator extends AbstractHealthIndicator {

    private final CamelContext camel;
    private final HearthProperties properties;
    private final SourceStatus sourceStatus;

    public SourcesHealthIndicator(CamelContext camel, HearthProperties properties, SourceStatus sourceStatus) {
        this.camel = camel;
        this.properties = properties;
        this.sourceStatus = sourceStatus;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, Object> sources = new LinkedHashMap<>();
        boolean allUp = true;
        for (Map.Entry<String, Map<String, String>> source : properties.getSources().entrySet()) {
            if (source.getValue() == null || !"true".equals(source.getValue().get("enabled"))) {
                continue;
            }
            String routeId = "source-" + source.getKey();
            ServiceStatus status = camel.getRouteController().getRouteStatus(routeId);
            SourceStatus.State state = sourceStatus.of(source.getKey());
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("route", status == null ? "no route " + routeId : status.name());
            detail.put("status", state.down() ? "DOWN" : "UP");
            if (state.reason() != null) {
                detail.put("reason", state.reason());
            }
            if (state.lastSuccessAt() != null) {
                detail.put("lastSuccessAt", state.lastSuccessAt().toString());
            }
            if (state.lastError() != null) {
                detail.put("lastError", state.lastError());
                detail.put("lastErrorAt", state.lastErrorAt().toString());
            }
            sources.put(source.getKey(), detail);
            allUp &= status == ServiceStatus.Started && !state.down();
        }
        (allUp ? builder.up() : builder.down()).withDetails(Map.of("sources", sources));
    }
}
