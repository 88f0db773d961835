package io.hearth.ops;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * Health component {@code queues}: DOWN while a stage queue holds messages and none has left it for
 * {@code hearth.queues.stall-after} without a stage saying why ({@link QueueWatchdog}); details per stage.
 */
@Component("queues")
public class QueuesHealthIndicator extends AbstractHealthIndicator {

    private final QueueWatchdog watchdog;

    public QueuesHealthIndicator(QueueWatchdog watchdog) {
        this.watchdog = watchdog;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        if (!watchdog.enabled()) {
            builder.up().withDetail("watchdog", "off (hearth.queues.stall-after=0)");
            return;
        }
        boolean down = false;
        Map<String, Object> stages = new LinkedHashMap<>();
        for (QueueWatchdog.Report r : watchdog.reports().values()) {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("depth", r.state().depth());
            d.put("noProgressForSeconds", r.state().noProgressFor().toSeconds());
            d.put("stalled", r.down());
            d.put("route", r.route() == null ? "none" : r.route() + " " + r.routeStatus());
            if (r.reason() != null) {
                d.put("reason", r.reason());
            }
            stages.put(r.state().queue(), d);
            down |= r.down();
        }
        builder.status(down ? org.springframework.boot.actuate.health.Status.DOWN : org.springframework.boot.actuate.health.Status.UP);
        builder.withDetail("stallAfter", watchdog.settings().getStallAfter().toString());
        builder.withDetail("stages", stages);
    }
}
