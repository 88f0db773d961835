package io.hearth.channel.reddit;

import java.math.BigDecimal;
import java.time.Instant;
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
import io.hearth.mention.InvalidMentionException;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionKind;
import io.hearth.mention.MentionValidator;
import org.springframework.stereotype.Component;

/**
 * Channel {@code reddit}: a Listing ({@code {"kind": "Listing", "data": {"children": [t3 | t1 …]}}}) as
 * search, subreddit and comment listings return it, or a submission with its comments (an array of two
 * Listings, as {@code /comments/<id>} returns it; nested {@code replies} are walked depth-first).
 * Field by field: docs/channels/reddit.md.
 */
@Component
public class RedditListingMapper implements ChannelMapper {

    public static final String CHANNEL = "reddit";
    private static final String SITE = "https://www.reddit.com";

    /** {@code u/name} or {@code /u/name}, Reddit user names being 3-20 of [A-Za-z0-9_-]. */
    private static final Pattern USER = Pattern.compile("(?<![A-Za-z0-9_/])/?u/([A-Za-z0-9_-]{3,20})(?![A-Za-z0-9_-])");
    private static final Pattern URL = Pattern.compile("https?://[^\\s<>\"\\[\\]()]+(?:\\([^\\s<>\"()]*\\)[^\\s<>\"\\[\\]()]*)*");
    private static final Pattern ENTITY = Pattern.compile("&(amp|lt|gt);");

    private final ObjectMapper objectMapper;

