package io.hearth.source.x;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.api.Ingest;
import io.hearth.config.HearthConfigurationException;
import io.hearth.config.HearthProperties;
import io.hearth.source.SourceCheckpoints;
import io.hearth.source.SourceStatus;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The decisions of the X API v2 recent-search source (route {@code source-x}): what to ask for
 * next, and what a response means.
 *
 * <p>Checkpoint: {@code sinceId} (newest post already read) plus, in the middle of a poll,
 * {@code pendingNewestId} and {@code nextToken}. Each page is ingested before its checkpoint is
 * saved, so a crash re-reads at most that one page (dedup drops its repeats) and never skips one.
 * X bills per post read, so the source never asks below {@code since_id}.
 *
 * <p>Rate limits come from the API's own headers: {@code x-rate-limit-remaining: 0} or a 429 makes
 * the source wait until {@code x-rate-limit-reset}. A 429 whose problem {@code type} is
 * {@code …/usage-capped} is the plan's usage cap, not a rate limit: the source is DOWN until
 * {@code usage-cap-pause} passes. 401/403 are DOWN until {@code auth-failure-pause} passes.
 */
@Component("xRecentSearch")
public class XRecentSearchSource {

    public static final String SOURCE = "x";
    static final String STATE_PROPERTY = "HearthXPoll";
    private static final int MAX_QUERY_LENGTH = 512;
    private static final Logger LOG = LoggerFactory.getLogger(XRecentSearchSource.class);

    /** Where one poll stands; persisted as the source's checkpoint. */
    public record Checkpoint(String sinceId, String pendingNewestId, String nextToken) {
        static final Checkpoint EMPTY = new Checkpoint(null, null, null);
    }

    /** One poll in progress: the checkpoint and whether another page is to be fetched. */
    public static final class Poll {
        private Checkpoint checkpoint;
        private boolean more = true;

        Poll(Checkpoint checkpoint) {
            this.checkpoint = checkpoint;
        }

        public boolean isMore() {
            return more;
        }

        public Checkpoint checkpoint() {
            return checkpoint;
        }
    }

    private final HearthProperties properties;
    private final SourceCheckpoints checkpoints;
    private final SourceStatus status;
    private final Ingest ingest;
    private final ObjectMapper json;
    private final Clock clock;

    public XRecentSearchSource(HearthProperties properties, SourceCheckpoints checkpoints, SourceStatus status,
                               Ingest ingest, ObjectMapper json, Clock clock) {
        this.properties = properties;
        this.checkpoints = checkpoints;
        this.status = status;
        this.ingest = ingest;
        this.json = json;
        this.clock = clock;
        String query = setting("query", "");
        if (enabled() && query.length() > MAX_QUERY_LENGTH) {
            throw new HearthConfigurationException("hearth.sources.x.query",
                    "is " + query.length() + " characters; X recent search accepts at most " + MAX_QUERY_LENGTH);
        }
    }

    /** Start of a poll: nothing to do while paused; otherwise resume from the checkpoint. */
    public void startPoll(Exchange exchange) throws Exception {
        Poll poll = new Poll(loadCheckpoint());
        if (status.isPaused(SOURCE)) {
            poll.more = false;
        } else {
            status.polled(SOURCE);
        }
        exchange.setProperty(STATE_PROPERTY, poll);
    }

    /** Headers for the next page request: bearer token and the query string. */
    public void prepareRequest(Exchange exchange) {
        Poll poll = exchange.getProperty(STATE_PROPERTY, Poll.class);
        org.apache.camel.Message message = exchange.getMessage();
        // Only these go out as HTTP headers: nothing of Camel's or ours.
        message.removeHeaders("*");
        message.setBody(null);
        message.setHeader(Exchange.HTTP_METHOD, "GET");
        message.setHeader("Authorization", "Bearer " + setting("bearer-token", ""));
        message.setHeader(Exchange.HTTP_QUERY, queryString(poll.checkpoint));
        status.requested(SOURCE);
    }

