package io.hearth.channel.xactivity;

import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.channel.ChannelMapper;
import io.hearth.channel.MappedPayload;
import io.hearth.mention.InvalidMentionException;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionKind;
import io.hearth.mention.MentionValidator;
import org.springframework.stereotype.Component;

/**
 * Channel {@code x-activity}: the body of an X Account Activity webhook POST. Only
 * {@code tweet_create_events} (an array of v1.1 tweets, each with its own {@code user} object) makes
 * mentions; every other event type ({@code favorite_events}, {@code follow_events},
 * {@code direct_message_events}, …) is skipped; {@code tweet_delete_events} are read by {@link #deletedPosts}.
 *
 * <p>The mentions it makes have channel {@code x}, not {@code x-activity}: they are X posts, and
 * {@code x:<id>} is the same id the X search source gives the same post, so a post both delivered
 * by the webhook and found by a search enters the pipeline once, and {@code inReplyTo} /
 * {@code repostOf} ({@code x:<id>}) join across both sources.
 */
@Component
public class AccountActivityMapper implements ChannelMapper {

    public static final String CHANNEL = "x-activity";
    /** The channel of the mentions: the social network, shared with the X search source. */
    public static final String MENTION_CHANNEL = "x";

    private static final DateTimeFormatter CREATED_AT =
            DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss Z yyyy", Locale.ENGLISH);

    private final ObjectMapper objectMapper;

