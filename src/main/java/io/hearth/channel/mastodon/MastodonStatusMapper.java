package io.hearth.channel.mastodon;

import static io.hearth.channel.support.JsonItems.array;
import static io.hearth.channel.support.JsonItems.id;
import static io.hearth.channel.support.JsonItems.integer;
import static io.hearth.channel.support.JsonItems.object;
import static io.hearth.channel.support.JsonItems.requiredId;
import static io.hearth.channel.support.JsonItems.requiredText;
import static io.hearth.channel.support.JsonItems.text;

import java.net.URI;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.channel.ChannelMapper;
import io.hearth.channel.MappedPayload;
import io.hearth.channel.support.HtmlText;
import io.hearth.channel.support.JsonItems;
import io.hearth.channel.support.JsonItems.BadItem;
import io.hearth.mention.InvalidMentionException;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionKind;
import io.hearth.mention.MentionValidator;
import org.springframework.stereotype.Component;

/**
 * Channel {@code mastodon}: a JSON array of Mastodon statuses as the API returns it (hashtag or
 * home timeline, {@code GET /api/v1/timelines/tag/:tag}), or a JSON array of notifications
 * ({@code GET /api/v1/notifications}), of which the {@code mention}, {@code status} and
 * {@code quote} notifications are mapped (their status) and the rest (favourites, boosts of the
 * brand's own posts, follows, …) are skipped. Field by field in docs/channels/mastodon.md.
 */
@Component
public class MastodonStatusMapper implements ChannelMapper {

    public static final String CHANNEL = "mastodon";

    /** Notification types whose {@code status} was written by the notifying account. */
    static final Set<String> NOTIFICATION_TYPES = Set.of("mention", "status", "quote");

