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
 * The writer's state: running, or paused (API limit exceeded, budget reserve reached, circuit open) and why. A pause
 * stops the route {@code crm-writer}, so messages stay queued instead of being received and rolled back over and
 * over; a probe of {@code /limits} (one API call every {@code resume-check-interval}, or after
 * {@code circuit-open-for}) starts it again when the org answers and the budget is below the reserve.
 */
@Component
public class CrmWriterControl {

    public static final String ROUTE_ID = "crm-writer";

    public enum State { DISABLED, RUNNING, PAUSED }

    public enum Why { REQUEST_LIMIT_EXCEEDED, BUDGET_RESERVE, CIRCUIT_OPEN }

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

    public CrmWriterControl(CrmWriterSettings settings, SalesforceCollections salesforce, CamelContext camel, Clock clock,
            MeterRegistry meters) {
        this.settings = settings;
        this.salesforce = salesforce;
        this.camel = camel;
        this.clock = clock;
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

    /** Before a batch's first call: any pause holds the batch back. */
    public void checkBatchMayStart() throws CrmWriterPausedException {
        Status s = status;
        if (s.state() == State.PAUSED) {
            throw new CrmWriterPausedException("CRM writer paused: " + s.reason());
        }
    }

    /** Before further calls of a batch already under way: only a dead org or a spent limit stops it; the reserve does not. */
    public void checkCallMayProceed() throws CrmWriterPausedException {
        Status s = status;
        if (s.state() == State.PAUSED && s.why() != Why.BUDGET_RESERVE) {
            throw new CrmWriterPausedException("CRM writer paused: " + s.reason());
        }
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
        LOG.warn("CRM writer paused, messages stay queued on crm.outbound: {}", reason);
        control.execute(this::stopRoute);
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
        }
        LOG.info("CRM writer resumes after {} (paused since {}): the org answers and the API budget is below the reserve",
                paused.why(), paused.since());
        try {
            camel.getRouteController().startRoute(ROUTE_ID);
        } catch (Exception e) {
            LOG.error("Could not restart route {}: {}", ROUTE_ID, e.toString());
        }
    }

    private void stopRoute() {
        try {
            ServiceStatus routeStatus = camel.getRouteController().getRouteStatus(ROUTE_ID);
            if (routeStatus != null && (routeStatus.isStarted() || routeStatus.isStarting())) {
                camel.getRouteController().stopRoute(ROUTE_ID, 60, TimeUnit.SECONDS);
            }
        } catch (Exception e) {
            LOG.error("Could not stop route {}: {}", ROUTE_ID, e.toString());
        }
    }

    @PreDestroy
    void close() {
        control.shutdownNow();
    }
}
