package io.hearth.channel.twitter;

import static io.hearth.channel.support.JsonItems.array;
import static io.hearth.channel.support.JsonItems.bool;
import static io.hearth.channel.support.JsonItems.id;
import static io.hearth.channel.support.JsonItems.integer;
import static io.hearth.channel.support.JsonItems.object;
import static io.hearth.channel.support.JsonItems.requiredText;
import static io.hearth.channel.support.JsonItems.text;
import static io.hearth.channel.support.JsonItems.texts;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.channel.ChannelMapper;
import io.hearth.channel.MappedPayload;
import io.hearth.channel.support.JsonItems;
import io.hearth.channel.support.JsonItems.BadItem;
import io.hearth.channel.x.XSearchMapper;
import io.hearth.channel.x.XText;
import io.hearth.mention.InvalidMentionException;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionKind;
import io.hearth.mention.MentionValidator;
import org.springframework.stereotype.Component;

/**
 * Ingest channel {@code twitter}: X API v1.1 payloads, as camel-twitter / twitter4j read them —
 * the search response {@code {"statuses":[…],"search_metadata":{…}}}, a timeline (a JSON array of
 * statuses) or one status object. Field by field in docs/channels/twitter.md.
 *
 * <p>The mentions it makes are on channel {@code x} ({@link XSearchMapper#CHANNEL}), not
 * {@code twitter}: v1.1 and v2 are two APIs of one network with the same post ids, so the same
 * post read through either source gets the same mention id ({@code x:<id>}) and is deduplicated,
 * and an author is one handle to the identity matcher.
 */
@Component
public class TwitterSearchMapper implements ChannelMapper {

    public static final String CHANNEL = "twitter";
    /** The channel of the mentions made here: the network, shared with the v2 mapper. */
    public static final String MENTION_CHANNEL = XSearchMapper.CHANNEL;

    /** v1.1 timestamps: {@code Wed Aug 27 13:08:45 +0000 2008}. */
    static final DateTimeFormatter CREATED_AT = DateTimeFormatter.ofPattern("EEE MMM dd HH:mm:ss Z yyyy", Locale.ENGLISH);

    private final ObjectMapper json;

    public TwitterSearchMapper(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public MappedPayload mapPayload(String payload) {
        JsonNode root = JsonItems.parse(json, payload, "an X API v1.1 search response (an object with 'statuses')");
        if (root.isArray()) {
            return JsonItems.mapEach(root, "", TwitterSearchMapper::toMention); // a timeline
        }
        if (!root.isObject()) {
            throw new InvalidMentionException("expected an X API v1.1 search response: a JSON object with 'statuses'");
        }
        JsonNode statuses = root.get("statuses");
        if (statuses != null && !statuses.isNull()) {
            if (!statuses.isArray()) {
                throw new InvalidMentionException("field 'statuses' must be an array of statuses");
            }
            return JsonItems.mapEach(statuses, "statuses", TwitterSearchMapper::toMention);
        }
        if (root.has("id_str") || (root.has("id") && (root.has("text") || root.has("full_text")))) {
            // one status, as twitter4j's raw JSON of a single Status
            JsonNode single = json.createArrayNode().add(root);
            return JsonItems.mapEach(single, "status", TwitterSearchMapper::toMention);
        }
        throw new InvalidMentionException("not an X API v1.1 search response: no 'statuses'"
                + (root.has("errors") ? " (this looks like an API error body)" : ""));
    }

    private static Mention toMention(JsonNode status) {
        String id = id(status, "id_str");
        if (id == null) {
            id = id(status, "id");
        }
        if (id == null) {
            throw new BadItem("missing field 'id_str'");
        }
        // tweet_mode=extended gives full_text; compat mode gives text (+ extended_tweet when truncated, on streams)
        JsonNode extended = object(status, "extended_tweet");
        JsonNode source = status;
        String text;
        if (text(status, "full_text") != null) {
            text = text(status, "full_text");
        } else if (extended != null && text(extended, "full_text") != null && Boolean.TRUE.equals(bool(status, "truncated"))) {
            text = text(extended, "full_text");
            source = extended;
        } else {
            text = requiredText(status, "text");
        }
        Instant createdAt = createdAt(status);

        JsonNode user = object(status, "user");
        Mention.Author author = null;
        String screenName = null;
        if (user != null) {
            screenName = text(user, "screen_name");
            String userId = id(user, "id_str");
            author = new Mention.Author(screenName, userId != null ? userId : id(user, "id"), text(user, "name"),
                    integer(user, "followers_count"), bool(user, "verified"), XText.profileUrl(screenName));
        }

        String repostOf = null;
        JsonNode retweeted = object(status, "retweeted_status");
        if (retweeted != null) {
            repostOf = id(retweeted, "id_str") != null ? id(retweeted, "id_str") : id(retweeted, "id");
        }
        String quoted = id(status, "quoted_status_id_str");
        JsonNode quotedStatus = object(status, "quoted_status");
        if (quoted == null && quotedStatus != null) {
            quoted = id(quotedStatus, "id_str");
        }
        boolean quote = quoted != null || Boolean.TRUE.equals(bool(status, "is_quote_status"));
        String repliedTo = id(status, "in_reply_to_status_id_str");
        if (repliedTo == null) {
            repliedTo = id(status, "in_reply_to_status_id");
        }
        MentionKind kind = retweeted != null ? MentionKind.REPOST
                : repliedTo != null ? MentionKind.REPLY
                : quote ? MentionKind.QUOTE
                : MentionKind.POST;
        String repostOrQuote = retweeted != null ? repostOf : quoted;

        List<String> links = new ArrayList<>();
        List<JsonNode> urls = array(source, "entities.urls");
        for (int i = 0; i < urls.size(); i++) {
            JsonNode url = urls.get(i);
            if (!url.isObject()) {
                throw new BadItem("field 'entities.urls[" + i + "]' must be an object");
            }
            String link = text(url, "expanded_url") != null ? text(url, "expanded_url") : text(url, "url");
            if (link != null && !link.isBlank() && !XText.isSelfLink(link, id) && !links.contains(link)) {
                links.add(link);
            }
        }

        return MentionValidator.validate(Mention.v1(MENTION_CHANNEL, id)
                .url(XText.permalink(screenName, id)).kind(kind).text(XText.unescape(text)).lang(text(status, "lang"))
                .createdAt(createdAt).author(author)
                .engagement(JsonItems.engagement(integer(status, "favorite_count"), integer(status, "retweet_count"),
                        integer(status, "reply_count"), integer(status, "quote_count")))
                .hashtags(texts(source, "entities.hashtags", "text"))
                .mentions(texts(source, "entities.user_mentions", "screen_name")).links(links)
                .inReplyTo(repliedTo == null ? null : Mention.idOf(MENTION_CHANNEL, repliedTo))
                .repostOf(repostOrQuote == null ? null : Mention.idOf(MENTION_CHANNEL, repostOrQuote))
                .build());
    }

    private static Instant createdAt(JsonNode status) {
        String createdAt = requiredText(status, "created_at");
        try {
            return OffsetDateTime.parse(createdAt, CREATED_AT).toInstant();
        } catch (DateTimeParseException e) {
            throw new BadItem("field 'created_at' must look like 'Wed Aug 27 13:08:45 +0000 2008'");
        }
    }
}