    /** The "RE: <link>" paragraph Mastodon adds to quote posts for older clients, and its own UI hides. */
    private static final Pattern QUOTE_INLINE = Pattern.compile(
            "<p\\s[^>]*class=\"[^\"]*\\bquote-inline\\b[^\"]*\"[^>]*>.*?</p>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private final ObjectMapper json;

    public MastodonStatusMapper(ObjectMapper json) {
        this.json = json;
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public MappedPayload mapPayload(String payload) {
        JsonNode root = JsonItems.parse(json, payload, "a JSON array of Mastodon statuses");
        if (!root.isArray()) {
            throw new InvalidMentionException("expected a JSON array of Mastodon statuses (or notifications), got a JSON "
                    + root.getNodeType().name().toLowerCase(Locale.ROOT)
                    + (root.isObject() && root.has("error") ? " (this looks like an API error body)" : ""));
        }
        return JsonItems.mapEach(root, "", MastodonStatusMapper::toMention);
    }

    private static Mention toMention(JsonNode item) {
        JsonNode type = item.get("type");
        if (type != null && type.isTextual() && !item.has("content")) {
            // a notification
            if (!NOTIFICATION_TYPES.contains(type.textValue())) {
                return null;
            }
            JsonNode status = object(item, "status");
            if (status == null) {
                throw new BadItem("missing field 'status' (notification of type '" + type.textValue() + "')");
            }
            try {
                return fromStatus(status);
            } catch (BadItem e) {
                throw new BadItem("status: " + e.getMessage());
            }
        }
        return fromStatus(item);
    }

    private static Mention fromStatus(JsonNode status) {
        String id = requiredId(status, "id");
        Instant createdAt = instant(requiredText(status, "created_at"), "created_at");
        JsonNode reblog = object(status, "reblog");
        // a boost shows the boosted post: its text, tags, links; the boost itself has empty content
        JsonNode shown = reblog != null ? reblog : status;
        String reblogId = reblog == null ? null : id(reblog, "id");
        if (reblog != null && reblogId == null) {
            throw new BadItem("missing field 'reblog.id'");
        }

        String content = text(shown, "content");
        if (content == null) {
            throw new BadItem(reblog != null ? "missing field 'reblog.content'" : "missing field 'content'");
        }
        content = QUOTE_INLINE.matcher(content).replaceAll("");
        String text = HtmlText.toPlainText(content);
        String spoiler = text(shown, "spoiler_text");
        if (spoiler != null && !spoiler.isBlank()) {
            text = text.isEmpty() ? spoiler.strip() : spoiler.strip() + "\n\n" + text;
        }

        String quoted = null;
        JsonNode quote = object(shown, "quote");
        if (quote != null) {
            JsonNode quotedStatus = object(quote, "quoted_status");
            quoted = quotedStatus != null ? id(quotedStatus, "id") : id(quote, "quoted_status_id");
        }
        String repliedTo = id(status, "in_reply_to_id");
        boolean direct = "direct".equals(text(status, "visibility"));
        MentionKind kind = reblog != null ? MentionKind.REPOST
                : direct ? MentionKind.DIRECT
                : repliedTo != null ? MentionKind.REPLY
                : quote != null ? MentionKind.QUOTE
                : MentionKind.POST;
        String repostOf = reblog != null ? reblogId : quoted;

        JsonNode account = object(status, "account");
        Mention.Author author = account == null ? null : author(account);

        List<String> hashtags = new ArrayList<>();
        Set<String> tagUrls = new HashSet<>();
        for (JsonNode tag : objects(shown, "tags")) {
            String name = text(tag, "name");
            if (name != null && !name.isBlank() && !hashtags.contains(name)) {
                hashtags.add(name);
            }
            if (text(tag, "url") != null) {
                tagUrls.add(text(tag, "url"));
            }
        }
        List<String> mentions = new ArrayList<>();
        Set<String> mentionUrls = new HashSet<>();
        for (JsonNode mentioned : objects(shown, "mentions")) {
            String url = text(mentioned, "url");
            String handle = handle(text(mentioned, "acct"), url);
            if (handle != null && !mentions.contains(handle)) {
                mentions.add(handle);
            }
            if (url != null) {
                mentionUrls.add(url);
            }
        }
        List<String> links = new ArrayList<>();
        for (HtmlText.Anchor anchor : HtmlText.anchors(content)) {
            boolean tagOrMention = anchor.hasClass("mention") || anchor.hasClass("hashtag") || anchor.hasClass("u-url")
                    || anchor.hasRel("tag") || tagUrls.contains(anchor.href()) || mentionUrls.contains(anchor.href());
            if (!tagOrMention && !links.contains(anchor.href())) {
                links.add(anchor.href());
            }
        }

        String lang = text(status, "language");
        if (lang == null && reblog != null) {
            lang = text(reblog, "language");
        }
        String url = firstNonBlank(text(status, "url"), reblog == null ? null : text(reblog, "url"), text(status, "uri"));

        return MentionValidator.validate(Mention.v1(CHANNEL, id)
                .url(url).kind(kind).text(text).lang(lang).createdAt(createdAt).author(author)
                .engagement(JsonItems.engagement(integer(status, "favourites_count"), integer(status, "reblogs_count"),
                        integer(status, "replies_count"), integer(status, "quotes_count")))
                .hashtags(hashtags).mentions(mentions).links(links)
                .inReplyTo(repliedTo == null ? null : Mention.idOf(CHANNEL, repliedTo))
                .repostOf(repostOf == null ? null : Mention.idOf(CHANNEL, repostOf))
                .build());
    }

    private static Mention.Author author(JsonNode account) {
        String profileUrl = text(account, "url");
        String handle = handle(text(account, "acct"), firstNonBlank(profileUrl, text(account, "uri")));
        String displayName = text(account, "display_name");
        return new Mention.Author(handle, id(account, "id"),
                displayName == null || displayName.isBlank() ? null : displayName,
                integer(account, "followers_count"), null, profileUrl);
    }

    /**
     * {@code user@instance}: the {@code acct} as given when it names its instance (remote accounts),
     * else {@code acct@<host of the account's URL>} (accounts local to the polled instance).
     */
    static String handle(String acct, String accountUrl) {
        if (acct == null || acct.isBlank()) {
            return null;
        }
        String bare = acct.startsWith("@") ? acct.substring(1) : acct;
        if (bare.contains("@")) {
            return bare;
        }
        String host = host(accountUrl);
        return host == null ? bare : bare + "@" + host;
    }

    private static String host(String url) {
        if (url == null) {
            return null;
        }
        try {
            String host = URI.create(url).getHost();
            return host == null ? null : host.toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static List<JsonNode> objects(JsonNode node, String field) {
        List<JsonNode> elements = array(node, field);
        for (int i = 0; i < elements.size(); i++) {
            if (!elements.get(i).isObject()) {
                throw new BadItem("field '" + field + "[" + i + "]' must be an object");
            }
        }
        return elements;
    }

    private static Instant instant(String value, String field) {
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            try {
                return java.time.OffsetDateTime.parse(value).toInstant();
            } catch (DateTimeParseException e2) {
                throw new BadItem("field '" + field + "' must be an ISO-8601 timestamp");
            }
        }
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
