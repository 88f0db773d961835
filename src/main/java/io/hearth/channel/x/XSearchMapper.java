package io.hearth.channel.x;

import static io.hearth.channel.support.JsonItems.array;
import static io.hearth.channel.support.JsonItems.bool;
import static io.hearth.channel.support.JsonItems.id;
import static io.hearth.channel.support.JsonItems.integer;
import static io.hearth.channel.support.JsonItems.object;
import static io.hearth.channel.support.JsonItems.requiredId;
import static io.hearth.channel.support.JsonItems.requiredText;
import static io.hearth.channel.support.JsonItems.text;
import static io.hearth.channel.support.JsonItems.texts;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.channel.ChannelMapper;
import io.hearth.channel.MappedPayload;
import io.hearth.channel.support.JsonItems;
import io.hearth.channel.support.JsonItems.BadItem;
import io.hearth.mention.InvalidMentionException;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionKind;
import io.hearth.mention.MentionValidator;
import org.springframework.stereotype.Component;

/**
 * Channel {@code x}: one X API v2 search response ({@code GET /2/tweets/search/recent} or
 * {@code /search/all}) as the API returns it — {@code data[]} posts, {@code includes.users} for
 * the authors ({@code expansions=author_id}), {@code meta}, and possibly {@code errors[]}.
 * Field by field in docs/channels/x.md.
 *
 * <p>{@code errors[]} in a 200 are the API's partial errors (a mentioned user suspended, a
 * referenced post deleted): they are neither mentions nor rejected items and are ignored here.
 */
@Component
public class XSearchMapper implements ChannelMapper {

    public static final String CHANNEL = "x";

    private final ObjectMapper json;