    String queryString(Checkpoint checkpoint) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("query", setting("query", ""));
        query.put("max_results", setting("max-results", "100"));
        query.put("expansions", "author_id");
        query.put("tweet.fields", "created_at,lang,public_metrics,conversation_id,referenced_tweets,entities,author_id");
        query.put("user.fields", "public_metrics,verified,username,name");
        if (checkpoint.sinceId() != null) {
            query.put("since_id", checkpoint.sinceId());
        }
        if (checkpoint.nextToken() != null) {
            query.put("next_token", checkpoint.nextToken());
        }
        return query.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** One page's answer: ingest it and move the checkpoint, or back off as the API says. */
    public void onResponse(Exchange exchange) throws Exception {
        Poll poll = exchange.getProperty(STATE_PROPERTY, Poll.class);
        org.apache.camel.Message message = exchange.getMessage();
        int code = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = message.getBody(String.class);
        Instant reset = resetOf(message);
        if (code == 200) {
            onPage(poll, body);
            if (poll.more && "0".equals(message.getHeader("x-rate-limit-remaining", String.class)) && reset != null) {
                // Out of requests for this window: wait for its reset rather than earn a 429.
                status.waitUntil(SOURCE, reset, "rate limit window used up; resuming at " + reset);
                poll.more = false;
            }
            return;
        }
        poll.more = false;
        if (code == 429) {
            String type = problemType(body);
            if (type.endsWith("/usage-capped")) {
                Instant until = clock.instant().plus(duration("usage-cap-pause", Duration.ofHours(1)));
                status.down(SOURCE, until, "usage cap exceeded (429 " + type + "); retrying at " + until);
            } else {
                Instant until = reset != null ? reset : clock.instant().plusSeconds(60);
                status.waitUntil(SOURCE, until, "rate limited (429); resuming at " + until);
            }
        } else if (code == 401 || code == 403) {
            Instant until = clock.instant().plus(duration("auth-failure-pause", Duration.ofMinutes(15)));
            status.down(SOURCE, until, "HTTP " + code + " from X: check hearth.sources.x.bearer-token and the plan's "
                    + "access; retrying at " + until);
        } else {
            status.failed(SOURCE, "HTTP " + code + " from X; retrying at the next poll");
        }
        LOG.warn("Source x: HTTP {} from the search API; {}", code, status.of(SOURCE).reason());
    }

    private void onPage(Poll poll, String body) throws Exception {
        JsonNode page = json.readTree(body);
        JsonNode meta = page.path("meta");
        int count = meta.path("result_count").asInt(page.path("data").size());
        if (page.path("data").size() > 0) {
            ingest.accept(SOURCE, body, "poll");
        }
        status.read(SOURCE, count);
        Checkpoint current = poll.checkpoint;
        String pendingNewest = current.pendingNewestId() != null ? current.pendingNewestId()
                : textOrNull(meta, "newest_id");
        String nextToken = textOrNull(meta, "next_token");
        Checkpoint next = nextToken != null
                ? new Checkpoint(current.sinceId(), pendingNewest, nextToken)
                : new Checkpoint(pendingNewest != null ? pendingNewest : current.sinceId(), null, null);
        checkpoints.save(SOURCE, json.writeValueAsString(next));
        poll.checkpoint = next;
        poll.more = nextToken != null;
        status.succeeded(SOURCE);
    }

    private Checkpoint loadCheckpoint() throws Exception {
        String saved = checkpoints.load(SOURCE).orElse(null);
        return saved == null ? Checkpoint.EMPTY : json.readValue(saved, Checkpoint.class);
    }

    private String problemType(String body) {
        try {
            return json.readTree(body).path("type").asText("");
        } catch (Exception e) {
            return "";
        }
    }

    private static Instant resetOf(org.apache.camel.Message message) {
        String reset = message.getHeader("x-rate-limit-reset", String.class);
        try {
            return reset == null ? null : Instant.ofEpochSecond(Long.parseLong(reset.strip()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }

    private boolean enabled() {
        return "true".equals(setting("enabled", "false"));
    }

    private String setting(String name, String fallback) {
        Map<String, String> settings = properties.getSources().get(SOURCE);
        if (settings == null) {
            return fallback;
        }
        String value = io.hearth.config.ConfigurationValidator.settingOf(settings, name);
        return value == null ? fallback : value;
    }

    private Duration duration(String name, Duration fallback) {
        String value = setting(name, null);
        return value == null ? fallback : Duration.ofMillis(Long.parseLong(value));
    }
}
