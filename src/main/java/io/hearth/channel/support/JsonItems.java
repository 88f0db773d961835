package io.hearth.channel.support;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.channel.MappedPayload;
import io.hearth.mention.InvalidMentionException;
import io.hearth.mention.Mention;

/**
 * Reading native JSON payloads the same way in every channel mapper: the payload parsed as a whole
 * (a parse failure is an {@link InvalidMentionException}), and typed access to an item's fields
 * where a wrong type becomes a {@link BadItem} naming the field, never its value. Paths are dotted
 * ({@code "public_metrics.like_count"}); a missing field and a JSON {@code null} both read as absent.
 */
public final class JsonItems {

    private JsonItems() {
    }

    /** One item that cannot become a mention; the message says what, without the item's content. */
    public static final class BadItem extends RuntimeException {
        public BadItem(String message) {
            super(message, null, false, false);
        }
    }

    /** The whole payload as a tree; anything after the first JSON value is refused. */
    public static JsonNode parse(ObjectMapper json, String payload, String expected) {
        String body = payload == null ? "" : payload.startsWith("\uFEFF") ? payload.substring(1) : payload;
        if (body.isBlank()) {
            throw new InvalidMentionException("empty payload: expected " + expected);
        }
        try {
            return json.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(body);
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null ? ""
                    : " (at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
            throw new InvalidMentionException("malformed JSON: " + e.getOriginalMessage() + at, e);
        }
    }

    /**
     * Maps each element of {@code items} with {@code mapper}; an element the mapper throws
     * {@link BadItem} (or {@link InvalidMentionException} from the validator) for becomes a rejection
     * {@code "<where>[i]: <reason>"} carrying the element's JSON. A {@code null} result skips the element.
     */
    public static MappedPayload mapEach(JsonNode items, String where, Function<JsonNode, Mention> mapper) {
        List<Mention> mentions = new ArrayList<>(items.size());
        List<MappedPayload.Rejection> rejections = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            try {
                if (!item.isObject()) {
                    throw new BadItem("expected a JSON object");
                }
                Mention mention = mapper.apply(item);
                if (mention != null) {
                    mentions.add(mention);
                }
            } catch (BadItem | InvalidMentionException e) {
                rejections.add(new MappedPayload.Rejection(item.toString(), where + "[" + i + "]: " + e.getMessage()));
            } catch (RuntimeException e) {
                rejections.add(new MappedPayload.Rejection(item.toString(), unreadable(where + "[" + i + "]", e)));
            }
        }
        return new MappedPayload(mentions, rejections);
    }

    /**
     * The reason for an item a mapper failed on in a way it did not foresee (a bug, a value no check caught): where,
     * and the exception's type only (its message may quote the item's content).
     */
    public static String unreadable(String where, RuntimeException e) {
        return where + ": could not be read (" + e.getClass().getName() + ")";
    }

    /** The node at a dotted path, or {@code null} when any step is missing or JSON null. */
    public static JsonNode at(JsonNode node, String path) {
        JsonNode current = node;
        int start = 0;
        while (current != null) {
            int dot = path.indexOf('.', start);
            String name = dot < 0 ? path.substring(start) : path.substring(start, dot);
            if (!current.isObject()) {
                throw new BadItem("field '" + path.substring(0, Math.max(0, start - 1)) + "' must be an object");
            }
            current = current.get(name);
            if (current == null || current.isNull()) {
                return null;
            }
            if (dot < 0) {
                return current;
            }
            start = dot + 1;
        }
        return null;
    }

    public static String text(JsonNode node, String path) {
        JsonNode value = at(node, path);
        if (value == null) {
            return null;
        }
        if (!value.isTextual()) {
            throw new BadItem("field '" + path + "' must be a string");
        }
        return value.textValue();
    }

    public static String requiredText(JsonNode node, String path) {
        String value = text(node, path);
        if (value == null) {
            throw new BadItem("missing field '" + path + "'");
        }
        return value;
    }

    /** An id: a string, or an integer written as a number (some APIs send both); blank counts as missing. */
    public static String id(JsonNode node, String path) {
        JsonNode value = at(node, path);
        if (value == null) {
            return null;
        }
        if (value.isTextual()) {
            return value.textValue().isBlank() ? null : value.textValue();
        }
        if (value.isIntegralNumber()) {
            return value.bigIntegerValue().toString();
        }
        throw new BadItem("field '" + path + "' must be a string id");
    }

    public static String requiredId(JsonNode node, String path) {
        String value = id(node, path);
        if (value == null) {
            throw new BadItem("missing field '" + path + "'");
        }
        return value;
    }

    public static Long integer(JsonNode node, String path) {
        JsonNode value = at(node, path);
        if (value == null) {
            return null;
        }
        if (!value.isIntegralNumber() || !value.canConvertToLong()) {
            throw new BadItem("field '" + path + "' must be an integer");
        }
        return value.longValue();
    }

    public static Boolean bool(JsonNode node, String path) {
        JsonNode value = at(node, path);
        if (value == null) {
            return null;
        }
        if (!value.isBoolean()) {
            throw new BadItem("field '" + path + "' must be true or false");
        }
        return value.booleanValue();
    }

    /** The elements of an array field; absent → empty. */
    public static List<JsonNode> array(JsonNode node, String path) {
        JsonNode value = at(node, path);
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            throw new BadItem("field '" + path + "' must be an array");
        }
        List<JsonNode> elements = new ArrayList<>(value.size());
        value.forEach(elements::add);
        return elements;
    }

    public static JsonNode object(JsonNode node, String path) {
        JsonNode value = at(node, path);
        if (value != null && !value.isObject()) {
            throw new BadItem("field '" + path + "' must be an object");
        }
        return value;
    }

    /** Counters at fetch time; {@code null} when the channel gave none of them. */
    public static Mention.Engagement engagement(Long likes, Long reposts, Long replies, Long quotes) {
        if (likes == null && reposts == null && replies == null && quotes == null) {
            return null;
        }
        return new Mention.Engagement(likes, reposts, replies, quotes);
    }

    /** A string field of each element of an array field ({@code "entities.hashtags"}, {@code "tag"}), in order, without repeats. */
    public static List<String> texts(JsonNode node, String arrayPath, String field) {
        List<String> values = new ArrayList<>();
        List<JsonNode> elements = array(node, arrayPath);
        for (int i = 0; i < elements.size(); i++) {
            JsonNode element = elements.get(i);
            if (!element.isObject()) {
                throw new BadItem("field '" + arrayPath + "[" + i + "]' must be an object");
            }
            JsonNode value = element.get(field);
            if (value == null || value.isNull()) {
                continue;
            }
            if (!value.isTextual()) {
                throw new BadItem("field '" + arrayPath + "[" + i + "]." + field + "' must be a string");
            }
            if (!value.textValue().isBlank() && !values.contains(value.textValue())) {
                values.add(value.textValue());
            }
        }
        return values;
    }
}
