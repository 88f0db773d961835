package io.hearth.source.bluesky;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.source.PollingSource;
import io.hearth.source.SourceSupport;
import io.hearth.source.TimeCheckpointedPage;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * Bluesky post search {@code GET /xrpc/app.bsky.feed.searchPosts?sort=latest} on an AppView (route
 * {@code source-bluesky}). Checkpoint: {@code since}, the newest {@code sortAt} already read, plus,
 * in the middle of a poll, {@code pendingSince} and the {@code cursor} of the next page.
 *
 * <p>{@code sortAt} is what {@code sort=latest} orders by and what the API's {@code since} filter
 * compares with: the earlier of the record's {@code createdAt} and the AppView's {@code indexedAt}.
 * Each poll asks {@code since=<checkpoint>} (inclusive, per the lexicon) and, in case an AppView
 * ignores the filter, also stops paging itself at the first page that reaches a post not newer than
 * the checkpoint. Posts not newer than the checkpoint (the boundary post the inclusive filter
 * serves again) do not count as read; a page holding nothing else is not ingested. A first poll
 * without checkpoint takes the latest page only (no backfill). Rate limits from
 * {@code RateLimit-Remaining} and {@code RateLimit-Reset} (epoch seconds).
 */
@Component("blueskySearch")
public class BlueskySearchSource extends PollingSource<BlueskySearchSource.Checkpoint> {

    public record Checkpoint(String since, String pendingSince, String cursor) {
    }

    private final BlueskySettings settings;

    public BlueskySearchSource(BlueskySettings settings, SourceSupport support) {
        super("bluesky", Checkpoint.class, new Checkpoint(null, null, null), settings, support);
        this.settings = settings;
    }

    @Override
    public String url() {
        return settings.baseUrl() + "/xrpc/app.bsky.feed.searchPosts";
    }

    @Override
    protected Map<String, String> requestHeaders() {
        String token = text(settings.accessToken());
        return token.isBlank() ? Map.of() : Map.of("Authorization", "Bearer " + token);
    }

    @Override
    protected String query(Checkpoint checkpoint) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("q", text(settings.query()));
        query.put("sort", "latest");
        query.put("limit", String.valueOf(settings.limit()));
        if (checkpoint.since() != null) {
            query.put("since", checkpoint.since());
        }
        if (checkpoint.cursor() != null) {
            query.put("cursor", checkpoint.cursor());
        }
        return SourceSupport.queryString(query);
    }

    @Override
    protected Page<Checkpoint> onPage(Checkpoint current, String body, Message response) throws Exception {
        JsonNode page = support.json().readTree(body);
        JsonNode posts = page == null ? null : page.get("posts");
        if (posts == null || !posts.isArray()) {
            // Not a page at all: a failed poll, the checkpoint stays.
            throw new IllegalStateException("not a searchPosts page (no 'posts' array)");
        }
        JsonNode cursorNode = page.get("cursor");
        String cursor = cursorNode == null || cursorNode.isNull() || cursorNode.asText().isEmpty() ? null : cursorNode.asText();
        TimeCheckpointedPage t = TimeCheckpointedPage.of(posts, BlueskySearchSource::sortAt, current.since(),
                current.pendingSince(), cursor);
        return new Page<>(new Checkpoint(t.nextSince(), t.nextPending(), t.nextCursor()), t.more(), t.unseen());
    }

    @Override
    protected Instant rateLimitReset(Message response) {
        String reset = response.getHeader("RateLimit-Reset", String.class);
        try {
            return reset == null ? null : Instant.ofEpochSecond(Long.parseLong(reset.strip()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    protected boolean rateLimitExhausted(Message response) {
        String remaining = response.getHeader("RateLimit-Remaining", String.class);
        return remaining != null && remaining.strip().equals("0");
    }

    /** The earlier of {@code record.createdAt} and {@code indexedAt}; null when neither reads. */
    static Instant sortAt(JsonNode post) {
        Instant created = TimeCheckpointedPage.parse(text(post.path("record").get("createdAt")));
        Instant indexed = TimeCheckpointedPage.parse(text(post.get("indexedAt")));
        if (created == null) {
            return indexed;
        }
        return indexed == null || created.isBefore(indexed) ? created : indexed;
    }

    private static String text(JsonNode node) {
        return node == null || !node.isTextual() ? null : node.asText();
    }
}
