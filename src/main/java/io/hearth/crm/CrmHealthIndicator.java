package io.hearth.crm;

import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.stereotype.Component;

/**
 * Health component {@code crm}: the writer's state and why. A writer paused for the API limit, the budget reserve or an
 * open circuit is still UP: the hub is healthy and keeps the messages queued, and it resumes by itself; the details say
 * why nothing is written. DOWN when the org refuses the hub's access (login refused, 403): that needs someone to fix the
 * connected app or the permissions; and when the writer should run but its route is not running and nothing paused it.
 */
@Component("crm")
public class CrmHealthIndicator extends AbstractHealthIndicator {

    private final CrmWriterControl control;
    private final CamelContext camel;

    public CrmHealthIndicator(CrmWriterControl control, CamelContext camel) {
        this.control = control;
        this.camel = camel;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        CrmWriterControl.Status s = control.status();
        ServiceStatus route = camel.getRouteController().getRouteStatus(CrmWriterControl.ROUTE_ID);
        boolean down = (s.state() == CrmWriterControl.State.RUNNING && (route == null || !route.isStarted()))
                || s.why() == CrmWriterControl.Why.ACCESS_REFUSED;
        builder.status(down ? org.springframework.boot.actuate.health.Status.DOWN : org.springframework.boot.actuate.health.Status.UP);
        builder.withDetail("writer", s.state().name().toLowerCase());
        if (s.why() != null) {
            builder.withDetail("pausedFor", s.why().name());
        }
        if (s.reason() != null) {
            builder.withDetail("reason", s.reason());
        }
        builder.withDetail("since", s.since().toString());
        builder.withDetail("route", route == null ? "none" : route.name());
        if (s.lastUsage() != null) {
            builder.withDetail("apiUsage", s.lastUsage().toString());
        }
        builder.withDetail("budgetReserve", control.budgetReserve());
        if (s.consecutiveFailures() > 0) {
            builder.withDetail("consecutiveFailures", s.consecutiveFailures());
        }
    }
}
