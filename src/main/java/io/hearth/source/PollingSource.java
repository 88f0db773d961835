package io.hearth.source;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The decisions every polling source shares, for its route {@code source-<name>}: resume from the
 * checkpoint, build the request, and read the answer — ingest a page and move the checkpoint, or
 * wait / go DOWN as the API's status and headers say. A channel supplies only what differs: the
 * query for a checkpoint, what a page means, and how its API states rate limits and quotas.
 *
 * <p>Each page is ingested before its checkpoint is saved: a crash re-reads at most that page
 * (dedup drops the repeats) and never skips one. While waiting for a reset the checkpoint stays,
 * so the page that was refused is asked for again, not skipped.
 *
 * @param <C> the source's checkpoint, stored as JSON
 */
public abstract class PollingSource<C> {

    /** Exchange property holding the poll in progress; routes loop while {@code ${exchangeProperty.HearthPoll.more}}. */
    public static final String POLL_PROPERTY = "HearthPoll";

    private static final Logger LOG = LoggerFactory.getLogger(PollingSource.class);

    /** One page's meaning: the checkpoint after it, whether to fetch another now, and how many posts it held. */
    public record Page<C>(C next, boolean more, int postsRead) {
    }

    /** One poll in progress. */
    public static final class Poll<C> {
        private C checkpoint;
        private boolean more = true;

        Poll(C checkpoint) {
            this.checkpoint = checkpoint;
        }

        public boolean isMore() {
            return more;
        }

        public C checkpoint() {
            return checkpoint;
        }
    }

    protected final String source;
    protected final SourceSupport support;
    private final PollingSettings settings;
    private final Class<C> checkpointType;
    private final C initialCheckpoint;

    protected PollingSource(String source, Class<C> checkpointType, C initialCheckpoint, PollingSettings settings,
                            SourceSupport support) {
        this.source = source;
        this.checkpointType = checkpointType;
        this.initialCheckpoint = initialCheckpoint;
        this.settings = settings;
        this.support = support;
    }

    /** The URL asked for each page (route template polling-source: {@code toD}); may use {@code ${exchangeProperty...}}. */
    public abstract String url();

    /** Whether the route starts (route template polling-source: {@code autoStartup}). */
    public boolean enabled() {
        return settings.enabled();
    }

    /** Time between two polls in ms (route template polling-source: the timer's {@code period}). */
    public long pollIntervalMillis() {
        return settings.pollInterval().toMillis();
    }

    /** The query string (already URL-encoded) for the next request from this checkpoint. */
    protected abstract String query(C checkpoint);

    /** What a 200 page means. The page body is ingested as it is when {@link Page#postsRead()} > 0. */
    protected abstract Page<C> onPage(C checkpoint, String body, Message response) throws Exception;

    /** Request headers besides the HTTP method (credentials). */
    protected Map<String, String> requestHeaders() {
        return Map.of();
    }

    /**
     * Request headers for the next request from this checkpoint; {@link #requestHeaders()} by default.
     * Sources with conditional requests ({@code If-None-Match}) override this one.
     */
    protected Map<String, String> requestHeaders(C checkpoint) {
        return requestHeaders();
    }

    /**
     * What a 304 Not Modified (answer to a conditional request) means: nothing new, nothing ingested.
     * By default the poll ends with the checkpoint as it is.
     */
    protected Page<C> onNotModified(C checkpoint, Message response) throws Exception {
        return new Page<>(checkpoint, false, 0);
    }

    /** When the current rate-limit window resets, from the response headers; null when not said. */
    protected Instant rateLimitReset(Message response) {
        return null;
    }

    /** True when the response says no request is left in the current window. */
    protected boolean rateLimitExhausted(Message response) {
        return false;
    }

    /**
     * A refusal that is the plan's quota or usage cap rather than a short rate limit: the source goes
     * DOWN until {@link #quotaRetryAt()}.
     */
    protected boolean isQuotaExhausted(int status, String body) {
        return false;
    }

    /**
     * A short rate limit: wait until {@link #rateLimitReset} or, when the API says no reset,
     * {@code rate-limit-pause}, then ask for the same page again. HTTP 429 by default.
     */
    protected boolean isRateLimited(int status, String body) {
        return status == 429;
    }

