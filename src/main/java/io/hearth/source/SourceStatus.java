package io.hearth.source;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.hearth.ingest.Ingest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/**
 * What each polling source is doing: polling, waiting for a rate-limit reset, or down (bad
 * credentials, quota) with the reason, which health shows. Also counts polls, requests, posts read,
 * new mentions (passed dedup) and errors per source, and the reads per new mention.
 */
@Component
public class SourceStatus {

    /** One source's state. {@code down} is for what a person must fix or wait out (auth, quota). */
    public record State(boolean down, String reason, Instant pausedUntil, Instant lastSuccessAt, String lastError,
                        Instant lastErrorAt) {
        State(boolean down, String reason, Instant pausedUntil, Instant lastSuccessAt) {
            this(down, reason, pausedUntil, lastSuccessAt, null, null);
        }
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(SourceStatus.class);

    private final Map<String, State> states = new ConcurrentHashMap<>();
    private final Set<String> ratioSources = ConcurrentHashMap.newKeySet();
    private final Clock clock;
    private final MeterRegistry meters;

    public SourceStatus(Clock clock, MeterRegistry meters) {
        this.clock = clock;
        this.meters = meters;
    }

    public State of(String source) {
        return states.getOrDefault(source, new State(false, null, null, null));
    }

    public Map<String, State> all() {
        return Map.copyOf(states);
    }

    /** True while the source must not call its API (rate limit, quota, auth back-off). */
    public boolean isPaused(String source) {
        Instant until = of(source).pausedUntil();
        return until != null && clock.instant().isBefore(until);
    }

    public void succeeded(String source) {
        // The last error stays visible after a success: a source that fails on and off must not look healthy.
        State before = of(source);
        states.put(source, new State(false, null, null, clock.instant(), before.lastError(), before.lastErrorAt()));
    }

    /** Waiting for the API's own reset time: normal operation, not an outage. */
    public void waitUntil(String source, Instant until, String reason) {
        State before = of(source);
        states.put(source, new State(false, reason, until, before.lastSuccessAt(), before.lastError(), before.lastErrorAt()));
    }

    /** The last rate-limit refusal of a source: why, until when it waits, when it was refused. */
    public record RateLimit(String reason, Instant until, Instant at) {
    }

    private final Map<String, RateLimit> lastRateLimits = new ConcurrentHashMap<>();

    /**
     * The API refused a request for its rate limit: the source waits until {@code until} (normal operation, not an
     * outage), counted as {@code hearth_source_rate_limited_total{source}} and kept as the source's last rate-limit
     * event ({@link #lastRateLimit}), which outlives the short wait itself.
     */
    public void rateLimited(String source, Instant until, String reason) {
        waitUntil(source, until, reason);
        lastRateLimits.put(source, new RateLimit(reason, until, clock.instant()));
        meters.counter("hearth.source.rate.limited", "source", source).increment();
    }

    /** The source's last rate-limit refusal since the hub started, or null. */
    public RateLimit lastRateLimit(String source) {
        return lastRateLimits.get(source);
    }

    /** Down until a person acts or the back-off ends: bad credentials, forbidden, quota or usage cap. */
    public void down(String source, Instant retryAt, String reason) {
        states.put(source, new State(true, reason, retryAt, of(source).lastSuccessAt(), reason, clock.instant()));
        meters.counter("hearth.source.errors", "source", source).increment();
    }

    /** A failure worth retrying at the next poll (5xx, timeouts). */
    public void failed(String source, String reason) {
        states.put(source, new State(false, reason, null, of(source).lastSuccessAt(), reason, clock.instant()));
        meters.counter("hearth.source.errors", "source", source).increment();
    }

    /** Error handler of the polling routes ({@code source-<name>}): the poll failed, the next one retries. */
    public void routeFailed(org.apache.camel.Exchange exchange) {
        String route = exchange.getFromRouteId();
        String source = route != null && route.startsWith("source-") ? route.substring("source-".length()) : String.valueOf(route);
        Throwable cause = exchange.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, Throwable.class);
        failed(source, "poll failed: " + (cause == null ? "unknown" : cause.getClass().getSimpleName()) + "; retrying at the next poll");
        LOG.warn("Source {}: poll failed ({}); retrying at the next poll", source, cause == null ? "unknown" : cause.getClass().getName());
    }

    /**
     * A mention read by this source passed dedup into social.mentions (route pipeline-normalise,
     * header {@code HearthSource} set by the ingest). Sources without it (API, inbox, webhooks) are
     * not counted.
     */
    public void newMention(@Header(Ingest.SOURCE_HEADER) String source) {
        if (source == null || source.isBlank()) {
            return;
        }
        meters.counter("hearth.source.new.mentions", "source", source).increment();
        ratios(source);
    }

    /** API requests and posts read per new mention since start (NaN before the first new mention); see docs/operations.md. */
    public double requestsPerNewMention(String source) {
        return perNewMention("hearth.source.requests", source);
    }

    public double postsReadPerNewMention(String source) {
        return perNewMention("hearth.source.posts.read", source);
    }

    private double perNewMention(String meter, String source) {
        double fresh = count("hearth.source.new.mentions", source);
        return fresh == 0 ? Double.NaN : count(meter, source) / fresh;
    }

    private double count(String meter, String source) {
        Counter c = meters.find(meter).tag("source", source).counter();
        return c == null ? 0 : c.count();
    }

    private void ratios(String source) {
        if (ratioSources.add(source)) {
            Gauge.builder("hearth.source.requests.per.new.mention", this, s -> s.requestsPerNewMention(source))
                    .tag("source", source).description("social API requests per mention that passed dedup, since start")
                    .register(meters);
            Gauge.builder("hearth.source.posts.read.per.new.mention", this, s -> s.postsReadPerNewMention(source))
                    .tag("source", source).description("posts read from the social API per mention that passed dedup, since start")
                    .register(meters);
        }
    }

    public void polled(String source) {
        meters.counter("hearth.source.polls", "source", source).increment();
    }

    public void requested(String source) {
        meters.counter("hearth.source.requests", "source", source).increment();
        ratios(source);
    }

    public void read(String source, int posts) {
        meters.counter("hearth.source.posts.read", "source", source).increment(posts);
    }
}
