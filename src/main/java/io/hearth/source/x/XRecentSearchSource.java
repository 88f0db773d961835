package io.hearth.source.x;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.config.HearthConfigurationException;
import io.hearth.source.PollingSource;
import io.hearth.source.SourceSupport;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * X API v2 recent search (route {@code source-x}). Checkpoint: {@code sinceId}, the newest post
 * already read, plus, in the middle of a poll, {@code pendingNewestId} and {@code nextToken}. X
 * bills per post read, so the source never asks below {@code since_id}. Rate limits from
 * {@code x-rate-limit-remaining/reset}; a 429 whose problem {@code type} ends in
 * {@code /usage-capped} is the plan's usage cap, not a rate limit.
 */
@Component("xRecentSearch")
public class XRecentSearchSource extends PollingSource<XRecentSearchSource.Checkpoint> {

    private static final int MAX_QUERY_LENGTH = 512;

    public record Checkpoint(String sinceId, String pendingNewestId, String nextToken) {
    }

    private final XSettings settings;

    public XRecentSearchSource(XSettings settings, SourceSupport support) {
        super("x", Checkpoint.class, new Checkpoint(null, null, null), settings, support);
        this.settings = settings;
        String query = text(settings.query());
        if (enabled() && query.length() > MAX_QUERY_LENGTH) {
            throw new HearthConfigurationException("hearth.sources.x.query",
                    "is " + query.length() + " characters; X recent search accepts at most " + MAX_QUERY_LENGTH);
        }
    }

    @Override
    public String url() {
        return settings.baseUrl() + "/2/tweets/search/recent";
    }

    @Override
    protected Map<String, String> requestHeaders() {
        return Map.of("Authorization", "Bearer " + text(settings.bearerToken()));
    }

    @Override
    protected String query(Checkpoint checkpoint) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("query", text(settings.query()));
        query.put("max_results", String.valueOf(settings.maxResults()));
        query.put("expansions", "author_id");
        query.put("tweet.fields", "created_at,lang,public_metrics,conversation_id,referenced_tweets,entities,author_id");
        query.put("user.fields", "public_metrics,verified,username,name");
        if (checkpoint.sinceId() != null) {
            query.put("since_id", checkpoint.sinceId());
        }
        if (checkpoint.nextToken() != null) {
            query.put("next_token", checkpoint.nextToken());
        }
        return SourceSupport.queryString(query);
    }

    @Override
    protected Page<Checkpoint> onPage(Checkpoint current, String body, Message response) throws Exception {
        JsonNode page = support.json().readTree(body);
        JsonNode meta = page.path("meta");
        int count = page.path("data").size();
        String pendingNewest = current.pendingNewestId() != null ? current.pendingNewestId() : textOrNull(meta, "newest_id");
        String nextToken = textOrNull(meta, "next_token");
        Checkpoint next = nextToken != null
                ? new Checkpoint(current.sinceId(), pendingNewest, nextToken)
                : new Checkpoint(pendingNewest != null ? pendingNewest : current.sinceId(), null, null);
        return new Page<>(next, nextToken != null, count);
    }

    @Override
    protected Instant rateLimitReset(Message response) {
        String reset = response.getHeader("x-rate-limit-reset", String.class);
        try {
            return reset == null ? null : Instant.ofEpochSecond(Long.parseLong(reset.strip()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    protected boolean rateLimitExhausted(Message response) {
        return "0".equals(response.getHeader("x-rate-limit-remaining", String.class));
    }

    @Override
    protected boolean isQuotaExhausted(int status, String body) {
        if (status != 429 || body == null) {
            return false;
        }
        try {
            return support.json().readTree(body).path("type").asText("").endsWith("/usage-capped");
        } catch (Exception e) {
            return false;
        }
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