    /** Refused credentials or access: DOWN for {@code auth-failure-pause}. HTTP 401 and 403 by default. */
    protected boolean isAuthFailure(int status, String body) {
        return status == 401 || status == 403;
    }

    protected Instant quotaRetryAt() {
        return support.clock().instant().plus(settings.usageCapPause());
    }

    /** Channel name of the pages (the mapper that reads them); the source name by default. */
    protected String channel() {
        return source;
    }

    public void startPoll(Exchange exchange) throws Exception {
        Poll<C> poll = new Poll<>(loadCheckpoint());
        if (support.status().isPaused(source)) {
            poll.more = false;
        } else {
            support.status().polled(source);
        }
        exchange.setProperty(POLL_PROPERTY, poll);
    }

    public void prepareRequest(Exchange exchange) {
        Poll<C> poll = poll(exchange);
        Message message = exchange.getMessage();
        // Only these go out as HTTP headers: nothing of Camel's or ours.
        message.removeHeaders("*");
        message.setBody(null);
        message.setHeader(Exchange.HTTP_METHOD, "GET");
        requestHeaders(poll.checkpoint).forEach(message::setHeader);
        message.setHeader(Exchange.HTTP_QUERY, query(poll.checkpoint));
        support.status().requested(source);
    }

    public void onResponse(Exchange exchange) throws Exception {
        Poll<C> poll = poll(exchange);
        Message message = exchange.getMessage();
        int code = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = message.getBody(String.class);
        if (code == 200 || code == 304) {
            Page<C> page = code == 200 ? onPage(poll.checkpoint, body, message) : onNotModified(poll.checkpoint, message);
            if (code == 200 && page.postsRead() > 0) {
                support.ingest().accept(channel(), body, "poll", source);
            }
            support.status().read(source, page.postsRead());
            support.checkpoints().save(source, support.json().writeValueAsString(page.next()));
            poll.checkpoint = page.next();
            poll.more = page.more();
            support.status().succeeded(source);
            Instant reset = rateLimitReset(message);
            if (poll.more && rateLimitExhausted(message) && reset != null) {
                // Out of requests for this window: wait for its reset rather than earn a 429.
                support.status().waitUntil(source, reset, "rate limit window used up; resuming at " + reset);
                poll.more = false;
            }
            return;
        }
        poll.more = false;
        SourceStatus status = support.status();
        if (isQuotaExhausted(code, body)) {
            Instant until = quotaRetryAt();
            status.down(source, until, "quota or usage cap exhausted (HTTP " + code + "); retrying at " + until);
        } else if (isRateLimited(code, body)) {
            Instant reset = rateLimitReset(message);
            Instant until = reset != null ? reset : support.clock().instant().plus(settings.rateLimitPause());
            status.rateLimited(source, until, "rate limited (" + code + "); resuming at " + until);
        } else if (isAuthFailure(code, body)) {
            Instant until = support.clock().instant().plus(settings.authFailurePause());
            status.down(source, until, "HTTP " + code + ": check the credentials of hearth.sources." + source
                    + " and the account's access; retrying at " + until);
        } else {
            status.failed(source, "HTTP " + code + "; retrying at the next poll");
        }
        LOG.warn("Source {}: HTTP {}; {}", source, code, status.of(source).reason());
    }

    /** Ends the poll in progress after the current step (e.g. a failed token request: no API call follows). */
    protected final void stopPoll(Exchange exchange) {
        poll(exchange).more = false;
    }

    @SuppressWarnings("unchecked")
    protected final Poll<C> poll(Exchange exchange) {
        return exchange.getProperty(POLL_PROPERTY, Poll.class);
    }

    private C loadCheckpoint() throws Exception {
        String saved = support.checkpoints().load(source).orElse(null);
        return saved == null ? initialCheckpoint : support.json().readValue(saved, checkpointType);
    }

    /** Wait (DOWN) after refused credentials or access. */
    protected Duration authFailurePause() {
        return settings.authFailurePause();
    }

    /** A text setting: blank when not set. */
    protected static String text(String value) {
        return value == null ? "" : value;
    }
}
