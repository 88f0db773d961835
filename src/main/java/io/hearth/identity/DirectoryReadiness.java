package io.hearth.identity;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import io.hearth.state.SourceCheckpoints;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Whether the hub has a contact directory to judge mentions by (issue 10): health component {@code directoryReadiness}
 * (part of {@code /actuator/health} and of the readiness group {@code /actuator/health/readiness}) and the gate of the
 * enrich stage's consumers ({@code queue:social.mentions?startWhen=#directoryReadiness}: until it opens, the queue holds
 * the traffic; ingest keeps accepting).
 * <p>
 * Ready once a directory sync has completed in this state database: the sync's checkpoint (hearth_source_checkpoint,
 * source {@code directory}) is written only by a sync that went through, so a restart with a synced directory is ready
 * at once, and a CRM that cannot be reached at the first start keeps the hub {@code OUT_OF_SERVICE}, with the sync's
 * error as the reason. With the sync switched off ({@code hearth.directory.enabled=false}) there is nothing to wait for:
 * ready, saying so. Once ready it stays ready (a later failed sync leaves the last good copy in use).
 */
@Component("directoryReadiness")
public class DirectoryReadiness extends AbstractHealthIndicator implements BooleanSupplier {

    private static final Logger log = LoggerFactory.getLogger(DirectoryReadiness.class);

    /** The directory sync's checkpoint source (SalesforceDirectorySync.CHECKPOINT). */
    static final String CHECKPOINT = "directory";

    private final SourceCheckpoints checkpoints;
    private final DirectorySyncStatus status;
    private final boolean syncEnabled;
    private final AtomicBoolean ready = new AtomicBoolean();
    private final AtomicBoolean waitingLogged = new AtomicBoolean();
    /**
     * The readiness check for health, bounded: until ready it reads the checkpoint from the state database, which with
     * the database down waited 30 s for a connection, and {@code /actuator/health} with it.
     */
    private final io.hearth.state.BoundedRead<Boolean> readyForHealth = new io.hearth.state.BoundedRead<>(this::getAsBoolean, false);

    public DirectoryReadiness(SourceCheckpoints checkpoints, DirectorySyncStatus status, Environment environment) {
        this.checkpoints = checkpoints;
        this.status = status;
        this.syncEnabled = environment.getProperty("hearth.directory.enabled", Boolean.class, true);
    }

    /** True when the hub can recognise authors: a directory sync has completed in this state database (or sync is off). */
    public boolean ready() {
        if (ready.get()) {
            return true;
        }
        if (!syncEnabled || checkpoints.load(CHECKPOINT).isPresent()) {
            if (ready.compareAndSet(false, true)) {
                log.info("Contact directory ready{}: the enrich stage starts consuming social.mentions",
                        syncEnabled ? "" : " (directory sync disabled: not waiting for one)");
            }
            return true;
        }
        if (waitingLogged.compareAndSet(false, true)) {
            log.info("Waiting for the first contact-directory sync: the hub reports OUT_OF_SERVICE and social.mentions"
                    + " holds the traffic until then");
        }
        return false;
    }

    /** The enrich consumers' gate. */
    @Override
    public boolean getAsBoolean() {
        try {
            return ready();
        } catch (RuntimeException e) {
            return false;   // the state database is not there yet: not ready
        }
    }

    /** Why the hub is not ready, or null when it is. */
    public String reason() {
        return reason(getAsBoolean());
    }

    private String reason(boolean isReady) {
        if (isReady) {
            return null;
        }
        String error = status.lastError();
        return error == null ? "waiting for the first contact-directory sync"
                : "the first contact-directory sync has not completed; the last attempt failed (the CRM may be"
                        + " unreachable): " + error;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("syncEnabled", syncEnabled);
        String reason = reason(ready.get() || readyForHealth.get(java.time.Duration.ofSeconds(1)));
        if (reason == null) {
            builder.up();
        } else {
            builder.status(Status.OUT_OF_SERVICE);
            details.put("reason", reason);
            if (status.lastError() != null) {
                details.put("lastErrorAt", String.valueOf(status.lastErrorAt()));
            }
        }
        builder.withDetails(details);
    }
}
