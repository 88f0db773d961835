package io.hearth.source.twitter;

import java.time.Instant;

import io.hearth.ingest.Ingest;
import io.hearth.channel.twitter.TwitterSearchMapper;
import io.hearth.source.SourceSupport;
import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.component.twitter.TwitterEndpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import twitter4j.TwitterException;
import twitter4j.TwitterObjectFactory;
import twitter4j.v1.RateLimitStatus;
import twitter4j.v1.Status;

/**
 * X API v1.1 mentions timeline through camel-twitter ({@code twitter-timeline://mentions}, route
 * {@code source-twitter}), for accounts whose plan still grants v1.1. camel-twitter polls and hands
 * over one twitter4j {@link Status} per exchange; this bean turns each into the raw v1.1 JSON
 * twitter4j read ({@code jsonStoreEnabled}, see twitter4j.properties) and ingests it on channel
 * {@code twitter}.
 *
 * <p>Checkpoint: {@code sinceId}, the newest status id ingested, in the state database. It is
 * given to the endpoint at route start ({@code sinceId={{bean:twitterMentions.sinceId}}}); after
 * that camel-twitter keeps its own copy in memory, so statuses at or below the stored checkpoint
 * (another hub was leader meanwhile) are dropped here rather than ingested twice.
 *
 * <p>camel-twitter 4.17 limits (docs/channels/twitter.md): each poll requests the timeline twice
 * and delivers the first answer while moving its since_id by the second, so a mention that arrives
 * between the two requests is skipped; one poll reads at most {@code count} (200) mentions, with
 * no {@code max_id} paging. The {@code twitter-search} endpoint is worse (its since_id and count
 * never reach the request) and is not used.
 *
 * <p>Also the endpoint's poll strategy: it skips polls while the source is paused, and turns
 * twitter4j's failures into health: 429 waits until {@code x-rate-limit-reset}, 401/403 DOWN for
 * {@code auth-failure-pause}.
 */
@Component("twitterMentions")
public class TwitterMentionsSource implements PollingConsumerPollStrategy {

    public static final String SOURCE = "twitter";

    private static final Logger LOG = LoggerFactory.getLogger(TwitterMentionsSource.class);

    public record Checkpoint(long sinceId) {
    }

    private final TwitterSettings settings;
    private final SourceSupport support;

    public TwitterMentionsSource(TwitterSettings settings, SourceSupport support) {
        this.settings = settings;
        this.support = support;
    }

    /** Time between two polls in ms (route source-twitter: the endpoint's {@code delay}). */
    public long pollIntervalMillis() {
        return settings.pollInterval().toMillis();
    }

    /** Mentions per poll (route source-twitter: the endpoint's {@code count}). */
    public int count() {
        return settings.count();
    }

    /** The endpoint's starting {@code sinceId}: the checkpoint, or 1 (the latest {@code count} mentions, no backfill). */
    public long sinceId() throws Exception {
        return checkpoint().sinceId();
    }

    /** One status from camel-twitter: ingest it unless the checkpoint already covers it, then move the checkpoint. */
    public void onStatus(Exchange exchange) throws Exception {
        Status status = exchange.getMessage().getMandatoryBody(Status.class);
        Checkpoint current = checkpoint();
        if (status.getId() <= current.sinceId()) {
            return;
        }
        String raw = TwitterObjectFactory.getRawJSON(status);
        if (raw == null) {
            throw new IllegalStateException("twitter4j kept no raw JSON for the status (jsonStoreEnabled is off?)");
        }
        support.ingest().accept(TwitterSearchMapper.CHANNEL, raw, "poll", SOURCE);
        support.status().read(SOURCE, 1);
        support.checkpoints().save(SOURCE, support.json().writeValueAsString(new Checkpoint(status.getId())));
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        if (support.status().isPaused(SOURCE)) {
            return false;
        }
        support.status().polled(SOURCE);
        support.status().requested(SOURCE);
        return true;
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
        // camel-twitter 4.17 asks for the timeline twice per poll (AbstractStatusConsumerHandler.pollConsume
        // calls doPoll() twice): a successful poll cost two requests.
        support.status().requested(SOURCE);
        support.status().succeeded(SOURCE);
        try {
            // A consumer made again (leadership regained) starts from here, not from the route's start.
            if (endpoint instanceof TwitterEndpoint twitter) {
                twitter.getProperties().setSinceId(checkpoint().sinceId());
            }
        } catch (Exception e) {
            LOG.debug("Source twitter: checkpoint not read back", e);
        }
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        int code = cause instanceof TwitterException te ? te.getStatusCode() : -1;
        Instant now = support.clock().instant();
        if (code == 429 || code == 420) {
            Instant until = resetOf((TwitterException) cause);
            if (until == null) {
                until = now.plus(settings.rateLimitPause());
            }
            support.status().rateLimited(SOURCE, until, "rate limited (" + code + "); resuming at " + until);
        } else if (code == 401 || code == 403) {
            Instant until = now.plus(settings.authFailurePause());
            support.status().down(SOURCE, until, "HTTP " + code + ": check the credentials of hearth.sources." + SOURCE
                    + " and the app's v1.1 access; retrying at " + until);
        } else if (code > 0) {
            support.status().failed(SOURCE, "HTTP " + code + "; retrying at the next poll");
        } else {
            support.status().failed(SOURCE, "poll failed: " + cause.getClass().getSimpleName() + "; retrying at the next poll");
        }
        LOG.warn("Source twitter: {}", support.status().of(SOURCE).reason());
        return false; // no immediate retry: the next scheduled poll (or the end of the pause) tries again
    }

    private static Instant resetOf(TwitterException e) {
        RateLimitStatus limit = e.getRateLimitStatus();
        if (limit != null && limit.getResetTimeInSeconds() > 0) {
            return Instant.ofEpochSecond(limit.getResetTimeInSeconds());
        }
        String header = e.getResponseHeader("x-rate-limit-reset");
        try {
            return header == null ? null : Instant.ofEpochSecond(Long.parseLong(header.strip()));
        } catch (NumberFormatException bad) {
            return null;
        }
    }

    private Checkpoint checkpoint() throws Exception {
        String saved = support.checkpoints().load(SOURCE).orElse(null);
        return saved == null ? new Checkpoint(1) : support.json().readValue(saved, Checkpoint.class);
    }
}
