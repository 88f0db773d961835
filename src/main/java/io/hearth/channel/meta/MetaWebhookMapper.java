package io.hearth.channel.meta;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.channel.ChannelMapper;
import io.hearth.channel.MappedPayload;
import io.hearth.channel.support.NativeTimes;
import io.hearth.mention.InvalidMentionException;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionKind;
import io.hearth.mention.MentionValidator;
import org.springframework.stereotype.Component;

/**
 * Channel {@code meta}: the body Meta POSTs to a webhook ({@code {"object": "page"|"instagram",
 * "entry": [{"id", "time", "changes": [{"field", "value"}]}]}}), as received on
 * {@code /webhooks/meta} or replayed through {@code /api/ingest/meta}.
 *
 * <ul>
 *   <li>{@code page} / {@code feed}: {@code item} status, post, photo, video, share → kind post
 *       ({@code post_id}); {@code item} comment → kind comment ({@code comment_id}, inReplyTo
 *       {@code meta:<parent_id>}, else {@code meta:<post_id>}). Verbs {@code add} and {@code edited}.</li>
 *   <li>{@code page} / {@code mention}: the Page was @-mentioned in a post (kind post) or a comment
 *       (kind comment, inReplyTo {@code meta:<post_id>}).</li>
 *   <li>{@code instagram} / {@code comments}: kind comment ({@code id}, author {@code from.username},
 *       inReplyTo {@code meta:<parent_id>}, else {@code meta:<media.id>}).</li>
 *   <li>{@code instagram} / {@code mentions}: ids only; a comment ({@code comment_id}, inReplyTo
 *       {@code meta:<media_id>}) or a media post ({@code media_id}), with text {@code ""}: the
 *       webhook does not carry the content.</li>
 * </ul>
 * Skipped (not mentions): other verbs ({@code remove}, {@code hide}, {@code unhide}, …), other items
 * ({@code reaction}, {@code like}, …), other fields, entries without {@code changes} (Messenger's
 * {@code messaging}) and other {@code object}s. A change that should be a mention but lacks its id,
 * time or has a wrong type is a {@link MappedPayload.Rejection}. {@code createdAt} is
 * {@code value.created_time} (epoch seconds or ISO), else the entry's {@code time}.
 */
@Component
public class MetaWebhookMapper implements ChannelMapper {

    public static final String CHANNEL = "meta";

    private static final Set<String> POST_ITEMS = Set.of("status", "post", "photo", "video", "share");
    private static final Set<String> VERBS = Set.of("add", "edited");
    private static final Pattern HASHTAG = Pattern.compile("(?<![\\p{L}\\p{N}_&])#([\\p{L}\\p{N}_]+)");

    private final ObjectMapper objectMapper;