    public XSearchMapper(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public MappedPayload mapPayload(String payload) {
        JsonNode root = JsonItems.parse(json, payload, "an X API v2 search response (an object with 'data')");
        if (!root.isObject()) {
            throw new InvalidMentionException("expected an X API v2 search response: a JSON object with 'data', got a JSON "
                    + root.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        JsonNode data = root.get("data");
        if (data == null || data.isNull()) {
            if (!root.has("meta")) {
                // e.g. a 429/401 problem body or a v1-style {"errors":[…]} envelope posted by mistake
                throw new InvalidMentionException("not an X API v2 search response: neither 'data' nor 'meta'"
                        + (root.has("title") || root.has("errors") ? " (this looks like an API error body)" : ""));
            }
            return MappedPayload.of(List.of()); // no results: {"meta":{"result_count":0}}
        }
        if (!data.isArray()) {
            throw new InvalidMentionException("field 'data' must be an array of posts");
        }
        Map<String, JsonNode> users = users(root);
        return JsonItems.mapEach(data, "data", post -> toMention(post, users));
    }

    private static Map<String, JsonNode> users(JsonNode root) {
        Map<String, JsonNode> users = new HashMap<>();
        JsonNode includes = root.get("includes");
        if (includes == null || includes.isNull()) {
            return users;
        }
        if (!includes.isObject()) {
            throw new InvalidMentionException("field 'includes' must be an object");
        }
        JsonNode list = includes.get("users");
        if (list == null || list.isNull()) {
            return users;
        }
        if (!list.isArray()) {
            throw new InvalidMentionException("field 'includes.users' must be an array");
        }
        for (JsonNode user : list) {
            JsonNode id = user.get("id");
            if (user.isObject() && id != null && (id.isTextual() || id.isIntegralNumber())) {
                users.putIfAbsent(id.asText(), user);
            }
        }
        return users;
    }

    private static Mention toMention(JsonNode post, Map<String, JsonNode> users) {
        String id = requiredId(post, "id");
        // Long posts (> 280 characters) carry their full text and entities in note_tweet when asked for.
        JsonNode note = object(post, "note_tweet");
        JsonNode textSource = note != null && text(note, "text") != null ? note : post;
        String text = XText.unescape(requiredText(textSource, "text"));
        Instant createdAt = createdAt(post, id);

        String authorId = id(post, "author_id");
        Mention.Author author = null;
        String username = null;
        if (authorId != null) {
            JsonNode user = users.get(authorId);
            if (user == null) {
                author = new Mention.Author(null, authorId, null, null, null, null); // deleted or suspended
            } else {
                username = text(user, "username");
                author = new Mention.Author(username, authorId, text(user, "name"),
                        integer(user, "public_metrics.followers_count"), verified(user), XText.profileUrl(username));
            }
        }

        String repostOf = null;
        String quoted = null;
        String repliedTo = null;
        List<JsonNode> referenced = array(post, "referenced_tweets");
        for (int i = 0; i < referenced.size(); i++) {
            JsonNode ref = referenced.get(i);
            String type = text(ref, "type");
            String refId = id(ref, "id");
            if (type == null || refId == null) {
                throw new BadItem("field 'referenced_tweets[" + i + "]' needs 'type' and 'id'");
            }
            switch (type) {
                case "retweeted" -> repostOf = refId;
                case "quoted" -> quoted = refId;
                case "replied_to" -> repliedTo = refId;
                default -> { } // a type X may add later: not a reason to drop the post
            }
        }
        MentionKind kind = repostOf != null ? MentionKind.REPOST
                : repliedTo != null ? MentionKind.REPLY
                : quoted != null ? MentionKind.QUOTE
                : MentionKind.POST;
        String repostOrQuote = repostOf != null ? repostOf : quoted;

        JsonNode entities = object(textSource, "entities") != null ? textSource : post;
        List<String> links = new ArrayList<>();
        for (JsonNode url : array(entities, "entities.urls")) {
            if (!url.isObject()) {
                throw new BadItem("field 'entities.urls' must hold objects");
            }
            if (isMedia(url)) {
                continue; // an attached photo/video, not a link the author wrote (v1.1 keeps these apart too)
            }
            String expanded = text(url, "expanded_url");
            String link = expanded != null ? expanded : text(url, "url");
            if (link != null && !link.isBlank() && !XText.isSelfLink(link, id) && !links.contains(link)) {
                links.add(link);
            }
        }

        return MentionValidator.validate(Mention.v1(CHANNEL, id)
                .url(XText.permalink(username, id)).kind(kind).text(text).lang(text(post, "lang"))
                .createdAt(createdAt).author(author).engagement(engagement(post))
                .hashtags(texts(entities, "entities.hashtags", "tag"))
                .mentions(texts(entities, "entities.mentions", "username")).links(links)
                .inReplyTo(repliedTo == null ? null : Mention.idOf(CHANNEL, repliedTo))
                .repostOf(repostOrQuote == null ? null : Mention.idOf(CHANNEL, repostOrQuote))
                .conversationId(id(post, "conversation_id"))
                .build());
    }

    /** X lists attached media among the urls: with a media_key, or shown as pic.twitter.com / pic.x.com. */
    private static boolean isMedia(JsonNode url) {
        String display = text(url, "display_url");
        return url.hasNonNull("media_key")
                || (display != null && (display.startsWith("pic.twitter.com/") || display.startsWith("pic.x.com/")));
    }

    private static Instant createdAt(JsonNode post, String id) {
        String createdAt = text(post, "created_at");
        if (createdAt == null) {
            // tweet.fields without created_at (the API's default fields): the snowflake id says when
            Instant fromId = XText.snowflakeTime(id);
            if (fromId == null) {
                throw new BadItem("missing field 'created_at'");
            }
            return fromId;
        }
        try {
            return Instant.parse(createdAt);
        } catch (DateTimeParseException e) {
            throw new BadItem("field 'created_at' must be an ISO-8601 timestamp");
        }
    }

    /** {@code verified} (legacy flag) when given, else derived from {@code verified_type} (anything but "none"). */
    private static Boolean verified(JsonNode user) {
        Boolean verified = bool(user, "verified");
        if (verified != null) {
            return verified;
        }
        String type = text(user, "verified_type");
        return type == null ? null : !type.equals("none");
    }

    private static Mention.Engagement engagement(JsonNode post) {
        return JsonItems.engagement(integer(post, "public_metrics.like_count"), integer(post, "public_metrics.retweet_count"),
                integer(post, "public_metrics.reply_count"), integer(post, "public_metrics.quote_count"));
    }
}
