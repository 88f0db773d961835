package io.hearth.channel.bluesky;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.channel.ChannelMapper;
import io.hearth.channel.MappedPayload;
import io.hearth.channel.support.JsonItems;
import io.hearth.mention.InvalidMentionException;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionKind;
import io.hearth.mention.MentionValidator;
import org.springframework.stereotype.Component;

/**
 * Channel {@code bluesky}: an {@code app.bsky.feed.searchPosts} response ({@code {"posts": [postView…],
 * "cursor": …}}), exactly as the AppView returns it. Any other XRPC output with a {@code posts} array of
 * postViews ({@code getPosts}, {@code getQuotes}) maps the same way. Field by field: docs/channels/bluesky.md.
 */
@Component
public class BlueskySearchMapper implements ChannelMapper {

    public static final String CHANNEL = "bluesky";

    private static final String POST_COLLECTION = "app.bsky.feed.post";
    private static final String INVALID_HANDLE = "handle.invalid";

    private final ObjectMapper objectMapper;

    public BlueskySearchMapper(ObjectMapper objectMapper) {
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
            throw new InvalidMentionException("expected a searchPosts response (a JSON object with 'posts'), got a JSON "
                    + root.getNodeType().name().toLowerCase());
        }
        JsonNode posts = root.get("posts");
        if (posts == null && root.hasNonNull("error")) {
            // An XRPC error body: {"error": "InvalidRequest", "message": "..."}
            throw new InvalidMentionException("Bluesky XRPC error response (error '" + root.get("error").asText()
                    + "'), not a searchPosts response");
        }
        if (posts == null || !posts.isArray()) {
            throw new InvalidMentionException(posts == null ? "missing field 'posts': not a searchPosts response"
                    : "field 'posts' must be an array");
        }
        List<Mention> mentions = new ArrayList<>(posts.size());
        List<MappedPayload.Rejection> rejections = new ArrayList<>();
        for (int i = 0; i < posts.size(); i++) {
            JsonNode post = posts.get(i);
            String where = "posts[" + i + "]";
            try {
                mentions.add(toMention(post));
            } catch (ItemException | InvalidMentionException e) {
                rejections.add(new MappedPayload.Rejection(post.toString(), where + ": " + e.getMessage()));
            } catch (RuntimeException e) {
                rejections.add(new MappedPayload.Rejection(post.toString(), io.hearth.channel.support.JsonItems.unreadable(where, e)));
            }
        }
        return new MappedPayload(mentions, rejections);
    }

    private JsonNode parse(String payload) {
        return JsonItems.parse(objectMapper, payload, "a searchPosts response");
    }

    private Mention toMention(JsonNode post) {
        if (!post.isObject()) {
            throw new ItemException("expected a postView object");
        }
        String uri = requiredText(post, "uri", "uri");
        AtUri at = AtUri.parse(uri);
        JsonNode record = post.get("record");
        if (record == null || !record.isObject()) {
            throw new ItemException(record == null ? "missing field 'record'" : "field 'record' must be an object");
        }
        String text = optionalText(record, "text", "record.text");
        text = text == null ? "" : text;
        Instant createdAt = instant(record, "createdAt", "record.createdAt");
        if (createdAt == null) {
            createdAt = instant(post, "indexedAt", "indexedAt");
        }
        if (createdAt == null) {
            throw new ItemException("missing field 'record.createdAt'");
        }

        Mention.Author author = author(post.get("author"), at.did());
        String profileName = author != null && author.handle() != null ? author.handle() : at.did();
        String url = POST_COLLECTION.equals(at.collection())
                ? "https://bsky.app/profile/" + profileName + "/post/" + at.rkey() : null;

        String inReplyTo = null;
        String conversationId = uri;
        JsonNode reply = record.get("reply");
        if (reply != null && reply.isObject()) {
            String parent = optionalText(reply.path("parent"), "uri", "record.reply.parent.uri");
            String root = optionalText(reply.path("root"), "uri", "record.reply.root.uri");
            if (parent == null) {
                throw new ItemException("missing field 'record.reply.parent.uri'");
            }
            inReplyTo = Mention.idOf(CHANNEL, parent);
            conversationId = root != null ? root : parent;
        }
        String quoted = quotedPost(record.get("embed"));
        MentionKind kind = inReplyTo != null ? MentionKind.REPLY : quoted != null ? MentionKind.QUOTE : MentionKind.POST;

        Set<String> hashtags = new LinkedHashSet<>();
        Set<String> mentioned = new LinkedHashSet<>();
        Set<String> links = new LinkedHashSet<>();
        facets(record.get("facets"), text, hashtags, mentioned, links);
        JsonNode tags = record.get("tags");
        if (tags != null && tags.isArray()) {
            tags.forEach(t -> {
                if (t.isTextual() && !stripPrefix(t.asText(), "#").isBlank()) {
                    hashtags.add(stripPrefix(t.asText(), "#"));
                }
            });
        }
        String external = externalLink(record.get("embed"));
        if (external != null) {
            links.add(external);
        }

        String lang = null;
        JsonNode langs = record.get("langs");
        if (langs != null && langs.isArray() && !langs.isEmpty() && langs.get(0).isTextual()) {
            lang = langs.get(0).asText();
        }
        Mention.Engagement engagement = new Mention.Engagement(count(post, "likeCount"), count(post, "repostCount"),
                count(post, "replyCount"), count(post, "quoteCount"));
        if (engagement.likes() == null && engagement.reposts() == null && engagement.replies() == null
                && engagement.quotes() == null) {
            engagement = null;
        }
        return MentionValidator.validate(Mention.v1(CHANNEL, uri)
                .url(url).kind(kind).text(text).lang(lang).createdAt(createdAt).author(author).engagement(engagement)
                .hashtags(List.copyOf(hashtags)).mentions(List.copyOf(mentioned)).links(List.copyOf(links))
                .inReplyTo(inReplyTo).repostOf(quoted == null ? null : Mention.idOf(CHANNEL, quoted))
                .conversationId(conversationId)
                .build());
    }

    /** The author's profileViewBasic; {@code handle.invalid} (a handle that no longer verifies) becomes no handle. */
    private Mention.Author author(JsonNode author, String didFromUri) {
        if (author == null || author.isNull()) {
            return new Mention.Author(null, didFromUri, null, null, null, "https://bsky.app/profile/" + didFromUri);
        }
        if (!author.isObject()) {
            throw new ItemException("field 'author' must be an object");
        }
        String did = optionalText(author, "did", "author.did");
        String handle = optionalText(author, "handle", "author.handle");
        if (handle != null && (handle.isBlank() || INVALID_HANDLE.equals(handle))) {
            handle = null;
        }
        handle = handle == null ? null : stripPrefix(handle, "@");
        String displayName = optionalText(author, "displayName", "author.displayName");
        if (displayName != null && displayName.isBlank()) {
            displayName = null;
        }
        Boolean verified = null;
        JsonNode verification = author.get("verification");
        if (verification != null && verification.isObject() && verification.path("verifiedStatus").isTextual()) {
            verified = "valid".equals(verification.get("verifiedStatus").asText());
        }
        String id = did != null ? did : didFromUri;
        String profile = handle != null ? handle : id;
        return new Mention.Author(handle, id, displayName, null, verified, "https://bsky.app/profile/" + profile);
    }

    /** The post a quote embeds: {@code app.bsky.embed.record} or {@code …recordWithMedia}, when it is a post. */
    private static String quotedPost(JsonNode embed) {
        if (embed == null || !embed.isObject()) {
            return null;
        }
        String type = embed.path("$type").asText("");
        JsonNode ref = switch (type) {
            case "app.bsky.embed.record" -> embed.path("record");
            case "app.bsky.embed.recordWithMedia" -> embed.path("record").path("record");
            default -> null;
        };
        if (ref == null || !ref.path("uri").isTextual()) {
            return null;
        }
        String uri = ref.get("uri").asText();
        try {
            return POST_COLLECTION.equals(AtUri.parse(uri).collection()) ? uri : null; // lists, feeds: not a quote
        } catch (ItemException e) {
            return null;
        }
    }

    private static String externalLink(JsonNode embed) {
        if (embed == null || !embed.isObject()) {
            return null;
        }
        JsonNode external = switch (embed.path("$type").asText("")) {
            case "app.bsky.embed.external" -> embed.path("external");
            case "app.bsky.embed.recordWithMedia" -> embed.path("media").path("external");
            default -> null;
        };
        return external != null && external.path("uri").isTextual() && !external.get("uri").asText().isBlank()
                ? external.get("uri").asText() : null;
    }

    /**
     * Rich-text facets. Their index is a UTF-8 byte range of the text (not a char range): a mention's
     * handle is read from those bytes. A range that is out of bounds or cuts a character falls back to
     * the mentioned account's DID.
     */
    private static void facets(JsonNode facets, String text, Set<String> hashtags, Set<String> mentioned,
                               Set<String> links) {
        if (facets == null || !facets.isArray()) {
            return;
        }
        byte[] utf8 = null;
        for (JsonNode facet : facets) {
            for (JsonNode feature : facet.path("features")) {
                switch (feature.path("$type").asText("")) {
                    case "app.bsky.richtext.facet#tag" -> {
                        String tag = stripPrefix(feature.path("tag").asText(""), "#");
                        if (!tag.isBlank()) {
                            hashtags.add(tag);
                        }
                    }
                    case "app.bsky.richtext.facet#link" -> {
                        String uri = feature.path("uri").asText("");
                        if (!uri.isBlank()) {
                            links.add(uri);
                        }
                    }
                    case "app.bsky.richtext.facet#mention" -> {
                        if (utf8 == null) {
                            utf8 = text.getBytes(StandardCharsets.UTF_8);
                        }
                        String handle = byteSlice(utf8, facet.path("index"));
                        handle = handle == null ? null : stripPrefix(handle.strip(), "@");
                        if (handle == null || handle.isBlank()) {
                            handle = feature.path("did").asText("");
                        }
                        if (!handle.isBlank()) {
                            mentioned.add(handle);
                        }
                    }
                    default -> {
                        // unknown facet feature: ignored
                    }
                }
            }
        }
    }

    static String byteSlice(byte[] utf8, JsonNode index) {
        if (!index.path("byteStart").canConvertToInt() || !index.path("byteEnd").canConvertToInt()
                || !index.path("byteStart").isIntegralNumber() || !index.path("byteEnd").isIntegralNumber()) {
            return null;
        }
        int start = index.get("byteStart").asInt();
        int end = index.get("byteEnd").asInt();
        if (start < 0 || end > utf8.length || start >= end) {
            return null;
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8, start, end - start)).toString();
        } catch (CharacterCodingException e) {
            return null; // the range cuts a multi-byte character
        }
    }

    private static Long count(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isIntegralNumber()) {
            throw new ItemException("field '" + field + "' must be an integer");
        }
        return value.asLong();
    }

    private static String requiredText(JsonNode node, String field, String name) {
        String value = optionalText(node, field, name);
        if (value == null || value.isBlank()) {
            throw new ItemException("missing field '" + name + "'");
        }
        return value;
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

    private static Instant instant(JsonNode node, String field, String name) {
        String value = optionalText(node, field, name);
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new ItemException("field '" + name + "' is not an ISO-8601 timestamp with offset");
        }
    }

    private static String stripPrefix(String s, String prefix) {
        return s.startsWith(prefix) ? s.substring(prefix.length()) : s;
    }

    /** {@code at://<did>/<collection>/<rkey>} */
    record AtUri(String did, String collection, String rkey) {
        static AtUri parse(String uri) {
            if (!uri.startsWith("at://")) {
                throw new ItemException("field 'uri' must be an at:// URI");
            }
            String[] parts = uri.substring("at://".length()).split("/");
            if (parts.length != 3 || parts[0].isBlank() || parts[1].isBlank() || parts[2].isBlank()) {
                throw new ItemException("field 'uri' must be at://<did>/<collection>/<rkey>");
            }
            return new AtUri(parts[0], parts[1], parts[2]);
        }
    }

    /** One post that cannot be mapped; becomes a rejection, the rest of the payload goes on. */
    static final class ItemException extends RuntimeException {
        ItemException(String message) {
            super(message, null, false, false);
        }
    }
}