    public MetaWebhookMapper(ObjectMapper objectMapper) {
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
            throw new InvalidMentionException("expected a Meta webhook object {\"object\", \"entry\": [...]}");
        }
        JsonNode object = root.get("object");
        if (object == null || !object.isTextual()) {
            throw new InvalidMentionException("missing field 'object' (page or instagram)");
        }
        JsonNode entries = root.get("entry");
        if (entries == null || !entries.isArray()) {
            throw new InvalidMentionException("field 'entry' must be an array");
        }
        List<Mention> mentions = new ArrayList<>();
        List<MappedPayload.Rejection> rejections = new ArrayList<>();
        String kindOfObject = object.asText();
        if (!kindOfObject.equals("page") && !kindOfObject.equals("instagram")) {
            return new MappedPayload(mentions, rejections); // other subscriptions carry no mentions
        }
        for (int i = 0; i < entries.size(); i++) {
            JsonNode entry = entries.get(i);
            String where = "entry[" + i + "]";
            if (!entry.isObject()) {
                rejections.add(new MappedPayload.Rejection(entry.toString(), where + ": expected an object"));
                continue;
            }
            JsonNode changes = entry.get("changes");
            if (changes == null || changes.isNull()) {
                continue; // e.g. Messenger entries carry "messaging" instead
            }
            if (!changes.isArray()) {
                rejections.add(new MappedPayload.Rejection(entry.toString(), where + ": field 'changes' must be an array"));
                continue;
            }
            for (int j = 0; j < changes.size(); j++) {
                JsonNode change = changes.get(j);
                String at = where + ".changes[" + j + "]";
                try {
                    Mention mention = kindOfObject.equals("page") ? pageChange(entry, change, at) : instagramChange(entry, change, at);
                    if (mention != null) {
                        mentions.add(MentionValidator.validate(mention));
                    }
                } catch (InvalidMentionException e) {
                    rejections.add(new MappedPayload.Rejection(change.toString(),
                            e.getMessage().startsWith(at) ? e.getMessage() : at + ": " + e.getMessage()));
                } catch (RuntimeException e) {
                    rejections.add(new MappedPayload.Rejection(change.toString(), io.hearth.channel.support.JsonItems.unreadable(at, e)));
                }
            }
        }
        return new MappedPayload(mentions, rejections);
    }

    private Mention pageChange(JsonNode entry, JsonNode change, String at) {
        String field = fieldOf(change, at);
        if (!"feed".equals(field) && !"mention".equals(field)) {
            return null;
        }
        JsonNode value = valueOf(change, at);
        String item = text(value, "item");
        String verb = text(value, "verb");
        if (verb != null && !VERBS.contains(verb)) {
            return null;
        }
        boolean comment = "comment".equals(item);
        if (!comment && !POST_ITEMS.contains(item == null ? "" : item)) {
            return null; // reactions, likes, ratings, ...
        }
        String postId = requiredText(value, "post_id", at, !comment);
        String nativeId = comment ? requiredText(value, "comment_id", at, true) : postId;
        String parent = comment ? firstNonBlank(text(value, "parent_id"), postId) : null;
        Instant createdAt = createdAt(entry, value, at);
        String message = optionalText(value, "message", at);
        String url = firstNonBlank(optionalText(value, "permalink_url", at),
                comment || postId == null ? null : "https://www.facebook.com/" + postId);
        JsonNode from = value.get("from");
        Mention.Author author = null;
        if (from != null && from.isObject()) {
            author = new Mention.Author(null, text(from, "id"), text(from, "name"), null, null, null);
        }
        return mention(nativeId, url, comment ? MentionKind.COMMENT : MentionKind.POST, message, createdAt, author,
                parent == null ? null : Mention.idOf(CHANNEL, parent), postId);
    }

    private Mention instagramChange(JsonNode entry, JsonNode change, String at) {
        String field = fieldOf(change, at);
        if (!"comments".equals(field) && !"mentions".equals(field)) {
            return null;
        }
        JsonNode value = valueOf(change, at);
        Instant createdAt;
        if ("comments".equals(field)) {
            String id = requiredText(value, "id", at, true);
            JsonNode media = value.get("media");
            String mediaId = media != null && media.isObject() ? text(media, "id") : null;
            String parent = firstNonBlank(text(value, "parent_id"), mediaId);
            createdAt = createdAt(entry, value, at);
            JsonNode from = value.get("from");
            Mention.Author author = null;
            if (from != null && from.isObject()) {
                String username = text(from, "username");
                author = new Mention.Author(username, text(from, "id"), null, null, null,
                        username == null ? null : "https://www.instagram.com/" + username);
            }
            return mention(id, null, MentionKind.COMMENT, optionalText(value, "text", at), createdAt, author,
                    parent == null ? null : Mention.idOf(CHANNEL, parent), mediaId);
        }
        if ("mentions".equals(field)) {
            String commentId = text(value, "comment_id");
            String mediaId = requiredText(value, "media_id", at, commentId == null);
            createdAt = createdAt(entry, value, at);
            if (commentId != null) {
                return mention(commentId, null, MentionKind.COMMENT, "", createdAt, null,
                        mediaId == null ? null : Mention.idOf(CHANNEL, mediaId), mediaId);
            }
            return mention(mediaId, null, MentionKind.POST, "", createdAt, null, null, mediaId);
        }
        return null;
    }

    private static Mention mention(String nativeId, String url, MentionKind kind, String text, Instant createdAt,
                                   Mention.Author author, String inReplyTo, String conversationId) {
        String body = text == null ? "" : text;
        return Mention.v1(CHANNEL, nativeId).url(url).kind(kind).text(body).createdAt(createdAt).author(author)
                .hashtags(hashtags(body)).inReplyTo(inReplyTo).conversationId(conversationId)
                .build();
    }

    private static List<String> hashtags(String text) {
        Set<String> tags = new LinkedHashSet<>();
        Matcher m = HASHTAG.matcher(text);
        while (m.find()) {
            tags.add(m.group(1));
        }
        return List.copyOf(tags);
    }

    private static String fieldOf(JsonNode change, String at) {
        if (!change.isObject()) {
            throw new InvalidMentionException(at + ": expected an object");
        }
        return text(change, "field");
    }

    private static JsonNode valueOf(JsonNode change, String at) {
        JsonNode value = change.get("value");
        if (value == null || value.isNull()) {
            throw new InvalidMentionException(at + ": missing field 'value'");
        }
        if (!value.isObject()) {
            throw new InvalidMentionException(at + ": field 'value' must be an object");
        }
        return value;
    }

    /** value.created_time (epoch seconds, numeric string or ISO), else the entry's time. */
    private static Instant createdAt(JsonNode entry, JsonNode value, String at) {
        JsonNode created = value.get("created_time");
        if (created != null && !created.isNull()) {
            Instant instant = created.isIntegralNumber() ? NativeTimes.ofEpoch(created.asLong())
                    : created.isTextual() ? NativeTimes.parseIso(created.asText()) : null;
            if (instant == null) {
                throw new InvalidMentionException(at + ": field 'value.created_time' is not epoch seconds or ISO-8601");
            }
            return instant;
        }
        JsonNode time = entry.get("time");
        if (time != null && time.isIntegralNumber()) {
            return NativeTimes.ofEpoch(time.asLong());
        }
        throw new InvalidMentionException(at + ": no time: neither 'value.created_time' nor the entry's 'time'");
    }

    private static String requiredText(JsonNode value, String field, String at, boolean required) {
        JsonNode node = value.get(field);
        if (node == null || node.isNull() || node.isTextual() && node.asText().isBlank()) {
            if (required) {
                throw new InvalidMentionException(at + ": missing field 'value." + field + "'");
            }
            return null;
        }
        if (!node.isTextual() && !node.isIntegralNumber()) {
            throw new InvalidMentionException(at + ": field 'value." + field + "' must be a string");
        }
        return node.asText();
    }

    private static String optionalText(JsonNode value, String field, String at) {
        JsonNode node = value.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw new InvalidMentionException(at + ": field 'value." + field + "' must be a string");
        }
        return node.asText();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() || !v.isValueNode() || v.asText().isBlank() ? null : v.asText();
    }

    private static String firstNonBlank(String a, String b) {
        return a != null && !a.isBlank() ? a : b;
    }

    private JsonNode parse(String payload) {
        if (payload == null || payload.isBlank()) {
            throw new InvalidMentionException("empty payload: expected a Meta webhook object");
        }
        try {
            JsonNode root = objectMapper.readTree(payload);
            if (root == null) {
                throw new InvalidMentionException("empty payload: expected a Meta webhook object");
            }
            return root;
        } catch (JsonProcessingException e) {
            String location = e.getLocation() == null ? ""
                    : " (at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new InvalidMentionException("malformed JSON: " + e.getOriginalMessage() + location, e);
        }
    }
}