    public AccountActivityMapper(ObjectMapper objectMapper) {
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
            throw new InvalidMentionException("expected an Account Activity event object");
        }
        List<Mention> mentions = new ArrayList<>();
        List<MappedPayload.Rejection> rejections = new ArrayList<>();
        JsonNode events = root.get("tweet_create_events");
        if (events == null || events.isNull()) {
            return new MappedPayload(mentions, rejections);
        }
        if (!events.isArray()) {
            throw new InvalidMentionException("field 'tweet_create_events' must be an array");
        }
        for (int i = 0; i < events.size(); i++) {
            JsonNode tweet = events.get(i);
            String at = "tweet_create_events[" + i + "]";
            try {
                mentions.add(MentionValidator.validate(toMention(tweet, at)));
            } catch (InvalidMentionException e) {
                rejections.add(new MappedPayload.Rejection(tweet.toString(),
                        e.getMessage().startsWith(at) ? e.getMessage() : at + ": " + e.getMessage()));
            } catch (RuntimeException e) {
                rejections.add(new MappedPayload.Rejection(tweet.toString(), io.hearth.channel.support.JsonItems.unreadable(at, e)));
            }
        }
        return new MappedPayload(mentions, rejections);
    }

    /**
     * {@code tweet_delete_events}: {@code [{"status": {"id": "…", "user_id": "…"}, "timestamp_ms": "…"}]} → {@code x:<id>}.
     * Malformed entries are skipped (a delete event carries nothing else worth a DLQ entry).
     */
    @Override
    public List<String> deletedPosts(String payload) {
        JsonNode events;
        try {
            events = objectMapper.readTree(payload).path("tweet_delete_events");
        } catch (JsonProcessingException e) {
            return List.of();
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode event : events) {
            JsonNode status = event.path("status");
            String id = firstNonBlank(text(status, "id_str"), status.path("id").isValueNode() ? status.get("id").asText() : null);
            if (id != null && id.matches("\\d{1,20}")) {
                ids.add(Mention.idOf(MENTION_CHANNEL, id));
            }
        }
        return ids;
    }

    private Mention toMention(JsonNode tweet, String at) {
        if (!tweet.isObject()) {
            throw new InvalidMentionException(at + ": expected an object");
        }
        String id = idOf(tweet, at);
        if (id == null) {
            throw new InvalidMentionException(at + ": missing field 'id_str'");
        }
        Instant createdAt = createdAt(tweet, at);
        JsonNode user = tweet.get("user");
        if (user == null || !user.isObject()) {
            throw new InvalidMentionException(at + ": missing object 'user'");
        }
        String handle = text(user, "screen_name");
        Mention.Author author = new Mention.Author(handle, firstNonBlank(text(user, "id_str"), text(user, "id")),
                text(user, "name"), longOf(user, "followers_count"),
                user.path("verified").isBoolean() ? user.get("verified").asBoolean() : null,
                handle == null ? null : "https://x.com/" + handle);

        JsonNode extended = tweet.path("extended_tweet");
        String text = firstNonBlank(text(extended, "full_text"), firstNonBlank(text(tweet, "full_text"), text(tweet, "text")));
        JsonNode entities = extended.path("entities").isObject() ? extended.get("entities") : tweet.path("entities");

        MentionKind kind = MentionKind.POST;
        String inReplyTo = null;
        String repostOf = null;
        JsonNode retweeted = tweet.get("retweeted_status");
        String quoted = firstNonBlank(text(tweet, "quoted_status_id_str"), idOf(tweet.path("quoted_status"), at));
        String replyTo = text(tweet, "in_reply_to_status_id_str");
        if (retweeted != null && retweeted.isObject()) {
            kind = MentionKind.REPOST;
            String original = idOf(retweeted, at);
            repostOf = original == null ? null : Mention.idOf(MENTION_CHANNEL, original);
        } else if (tweet.path("is_quote_status").asBoolean(false) && quoted != null) {
            kind = MentionKind.QUOTE;
            repostOf = Mention.idOf(MENTION_CHANNEL, quoted);
        } else if (replyTo != null) {
            kind = MentionKind.REPLY;
        }
        if (replyTo != null) {
            inReplyTo = Mention.idOf(MENTION_CHANNEL, replyTo);
        }
        Mention.Engagement engagement = new Mention.Engagement(longOf(tweet, "favorite_count"),
                longOf(tweet, "retweet_count"), longOf(tweet, "reply_count"), longOf(tweet, "quote_count"));
        return Mention.v1(MENTION_CHANNEL, id)
                .url(handle == null ? null : "https://x.com/" + handle + "/status/" + id).kind(kind)
                .text(text == null ? "" : unescape(text)).lang(text(tweet, "lang")).createdAt(createdAt)
                .author(author).engagement(engagement)
                .hashtags(values(entities.path("hashtags"), "text"))
                .mentions(values(entities.path("user_mentions"), "screen_name"))
                .links(values(entities.path("urls"), "expanded_url"))
                .inReplyTo(inReplyTo).repostOf(repostOf)
                .build();
    }

    private static Instant createdAt(JsonNode tweet, String at) {
        String value = text(tweet, "created_at");
        if (value == null) {
            JsonNode ms = tweet.get("timestamp_ms");
            if (ms != null && ms.asText().matches("\\d{1,15}")) {
                return Instant.ofEpochMilli(Long.parseLong(ms.asText()));
            }
            throw new InvalidMentionException(at + ": missing field 'created_at'");
        }
        try {
            return ZonedDateTime.parse(value, CREATED_AT).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidMentionException(at + ": field 'created_at' is not an X date (Wed Oct 10 20:19:24 +0000 2018)");
        }
    }

    private static String idOf(JsonNode tweet, String at) {
        String id = firstNonBlank(text(tweet, "id_str"), tweet.path("id").isIntegralNumber() ? tweet.get("id").asText() : null);
        if (id != null && !id.matches("\\d{1,20}")) {
            throw new InvalidMentionException(at + ": field 'id_str' is not a numeric id");
        }
        return id;
    }

    /** v1.1 text escapes exactly these three. */
    private static String unescape(String text) {
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    private static List<String> values(JsonNode array, String field) {
        Set<String> out = new LinkedHashSet<>();
        if (array.isArray()) {
            for (JsonNode element : array) {
                String v = text(element, field);
                if (v != null) {
                    out.add(v);
                }
            }
        }
        return List.copyOf(out);
    }

    private static Long longOf(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && v.isIntegralNumber() ? v.asLong() : null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v == null || !v.isValueNode() || v.isNull() || v.asText().isBlank() ? null : v.asText();
    }

    private static String firstNonBlank(String a, String b) {
        return a != null ? a : b;
    }

    private JsonNode parse(String payload) {
        if (payload == null || payload.isBlank()) {
            throw new InvalidMentionException("empty payload: expected an Account Activity event object");
        }
        try {
            JsonNode root = objectMapper.readTree(payload);
            if (root == null) {
                throw new InvalidMentionException("empty payload: expected an Account Activity event object");
            }
            return root;
        } catch (JsonProcessingException e) {
            String location = e.getLocation() == null ? ""
                    : " (at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new InvalidMentionException("malformed JSON: " + e.getOriginalMessage() + location, e);
        }
    }
}
