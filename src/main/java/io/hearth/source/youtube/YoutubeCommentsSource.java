package io.hearth.source.youtube;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.config.HearthConfigurationException;
import io.hearth.source.PollingSource;
import io.hearth.source.SourceSupport;
import io.hearth.source.TimeCheckpointedPage;
import org.apache.camel.Message;
import org.springframework.stereotype.Component;

/**
 * YouTube Data API v3 {@code commentThreads.list} (route {@code source-youtube}) for one video
 * ({@code video-id}) or everything on the brand's channel ({@code channel-id},
 * {@code allThreadsRelatedToChannelId}), newest first ({@code order=time}). Checkpoint:
 * {@code since}, the newest top-level {@code publishedAt} read, plus, in the middle of a poll,
 * {@code pendingSince} and the {@code pageToken} of the next page. The API has no "since" filter:
 * paging stops at the first page that reaches a thread not newer than the checkpoint. A first poll
 * without checkpoint reads the latest page only (no backfill).
 *
 * <p>Errors come as Google error bodies: 403 {@code quotaExceeded} → DOWN until the quota day
 * resets (midnight America/Los_Angeles); 403 {@code rateLimitExceeded} / {@code userRateLimitExceeded}
 * (and 429) → short wait ({@code rate-limit-pause}), same page again; 400 {@code keyInvalid} and
 * other 401/403 (forbidden, commentsDisabled) → DOWN for {@code auth-failure-pause}.
 */
@Component("youtubeComments")
public class YoutubeCommentsSource extends PollingSource<YoutubeCommentsSource.Checkpoint> {

    /** Where the Data API's daily quota resets. */
    static final ZoneId QUOTA_ZONE = ZoneId.of("America/Los_Angeles");

    public record Checkpoint(String since, String pendingSince, String pageToken) {
    }

    private final YoutubeSettings settings;

    public YoutubeCommentsSource(YoutubeSettings settings, SourceSupport support) {
        super("youtube", Checkpoint.class, new Checkpoint(null, null, null), settings, support);
        this.settings = settings;
        boolean video = !text(settings.videoId()).isBlank();
        boolean channel = !text(settings.channelId()).isBlank();
        if (enabled() && video == channel) {
            throw new HearthConfigurationException("hearth.sources.youtube.video-id",
                    "set exactly one of video-id (HEARTH_YOUTUBE_VIDEO_ID) and channel-id (HEARTH_YOUTUBE_CHANNEL_ID)");
        }
    }

    @Override
    public String url() {
        return settings.baseUrl() + "/youtube/v3/commentThreads";
    }

    @Override
    protected String query(Checkpoint checkpoint) {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("part", "snippet,replies");
        String video = text(settings.videoId());
        if (!video.isBlank()) {
            query.put("videoId", video.strip());
        } else {
            query.put("allThreadsRelatedToChannelId", text(settings.channelId()).strip());
        }
        query.put("order", "time");
        query.put("maxResults", String.valueOf(settings.maxResults()));
        if (checkpoint.pageToken() != null) {
            query.put("pageToken", checkpoint.pageToken());
        }
        query.put("key", text(settings.apiKey()));
        return SourceSupport.queryString(query);
    }

    @Override
    protected Page<Checkpoint> onPage(Checkpoint current, String body, Message response) throws Exception {
        JsonNode page = support.json().readTree(body);
        JsonNode items = page == null ? null : page.get("items");
        if (items == null || !items.isArray()) {
            throw new IllegalStateException("not a commentThreads page (no 'items' array)");
        }
        JsonNode tokenNode = page.get("nextPageToken");
        String token = tokenNode == null || tokenNode.isNull() || tokenNode.asText().isEmpty() ? null : tokenNode.asText();
        TimeCheckpointedPage t = TimeCheckpointedPage.of(items, thread -> TimeCheckpointedPage.parse(
                thread.path("snippet").path("topLevelComment").path("snippet").path("publishedAt").asText(null)),
                current.since(), current.pendingSince(), token);
        return new Page<>(new Checkpoint(t.nextSince(), t.nextPending(), t.nextCursor()), t.more(), t.unseen());
    }

    @Override
    protected boolean isQuotaExhausted(int status, String body) {
        return status == 403 && reasons(body).contains("quotaExceeded");
    }

    /** The quota day ends at midnight Pacific time. */
    @Override
    protected Instant quotaRetryAt() {
        ZonedDateTime now = ZonedDateTime.now(support.clock().withZone(QUOTA_ZONE));
        return now.toLocalDate().plusDays(1).atStartOfDay(QUOTA_ZONE).toInstant();
    }

    @Override
    protected boolean isRateLimited(int status, String body) {
        if (status == 429) {
            return true;
        }
        Set<String> reasons = status == 403 ? reasons(body) : Set.of();
        return reasons.contains("rateLimitExceeded") || reasons.contains("userRateLimitExceeded");
    }

    @Override
    protected boolean isAuthFailure(int status, String body) {
        if (status == 400) {
            Set<String> reasons = reasons(body);
            return reasons.contains("keyInvalid") || reasons.contains("API_KEY_INVALID");
        }
        return status == 401 || status == 403;
    }

    /** {@code error.errors[].reason} and {@code error.details[].reason} of a Google error body. */
    private Set<String> reasons(String body) {
        Set<String> reasons = new TreeSet<>();
        if (body == null) {
            return reasons;
        }
        try {
            JsonNode error = support.json().readTree(body).path("error");
            for (JsonNode e : error.path("errors")) {
                reasons.add(e.path("reason").asText(""));
            }
            for (JsonNode d : error.path("details")) {
                reasons.add(d.path("reason").asText(""));
            }
        } catch (Exception e) {
            // not a Google error body
        }
        return reasons;
    }
}
