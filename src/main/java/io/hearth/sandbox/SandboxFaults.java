package io.hearth.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The faults the sandbox injects now: from configuration at start, changed through the admin endpoint. */
final class SandboxFaults {

    private final Clock clock;
    private final Instant started;
    private volatile Duration latency;
    private volatile Duration unavailableEvery;
    private volatile Duration unavailableFor;
    private volatile Instant unavailableUntil = Instant.MIN;
    private volatile boolean requestLimitExceeded;
    private volatile Instant requestLimitExceededUntil = Instant.MIN;
    private volatile double lockRowRate;
    private volatile Instant loginFailsUntil = Instant.MIN;
    private final AtomicInteger lockRowFailures = new AtomicInteger();

    SandboxFaults(SandboxSettings.Faults initial, Clock clock) {
        this.clock = clock;
        this.started = clock.instant();
        apply(initial);
    }

    private void apply(SandboxSettings.Faults f) {
        latency = f.latency();
        unavailableEvery = f.unavailableEvery();
        unavailableFor = f.unavailableFor();
        requestLimitExceeded = f.requestLimitExceeded();
        lockRowRate = f.lockRowRate();
    }

    Duration latency() {
        return latency;
    }

    /** Inside a 503 window: one set by the admin endpoint, or the periodic one from configuration. */
    boolean unavailable() {
        Instant now = clock.instant();
        if (now.isBefore(unavailableUntil)) {
            return true;
        }
        if (!unavailableEvery.isZero() && !unavailableFor.isZero()) {
            long sinceStart = Duration.between(started, now).toMillis();
            return sinceStart % unavailableEvery.toMillis() >= unavailableEvery.toMillis() - unavailableFor.toMillis();
        }
        return false;
    }

    boolean requestLimitExceeded() {
        return requestLimitExceeded || clock.instant().isBefore(requestLimitExceededUntil);
    }

    /** Inside a window in which the token endpoint refuses every login with 400 {@code invalid_grant} (a revoked app). */
    boolean loginFails() {
        return clock.instant().isBefore(loginFailsUntil);
    }

    /** Asked once per record write. */
    boolean lockRow() {
        if (lockRowFailures.get() > 0 && lockRowFailures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return true;
        }
        return lockRowRate > 0 && ThreadLocalRandom.current().nextDouble() < lockRowRate;
    }

    /**
     * Applies an admin request: {@code latencyMs}, {@code unavailableForSeconds}, {@code requestLimitExceeded} (bool),
     * {@code requestLimitExceededForSeconds}, {@code lockRowFailures} (next n record writes), {@code lockRowRate},
     * {@code loginFailsForSeconds} (the token endpoint answers 400 {@code invalid_grant}), {@code reset} (clear all first).
     */
    void update(JsonNode request) {
        Instant now = clock.instant();
        if (request.path("reset").asBoolean(false)) {
            apply(SandboxSettings.Faults.none());
            unavailableUntil = Instant.MIN;
            requestLimitExceededUntil = Instant.MIN;
            loginFailsUntil = Instant.MIN;
            lockRowFailures.set(0);
        }
        if (request.has("latencyMs")) {
            latency = Duration.ofMillis(request.get("latencyMs").asLong());
        }
        if (request.has("unavailableForSeconds")) {
            unavailableUntil = now.plusMillis((long) (request.get("unavailableForSeconds").asDouble() * 1000));
        }
        if (request.has("requestLimitExceeded")) {
            requestLimitExceeded = request.get("requestLimitExceeded").asBoolean();
        }
        if (request.has("requestLimitExceededForSeconds")) {
            requestLimitExceededUntil = now.plusMillis((long) (request.get("requestLimitExceededForSeconds").asDouble() * 1000));
        }
        if (request.has("loginFailsForSeconds")) {
            loginFailsUntil = now.plusMillis((long) (request.get("loginFailsForSeconds").asDouble() * 1000));
        }
        if (request.has("lockRowFailures")) {
            lockRowFailures.set(request.get("lockRowFailures").asInt());
        }
        if (request.has("lockRowRate")) {
            lockRowRate = request.get("lockRowRate").asDouble();
        }
    }

    ObjectNode describe() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("latencyMs", latency.toMillis());
        n.put("unavailable", unavailable());
        n.put("unavailableEverySeconds", unavailableEvery.toSeconds());
        n.put("unavailableForSeconds", unavailableFor.toSeconds());
        n.put("requestLimitExceeded", requestLimitExceeded());
        n.put("lockRowFailures", lockRowFailures.get());
        n.put("lockRowRate", lockRowRate);
        n.put("loginFails", loginFails());
        return n;
    }
}
