package io.hearth.crm;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.hearth.crm.salesforce.CrmCallException;
import io.hearth.crm.salesforce.SalesforceCollections;
import io.hearth.crm.salesforce.SalesforceCollections.ApiUsage;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.apache.camel.CamelContext;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The writer's state: running, or paused (API limit exceeded, budget reserve reached, circuit open, access refused) and
 * why. A paused writer <em>holds</em> its batch: the consumer thread waits in {@link #holdWhilePaused} inside the open
 * JMS transaction, so nothing is rolled back and no delivery attempt is spent however often or long the writer pauses
 * (a rollback would count towards the broker's {@code max-delivery-attempts} and a flapping org would end in the DLQ);
 * being blocked, the consumer takes nothing new either. A probe of {@code /limits} (one API call every
 * {@code resume-check-interval}, or after {@code circuit-open-for}) resumes it when the org answers and the budget is
 * below the reserve; the held batch then goes on with the call it was about to make. Only a hub or route stop while
 * paused rolls the held batch back (once).
 */
@Component
public class CrmWriterControl {

    public static final String ROUTE_ID = "crm-writer";

    public enum State { DISABLED, RUNNING, PAUSED }

    public enum Why {
        REQUEST_LIMIT_EXCEEDED, BUDGET_RESERVE, CIRCUIT_OPEN,
        /** Login refused ({@code invalid_grant}, {@code invalid_client}) or a 403 other than the limit: health DOWN. */
        ACCESS_REFUSED
    }

    /** How often a held batch looks whether the hub or its route is stopping. */
    private static final long HOLD_SLICE_MILLIS = 200;

    /** A snapshot for health and logs. */
    public record Status(State state, Why why, String reason, Instant since, ApiUsage lastUsage, int consecutiveFailures) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(CrmWriterControl.class);

    private final CrmWriterSettings settings;
    private final SalesforceCollections salesforce;
    private final CamelContext camel;
    private final Clock clock;
    private final ScheduledExecutorService control = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "crm-writer-control");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile Status status;
    private volatile ApiUsage lastUsage;
    private final MeterRegistry meters;

    public CrmWriterControl(CrmWriterSettings settings, SalesforceCollections salesforce, CamelContext camel, Clock clock,
            MeterRegistry meters) {
        this.settings = settings;
        this.salesforce = salesforce;
        this.camel = camel;
        this.clock = clock;
        this.meters = meters;
        this.status = new Status(settings.isEnabled() ? State.RUNNING : State.DISABLED, null, null, clock.instant(), null, 0);
        Gauge.builder("hearth.crm.writer.paused", this, c -> c.status.state() == State.PAUSED ? 1 : 0)
                .description("1 while the CRM writer is paused (API limit, budget reserve, open circuit)").register(meters);
    }

    public Status status() {
        Status s = status;
        return new Status(s.state(), s.why(), s.reason(), s.since(), lastUsage, consecutiveFailures.get());
    }

    public double budgetReserve() {
        return settings.getBudgetReserve();
    }

    /**
     * Holds the calling batch while the writer is paused, without rolling it back; returns when it runs again. Before a
     * batch's first call ({@code midBatch} false) any pause holds; further calls of a batch under way are held by
     * everything but the budget reserve (the batch that reached the reserve completes). Throws
     * {@link CrmWriterPausedException} when the hub or the route stops meanwhile: the batch then rolls back once.
     */
    public void holdWhilePaused(boolean midBatch) throws CrmWriterPausedException, InterruptedException {
        synchronized (this) {
            while (holds(status, midBatch)) {
                if (stopping()) {
                    throw new CrmWriterPausedException("CRM writer paused and the route is stopping: " + status.reason());
                }
                wait(HOLD_SLICE_MILLIS);
            }
        }
    }

    private static boolean holds(Status s, boolean midBatch) {
        return s.state() == State.PAUSED && !(midBatch && s.why() == Why.BUDGET_RESERVE);
    }

    /** The hub, the route or its consumer is stopping: a held batch must let go. */
    private boolean stopping() {
        if (!camel.getStatus().isStarted() || Thread.currentThread().isInterrupted()) {
            return true;
        }
        org.apache.camel.Route route = camel.getRoute(ROUTE_ID);
        if (route == null) {
            return true;
        }
        ServiceStatus routeStatus = camel.getRouteController().getRouteStatus(ROUTE_ID);
        if (routeStatus != null && !routeStatus.isStarted()) {
            return true;
        }
        return route.getConsumer() instanceof org.apache.camel.StatefulService consumer && !consumer.isRunAllowed();
    }

    public void callSucceeded(ApiUsage usage) {
        consecutiveFailures.set(0);
        if (usage != null) {
            lastUsage = usage;
            if (usage.share() >= settings.getBudgetReserve()) {
                pause(Why.BUDGET_RESERVE, budgetReason(usage));
            }
        }
    }

    /** A call failed as unavailable; answers true when that opened the circuit. */
    public boolean callFailed(String what) {
        int failures = consecutiveFailures.incrementAndGet();
        if (failures >= settings.getCircuitFailureThreshold()) {
            openCircuit(failures + " consecutive failed calls, last: " + what);
            return true;
        }
        return false;
    }

    public void openCircuit(String reason) {
        pause(Why.CIRCUIT_OPEN, "circuit open: " + reason);
    }

    /** The org refuses the hub (login refused, 403 other than the limit): pause until a probe gets through. */
    public void accessRefused(String what) {
        pause(Why.ACCESS_REFUSED, "Salesforce refuses the hub's access (" + what + "); check the connected app, its secret and "
                + "the integration user's permissions");
    }

    public void requestLimitExceeded(String what) {
        pause(Why.REQUEST_LIMIT_EXCEEDED, "Salesforce API request limit exceeded (" + what + ")");
    }

    private String budgetReason(ApiUsage usage) {
        return "daily API budget reserve reached: " + usage.used() + " of " + usage.max() + " calls used, writing stops at "
                + Math.round(settings.getBudgetReserve() * 100) + "%";
    }

    private synchronized void pause(Why why, String reason) {
        Status s = status;
        if (s.state() == State.DISABLED) {
            return;
        }
        boolean wasPaused = s.state() == State.PAUSED;
        status = new Status(State.PAUSED, why, reason, wasPaused ? s.since() : clock.instant(), lastUsage, consecutiveFailures.get());
        if (wasPaused) {
            return;
        }
        // The reason quotes Salesforce's error code and message for the whole call (no record values).
        LOG.warn("CRM writer paused, messages stay queued on crm.outbound: {}", reason);
        meters.counter("hearth.crm.writer.pauses", "reason", why.name()).increment();
        Duration wait = why == Why.CIRCUIT_OPEN ? settings.getCircuitOpenFor() : settings.getResumeCheckInterval();
        control.schedule(this::probe, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void probe() {
        Status s = status;
        if (s.state() != State.PAUSED || !camel.getStatus().isStarted()) {
            return;
        }
        Duration again = settings.getResumeCheckInterval();
        try {
            ApiUsage usage = salesforce.probeUsage();
            if (usage != null) {
                lastUsage = usage;
            }
            if (usage != null && usage.share() >= settings.getBudgetReserve()) {
                synchronized (this) {
                    status = new Status(State.PAUSED, Why.BUDGET_RESERVE, budgetReason(usage), s.since(), usage, consecutiveFailures.get());
                }
            } else {
                resume(s);
                return;
            }
        } catch (CrmCallException e) {
            synchronized (this) {
                if (e.kind() == CrmCallException.Kind.REQUEST_LIMIT) {
                    status = new Status(State.PAUSED, Why.REQUEST_LIMIT_EXCEEDED, "Salesforce API request limit exceeded (" + e.getMessage() + ")",
                            s.since(), lastUsage, consecutiveFailures.get());
                } else if (e.kind() == CrmCallException.Kind.ACCESS) {
                    status = new Status(State.PAUSED, Why.ACCESS_REFUSED, "Salesforce refuses the hub's access (" + e.getMessage()
                            + "); check the connected app, its secret and the integration user's permissions", s.since(), lastUsage,
                            consecutiveFailures.get());
                } else if (s.why() == Why.CIRCUIT_OPEN) {
                    again = settings.getCircuitOpenFor();
                    status = new Status(State.PAUSED, Why.CIRCUIT_OPEN, "circuit open: probe failed: " + e.getMessage(), s.since(), lastUsage,
                            consecutiveFailures.get());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("CRM writer probe failed: {}", e.toString());
        }
        control.schedule(this::probe, again.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void resume(Status paused) {
        synchronized (this) {
            consecutiveFailures.set(0);
            status = new Status(State.RUNNING, null, null, clock.instant(), lastUsage, 0);
            notifyAll();
        }
        LOG.info("CRM writer resumes after {} (paused since {}): the org answers and the API budget is below the reserve",
                paused.why(), paused.since());
        try {
            // Started already unless someone stopped it meanwhile (or it was stopped by an older version's pause).
            ServiceStatus routeStatus = camel.getRouteController().getRouteStatus(ROUTE_ID);
            if (routeStatus != null && routeStatus.isStopped()) {
                camel.getRouteController().startRoute(ROUTE_ID);
            }
        } catch (Exception e) {
            LOG.error("Could not restart route {}: {}", ROUTE_ID, e.toString());
        }
    }

    @PreDestroy
    void close() {
        control.shutdownNow();
    }
}