    public RedditListingMapper(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public MappedPayload mapPayload(String payload) {
        JsonNode root = parse(payload);
        List<Mention> mentions = new ArrayList<>();
        List<MappedPayload.Rejection> rejections = new ArrayList<>();
        if (root.isArray()) {
            if (root.isEmpty()) {
                return MappedPayload.of(List.of());
            }
            for (int i = 0; i < root.size(); i++) {
                listing(root.get(i), "[" + i + "]", true, mentions, rejections);
            }
        } else if (root.isObject()) {
            if (!root.has("kind") && root.has("error")) {
                // Reddit's error body: {"message": "Forbidden", "error": 403} (also "reason" on some endpoints)
                throw new InvalidMentionException("Reddit API error response (error " + root.get("error").asText()
                        + (root.path("reason").isTextual() ? ", reason '" + root.get("reason").asText() + "'" : "")
                        + "), not a Listing");
            }
            listing(root, "", true, mentions, rejections);
        } else {
            throw new InvalidMentionException("expected a Listing object or an array of Listings, got a JSON "
                    + root.getNodeType().name().toLowerCase());
        }
        return new MappedPayload(mentions, rejections);
    }

    private JsonNode parse(String payload) {
        return JsonItems.parse(objectMapper, payload, "a Reddit Listing");
    }

    /**
     * @param topLevel a listing of the payload itself: a wrong shape there is a payload error; deeper
     *                 (a comment's {@code replies}) it is that comment's problem, and is reported as a rejection
     */
    private void listing(JsonNode node, String path, boolean topLevel, List<Mention> mentions,
                         List<MappedPayload.Rejection> rejections) {
        String where = path.isEmpty() ? "payload" : path;
        if (!node.isObject() || !"Listing".equals(node.path("kind").asText(null))) {
            String problem = where + ": expected a Listing (kind 'Listing')";
            if (topLevel) {
                throw new InvalidMentionException(problem);
            }
            rejections.add(new MappedPayload.Rejection(node.toString(), problem));
            return;
        }
        JsonNode children = node.path("data").path("children");
        if (!children.isArray()) {
            String problem = (path.isEmpty() ? "" : path + ".") + "data.children: missing or not an array";
            if (topLevel) {
                throw new InvalidMentionException(problem);
            }
            rejections.add(new MappedPayload.Rejection(node.toString(), problem));
            return;
        }
        for (int i = 0; i < children.size(); i++) {
            JsonNode child = children.get(i);
            String childPath = (path.isEmpty() ? "" : path + ".") + "data.children[" + i + "]";
            String kind = child.path("kind").asText("");
            if ("more".equals(kind)) {
                continue; // "load more comments" stub: ids only, nothing to map
            }
            JsonNode data = child.path("data");
            try {
                if (!child.isObject() || !data.isObject()) {
                    throw new ItemException("expected a thing {kind, data}");
                }
                mentions.add(switch (kind) {
                    case "t3" -> post(data);
                    case "t1" -> comment(data);
                    case "" -> throw new ItemException("missing field 'kind'");
                    default -> throw new ItemException("unsupported kind '" + kind + "' (expected t3 or t1)");
                });
            } catch (ItemException | InvalidMentionException e) {
                rejections.add(new MappedPayload.Rejection(child.toString(), childPath + ": " + e.getMessage()));
                continue;
            } catch (RuntimeException e) {
                rejections.add(new MappedPayload.Rejection(child.toString(), io.hearth.channel.support.JsonItems.unreadable(childPath, e)));
                continue;
            }
            JsonNode replies = data.get("replies");
            if ("t1".equals(kind) && replies != null && replies.isObject()) {
                listing(replies, childPath + ".data.replies", false, mentions, rejections);
            }
        }
    }

    private Mention post(JsonNode data) {
        String name = fullname(data, "t3");
        String title = decode(optionalText(data, "title"));
        String selftext = decode(optionalText(data, "selftext"));
        String text = title == null ? "" : title;
        if (selftext != null && !selftext.isBlank()) {
            text = text.isEmpty() ? selftext : text + "\n\n" + selftext;
        }
        Set<String> links = new LinkedHashSet<>();
        if (!data.path("is_self").asBoolean(false)) {
            String target = decode(optionalText(data, "url_overridden_by_dest"));
            target = target != null ? target : decode(optionalText(data, "url"));
            if (target != null && !target.isBlank()) {
                links.add(target.startsWith("/") ? SITE + target : target);
            }
        }
        links.addAll(urlsIn(text));
        String crosspostOf = optionalText(data, "crosspost_parent");
        MentionKind kind = crosspostOf != null && crosspostOf.startsWith("t3_") ? MentionKind.REPOST : MentionKind.POST;
        Mention.Engagement engagement = new Mention.Engagement(count(data, "score"), count(data, "num_crossposts"),
                count(data, "num_comments"), null);
        return MentionValidator.validate(Mention.v1(CHANNEL, name)
                .url(permalink(data)).kind(kind).text(text).createdAt(created(data)).author(author(data))
                .engagement(engagement).hashtags(List.of()).mentions(usersIn(text)).links(List.copyOf(links))
                .repostOf(kind == MentionKind.REPOST ? Mention.idOf(CHANNEL, crosspostOf) : null).conversationId(name)
                .build());
    }

    private Mention comment(JsonNode data) {
        String name = fullname(data, "t1");
        String parent = optionalText(data, "parent_id");
        if (parent == null || parent.isBlank()) {
            throw new ItemException("missing field 'parent_id'");
        }
        String body = decode(optionalText(data, "body"));
        String text = body == null ? "" : body;
        MentionKind kind = parent.startsWith("t1_") ? MentionKind.REPLY : MentionKind.COMMENT;
        // A t1's num_comments (in /comments listings) is its submission's count, not the comment's replies.
        Mention.Engagement engagement = new Mention.Engagement(count(data, "score"), null, null, null);
        return MentionValidator.validate(Mention.v1(CHANNEL, name)
                .url(permalink(data)).kind(kind).text(text).createdAt(created(data)).author(author(data))
                .engagement(engagement).hashtags(List.of()).mentions(usersIn(text)).links(List.copyOf(urlsIn(text)))
                .inReplyTo(Mention.idOf(CHANNEL, parent)).conversationId(optionalText(data, "link_id"))
                .build());
    }

    /** {@code name} (the fullname, {@code t3_abc}), or {@code <kind>_<id>} when only {@code id} is there. */
    private static String fullname(JsonNode data, String kind) {
        String name = optionalText(data, "name");
        if (name != null && !name.isBlank()) {
            if (!name.startsWith(kind + "_")) {
                throw new ItemException("field 'name' must be a " + kind + "_ fullname");
            }
            return name;
        }
        String id = optionalText(data, "id");
        if (id == null || id.isBlank()) {
            throw new ItemException("missing field 'name'");
        }
        return kind + "_" + id;
    }

    /** {@code [deleted]} (and a missing author) is no author: there is no one to recognise. */
    private static Mention.Author author(JsonNode data) {
        String author = optionalText(data, "author");
        if (author == null || author.isBlank() || "[deleted]".equals(author)) {
            return null;
        }
        return new Mention.Author(author, optionalText(data, "author_fullname"), null, null, null,
                SITE + "/user/" + author + "/");
    }

    /** The permalink without a query string (search results carry {@code ?ref=search_posts}). */
    private static String permalink(JsonNode data) {
        String permalink = optionalText(data, "permalink");
        if (permalink == null || permalink.isBlank()) {
            return null;
        }
        int query = permalink.indexOf('?');
        permalink = query >= 0 ? permalink.substring(0, query) : permalink;
        return permalink.startsWith("http") ? permalink : SITE + permalink;
    }

    /** {@code created_utc}: epoch seconds (a float such as 1746638021.0). {@code created} is server-local time. */
    private static Instant created(JsonNode data) {
        JsonNode value = data.get("created_utc");
        if (value == null || value.isNull()) {
            throw new ItemException("missing field 'created_utc'");
        }
        if (!value.isNumber()) {
            throw new ItemException("field 'created_utc' must be a number");
        }
        BigDecimal seconds = value.decimalValue();
        BigDecimal whole = new BigDecimal(seconds.toBigInteger());
        return Instant.ofEpochSecond(whole.longValueExact(),
                seconds.subtract(whole).movePointRight(9).longValue());
    }

    private static Long count(JsonNode data, String field) {
        JsonNode value = data.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isNumber()) {
            throw new ItemException("field '" + field + "' must be a number");
        }
        return value.asLong();
    }

