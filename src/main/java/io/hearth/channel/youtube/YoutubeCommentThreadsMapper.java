package io.hearth.channel.youtube;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.channel.ChannelMapper;
import io.hearth.channel.MappedPayload;
import io.hearth.channel.support.JsonItems;
import io.hearth.channel.support.HtmlText;
import io.hearth.mention.InvalidMentionException;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionKind;
import io.hearth.mention.MentionValidator;
import org.springframework.stereotype.Component;

/**
 * Channel {@code youtube}: a {@code commentThreads.list} response ({@code youtube#commentThreadListResponse},
 * {@code items[].snippet.topLevelComment} and, with {@code part=replies}, {@code items[].replies.comments[]}),
 * exactly as the Data API v3 returns it. A {@code comments.list} response ({@code youtube#commentListResponse},
 * e.g. all replies of a thread by {@code parentId}) maps the same way. A Google error body
 * ({@code {"error": {...}}}, e.g. {@code quotaExceeded}) is refused as a whole, naming the reason.
 * Field by field: docs/channels/youtube.md.
 */
@Component
public class YoutubeCommentThreadsMapper implements ChannelMapper {

    public static final String CHANNEL = "youtube";

    private static final Pattern HASHTAG = Pattern.compile("(?<![\\p{L}\\p{N}_&#])#([\\p{L}\\p{N}_]+)");
    private static final Pattern HANDLE = Pattern.compile("(?<![\\p{L}\\p{N}_.@-])@([\\p{L}\\p{N}_.-]{3,30})");
    private static final Pattern URL = Pattern.compile("https?://[^\\s<>\"]+");
    private static final Pattern ANCHOR = Pattern.compile("<a\\s[^>]*?href=\"([^\"]*)\"[^>]*>(.*?)</a>",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private final ObjectMapper objectMapper;

    public YoutubeCommentThreadsMapper(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public MappedPayload mapPayload(String payload) {
        JsonNode root = parse(payload);
        if (!root.isObject()) {
            throw new InvalidMentionException("expected a commentThreads response (a JSON object with 'items'), got a JSON "
                    + root.getNodeType().name().toLowerCase());
        }
        if (root.has("error")) {
            throw new InvalidMentionException(errorDescription(root.get("error")));
        }
        String listKind = root.path("kind").asText("");
        if (!listKind.isEmpty() && !listKind.equals("youtube#commentThreadListResponse")
                && !listKind.equals("youtube#commentListResponse")) {
            throw new InvalidMentionException("unsupported response kind '" + listKind
                    + "' (expected youtube#commentThreadListResponse or youtube#commentListResponse)");
        }
        JsonNode items = root.get("items");
        if (items == null || items.isNull()) {
            // The API leaves "items" out of an empty page only in old responses; a page without it is empty.
            if (!listKind.isEmpty()) {
                return MappedPayload.of(List.of());
            }
            throw new InvalidMentionException("missing field 'items': not a commentThreads response");
        }
        if (!items.isArray()) {
            throw new InvalidMentionException("field 'items' must be an array");
        }
        List<Mention> mentions = new ArrayList<>();
        List<MappedPayload.Rejection> rejections = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String where = "items[" + i + "]";
            if (item.isObject() && item.path("kind").asText("").equals("youtube#comment")
                    || listKind.equals("youtube#commentListResponse")) {
                comment(item, where, null, null, null, mentions, rejections);
            } else {
                thread(item, where, mentions, rejections);
            }
        }
        return new MappedPayload(mentions, rejections);
    }

    private void thread(JsonNode thread, String where, List<Mention> mentions, List<MappedPayload.Rejection> rejections) {
        JsonNode snippet = thread.path("snippet");
        JsonNode top = snippet.path("topLevelComment");
        if (!thread.isObject() || !snippet.isObject() || !top.isObject()) {
            rejections.add(new MappedPayload.Rejection(thread.toString(), where + ": "
                    + (!thread.isObject() ? "expected a commentThread object" : "missing field 'snippet.topLevelComment'")));
            return;
        }
        String videoId = snippet.path("videoId").isTextual() ? snippet.get("videoId").asText() : null;
        Long totalReplies = snippet.path("totalReplyCount").isIntegralNumber() ? snippet.get("totalReplyCount").asLong() : null;
        comment(top, where + ".snippet.topLevelComment", null, videoId, totalReplies, mentions, rejections);
        String threadId = thread.path("id").isTextual() ? thread.get("id").asText()
                : top.path("id").isTextual() ? top.get("id").asText() : null;
        JsonNode replies = thread.path("replies").path("comments");
        if (replies.isArray()) {
            for (int j = 0; j < replies.size(); j++) {
                comment(replies.get(j), where + ".replies.comments[" + j + "]", threadId, videoId, null, mentions, rejections);
            }
        }
    }

    /**
     * @param threadId the thread a reply belongs to (its parent when {@code snippet.parentId} is missing);
     *                 null for a top-level comment
     */
    private void comment(JsonNode comment, String where, String threadId, String threadVideoId, Long totalReplies,
                         List<Mention> mentions, List<MappedPayload.Rejection> rejections) {
        try {
            mentions.add(toMention(comment, threadId, threadVideoId, totalReplies));
        } catch (ItemException | InvalidMentionException e) {
            rejections.add(new MappedPayload.Rejection(comment.toString(), where + ": " + e.getMessage()));
        } catch (RuntimeException e) {
            rejections.add(new MappedPayload.Rejection(comment.toString(), io.hearth.channel.support.JsonItems.unreadable(where, e)));
        }
    }

    private Mention toMention(JsonNode comment, String threadId, String threadVideoId, Long totalReplies) {
        if (!comment.isObject()) {
            throw new ItemException("expected a comment object");
        }
        String id = optionalText(comment, "id", "id");
        if (id == null || id.isBlank()) {
            throw new ItemException("missing field 'id'");
        }
        JsonNode snippet = comment.get("snippet");
        if (snippet == null || !snippet.isObject()) {
            throw new ItemException("missing field 'snippet'");
        }
        String original = optionalText(snippet, "textOriginal", "snippet.textOriginal");
        String display = optionalText(snippet, "textDisplay", "snippet.textDisplay");
        if (original == null && display == null) {
            throw new ItemException("missing field 'snippet.textOriginal'");
        }
        String text = original != null ? original : HtmlText.toPlainText(display);
        String published = optionalText(snippet, "publishedAt", "snippet.publishedAt");
        if (published == null) {
            throw new ItemException("missing field 'snippet.publishedAt'");
        }
        Instant createdAt;
        try {
            createdAt = OffsetDateTime.parse(published).toInstant();
        } catch (DateTimeParseException e) {
            throw new ItemException("field 'snippet.publishedAt' is not an ISO-8601 timestamp");
        }
        String parentId = optionalText(snippet, "parentId", "snippet.parentId");
        if (parentId == null) {
            parentId = threadId;
        }
        String videoId = optionalText(snippet, "videoId", "snippet.videoId");
        if (videoId == null) {
            videoId = threadVideoId;
        }
        Long likes = null;
        JsonNode likeCount = snippet.get("likeCount");
        if (likeCount != null && !likeCount.isNull()) {
            if (!likeCount.isIntegralNumber()) {
                throw new ItemException("field 'snippet.likeCount' must be an integer");
            }
            likes = likeCount.asLong();
        }
        Mention.Engagement engagement = likes == null && totalReplies == null ? null
                : new Mention.Engagement(likes, null, parentId == null ? totalReplies : null, null);
        String url = videoId == null ? null : "https://www.youtube.com/watch?v=" + videoId + "&lc=" + id;
        return MentionValidator.validate(Mention.v1(CHANNEL, id)
                .url(url).kind(parentId == null ? MentionKind.COMMENT : MentionKind.REPLY).text(text)
                .createdAt(createdAt).author(author(snippet)).engagement(engagement)
                .hashtags(matches(HASHTAG, text)).mentions(matches(HANDLE, text))
                .links(links(display, original, videoId))
                .inReplyTo(parentId == null ? null : Mention.idOf(CHANNEL, parentId)).conversationId(videoId)
                .build());
    }

    private static Mention.Author author(JsonNode snippet) {
        String name = optionalText(snippet, "authorDisplayName", "snippet.authorDisplayName");
        String channelId = snippet.path("authorChannelId").path("value").isTextual()
                ? snippet.get("authorChannelId").get("value").asText() : null;
        String channelUrl = optionalText(snippet, "authorChannelUrl", "snippet.authorChannelUrl");
        if (name != null && name.isBlank()) {
            name = null;
        }
        if (name == null && channelId == null && channelUrl == null) {
            return null;
        }
        String handle = name == null ? null : name.startsWith("@") ? name.substring(1) : name;
        return new Mention.Author(handle, channelId, name, null, null, channelUrl);
    }

    /**
     * Links the comment carries: the {@code href}s of {@code textDisplay} (YouTube links bare domains such as
     * "Google.com" there), except hashtag searches, {@code @handle} links and timestamps into the same video.
     * Without {@code textDisplay}: the http(s) URLs in {@code textOriginal}.
     */
    private static List<String> links(String display, String original, String videoId) {
        Set<String> links = new LinkedHashSet<>();
        if (display != null) {
            Matcher m = ANCHOR.matcher(display);
            while (m.find()) {
                String href = HtmlText.decodeEntities(m.group(1));
                String label = HtmlText.toPlainText(m.group(2)).strip();
                boolean sameVideo = videoId != null && href.contains("watch?v=" + videoId);
                if (href.isBlank() || label.startsWith("#") || label.startsWith("@") || sameVideo
                        || href.contains("/results?search_query=")) {
                    continue;
                }
                links.add(href);
            }
        } else if (original != null) {
            Matcher m = URL.matcher(original);
            while (m.find()) {
                links.add(m.group().replaceAll("[.,;:!?)]+$", ""));
            }
        }
        return List.copyOf(links);
    }

    private static List<String> matches(Pattern pattern, String text) {
        Set<String> found = new LinkedHashSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            String value = m.group(1).replaceAll("[.-]+$", "");
            if (!value.isEmpty()) {
                found.add(value);
            }
        }
        return List.copyOf(found);
    }

