package io.hearth.ops;

import java.util.Map;

import io.hearth.config.HearthProperties;
import io.hearth.queue.QueueDepths;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/** Broker health: reachable, and how full each stage queue and DLQ is. */
@Component("broker")
public class BrokerHealthIndicator extends AbstractHealthIndicator {

    private final QueueDepths depths;
    private final HearthProperties properties;

    public BrokerHealthIndicator(QueueDepths depths, HearthProperties properties) {
        super("broker unreachable");
        this.depths = depths;
        this.properties = properties;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) throws Exception {
        Map<String, Long> queues = depths.depths();
        builder.up().withDetail("mode", properties.getBroker().isEmbedded() ? "embedded" : "external")
                .withDetail("queues", queues);
    }
}