    private static String optionalText(JsonNode data, String field) {
        JsonNode value = data.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ItemException("field '" + field + "' must be a string");
        }
        return value.asText();
    }

    /**
     * Without {@code raw_json=1} Reddit escapes {@code & < >} in text fields as {@code &amp; &lt; &gt;};
     * exactly those three are decoded (in one pass, so {@code &amp;lt;} stays {@code &lt;}).
     */
    static String decode(String s) {
        if (s == null || s.indexOf('&') < 0) {
            return s;
        }
        Matcher m = ENTITY.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        while (m.find()) {
            m.appendReplacement(out, switch (m.group(1)) {
                case "amp" -> "&";
                case "lt" -> "<";
                default -> ">";
            });
        }
        m.appendTail(out);
        return out.toString();
    }

    private static List<String> usersIn(String text) {
        Set<String> users = new LinkedHashSet<>();
        Matcher m = USER.matcher(text);
        while (m.find()) {
            users.add(m.group(1));
        }
        return List.copyOf(users);
    }

    private static Set<String> urlsIn(String text) {
        Set<String> urls = new LinkedHashSet<>();
        Matcher m = URL.matcher(text);
        while (m.find()) {
            String url = m.group();
            while (!url.isEmpty() && ".,;:!?'*_~".indexOf(url.charAt(url.length() - 1)) >= 0) {
                url = url.substring(0, url.length() - 1);
            }
            urls.add(url);
        }
        return urls;
    }

    /** One thing that cannot be mapped; becomes a rejection, the rest of the payload goes on. */
    static final class ItemException extends RuntimeException {
        ItemException(String message) {
            super(message, null, false, false);
        }
    }
}