    private static String errorDescription(JsonNode error) {
        StringBuilder s = new StringBuilder("YouTube API error response");
        if (error.isObject()) {
            List<String> parts = new ArrayList<>();
            if (error.path("code").isNumber()) {
                parts.add("code " + error.get("code").asInt());
            }
            Set<String> reasons = new LinkedHashSet<>();
            for (JsonNode e : error.path("errors")) {
                if (e.path("reason").isTextual()) {
                    reasons.add(e.get("reason").asText());
                }
            }
            if (!reasons.isEmpty()) {
                parts.add("reason " + String.join(", ", reasons));
            }
            if (error.path("status").isTextual()) {
                parts.add("status " + error.get("status").asText());
            }
            if (!parts.isEmpty()) {
                s.append(" (").append(String.join(", ", parts)).append(")");
            }
        } else if (error.isTextual()) {
            s.append(" (").append(error.asText()).append(")"); // OAuth style: {"error": "invalid_grant"}
        }
        return s.append(", not a commentThreads response").toString();
    }

    private static String optionalText(JsonNode node, String field, String name) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ItemException("field '" + name + "' must be a string");
        }
        return value.asText();
    }

    private JsonNode parse(String payload) {
        return JsonItems.parse(objectMapper, payload, "a commentThreads response");
    }

    /** One comment that cannot be mapped; becomes a rejection, the rest of the payload goes on. */
    static final class ItemException extends RuntimeException {
        ItemException(String message) {
            super(message, null, false, false);
        }
    }
}
