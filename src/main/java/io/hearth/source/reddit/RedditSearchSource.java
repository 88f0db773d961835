package io.hearth.source.reddit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.source.PollingSource;
import io.hearth.source.SourceSupport;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Reddit search {@code GET https://oauth.reddit.com/search?sort=new} (route {@code source-reddit})
 * with an application-only OAuth token (client credentials). Checkpoint: {@code before}, the
 * fullname of the newest item read. With {@code before=<fullname>} Reddit answers the page just
 * above that item, so a full page means more are waiting: the next page asks
 * {@code before=<its first item>}, and after each page the checkpoint is that first item (a crash
 * or a 429 never skips a page). A first poll without checkpoint takes the newest page only.
 *
 * <p>The token: the route asks {@code POST token-url} (basic auth client id/secret,
 * {@code grant_type=client_credentials}) when none is cached or it is about to expire; a 401 from the
 * search drops the token and the route gets a new one, once per poll; a second 401 is DOWN. A
 * refused token request is DOWN too. Every request carries the {@code User-Agent} Reddit requires.
 * Rate limits from {@code x-ratelimit-remaining} (a float) and {@code x-ratelimit-reset} (seconds
 * until the window resets).
 */
@Component("redditSearch")
public class RedditSearchSource extends PollingSource<RedditSearchSource.Checkpoint> {

    /** Exchange property: true when the route must ask for a token before the next search request. */
    public static final String TOKEN_NEEDED_PROPERTY = "HearthTokenNeeded";
    private static final String TOKEN_RETRIED_PROPERTY = "HearthTokenRetried";
    private static final Logger LOG = LoggerFactory.getLogger(RedditSearchSource.class);

    public record Checkpoint(String before) {
    }

    private volatile String token;
    private volatile Instant tokenExpiresAt = Instant.EPOCH;

    private final RedditSettings settings;

    public RedditSearchSource(RedditSettings settings, SourceSupport support) {
        super("reddit", Checkpoint.class, new Checkpoint(null), settings, support);
        this.settings = settings;
    }

    @Override
    public String url() {
        return settings.baseUrl() + "/search";
    }

    /** Where the application-only token is asked for (route source-reddit). */
    public String tokenUrl() {
        return settings.tokenUrl();
    }

    /** Route step: is a (new) token needed before the next search request? */
    public void checkToken(Exchange exchange) {
        boolean needed = token == null || !support.clock().instant().isBefore(tokenExpiresAt);
        exchange.setProperty(TOKEN_NEEDED_PROPERTY, needed);
    }

    /** Route step: the token request (client credentials). */
    public void prepareTokenRequest(Exchange exchange) {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        String credentials = text(settings.clientId()) + ":" + text(settings.clientSecret());
        message.setHeader(Exchange.HTTP_METHOD, "POST");
        message.setHeader("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        message.setHeader("User-Agent", text(settings.userAgent()));
        message.setHeader(Exchange.CONTENT_TYPE, "application/x-www-form-urlencoded");
        message.setBody("grant_type=client_credentials");
        support.status().requested(source);
    }

    /** Route step: cache the token, or put the source DOWN and end the poll. */
    public void onTokenResponse(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        int code = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        String body = message.getBody(String.class);
        JsonNode answer = null;
        if (code == 200 && body != null) {
            try {
                answer = support.json().readTree(body);
            } catch (Exception e) {
                answer = null;
            }
        }
        String accessToken = answer == null ? null : answer.path("access_token").asText(null);
        if (accessToken != null && !accessToken.isBlank()) {
            long expiresIn = answer.path("expires_in").asLong(3600);
            token = accessToken;
            // A minute early, so that a request never leaves with a token about to expire.
            tokenExpiresAt = support.clock().instant().plusSeconds(Math.max(0, expiresIn - 60));
            return;
        }
        token = null;
        stopPoll(exchange);
        if (code == 200 || code == 400 || code == 401 || code == 403) {
            String error = answer == null ? null : answer.path("error").asText(null);
            Instant until = support.clock().instant().plus(authFailurePause());
            support.status().down(source, until, "Reddit token request refused (HTTP " + code + (error == null ? "" : ", " + error)
                    + "): check hearth.sources.reddit.client-id / client-secret; retrying at " + until);
        } else {
            support.status().failed(source, "Reddit token request failed (HTTP " + code + "); retrying at the next poll");
        }
        LOG.warn("Source {}: token request HTTP {}; {}", source, code, support.status().of(source).reason());
    }

    @Override
    public void onResponse(Exchange exchange) throws Exception {
        int code = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        if (code == 401 && !exchange.getProperty(TOKEN_RETRIED_PROPERTY, false, Boolean.class)) {
            // Expired or revoked before its time: one new token, then the same request again.
            exchange.setProperty(TOKEN_RETRIED_PROPERTY, true);
            token = null;
            LOG.info("Source {}: search answered 401; asking for a new token", source);
            return;
        }
        super.onResponse(exchange);
    }

    @Override
    protected Map<String, String> requestHeaders() {
        return Map.of("Authorization", "bearer " + token, "User-Agent", text(settings.userAgent()));
    }

    @Override
    protected String query(Checkpoint checkpoint) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("q", text(settings.query()));
        query.put("sort", "new");
        query.put("limit", String.valueOf(limit()));
        query.put("raw_json", "1");
        if (checkpoint.before() != null) {
            query.put("before", checkpoint.before());
        }
        return SourceSupport.queryString(query);
    }

    @Override
    protected Page<Checkpoint> onPage(Checkpoint current, String body, Message response) throws Exception {
        JsonNode listing = support.json().readTree(body);
        JsonNode children = listing == null ? null : listing.path("data").get("children");
        if (children == null || !children.isArray()) {
            throw new IllegalStateException("not a Reddit listing (no 'data.children' array)");
        }
        int count = children.size();
        String newest = null;
        for (JsonNode child : children) {
            newest = child.path("data").path("name").asText(null);
            if (newest != null && newest.matches("t[0-9]_[0-9a-z]+")) {
                break;
            }
            newest = null;
        }
        if (newest == null) {
            return new Page<>(current, false, count);
        }
        // Without a checkpoint this was the newest page: start from here, no backfill.
        boolean more = current.before() != null && count >= limit();
        return new Page<>(new Checkpoint(newest), more, count);
    }

    @Override
    protected Instant rateLimitReset(Message response) {
        String reset = response.getHeader("x-ratelimit-reset", String.class);
        try {
            return reset == null ? null : support.clock().instant().plusMillis((long) (Double.parseDouble(reset.strip()) * 1000));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    protected boolean rateLimitExhausted(Message response) {
        String remaining = response.getHeader("x-ratelimit-remaining", String.class);
        try {
            return remaining != null && Double.parseDouble(remaining.strip()) < 1;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private int limit() {
        return settings.limit();
    }
}
