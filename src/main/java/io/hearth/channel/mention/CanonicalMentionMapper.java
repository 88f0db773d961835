package io.hearth.channel.mention;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.channel.ChannelMapper;
import io.hearth.channel.MappedPayload;
import io.hearth.mention.InvalidMentionException;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionValidator;
import org.springframework.stereotype.Component;

/**
 * Channel {@code mention}: payloads that already are canonical mentions, as one JSON object, a
 * JSON array, or JSON Lines (one object per line). Used for replays, imports and tests.
 */
@Component
public class CanonicalMentionMapper implements ChannelMapper {

    private final ObjectMapper objectMapper;

    public CanonicalMentionMapper(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    @Override
    public String channel() {
        return "mention";
    }

    /** Canonical mentions are our own format: any bad item rejects the whole payload (400 at ingest). */
    @Override
    public MappedPayload mapPayload(String payload) {
        return MappedPayload.of(map(payload));
    }

    public List<Mention> map(String payload) {
        // Parse the payload as given (not stripped) so that reported line numbers match the file;
        // a leading byte order mark (files saved by some editors) is dropped.
        String json = payload == null ? "" : payload.startsWith("\uFEFF") ? payload.substring(1) : payload;
        String trimmed = json.strip();
        if (trimmed.isEmpty()) {
            throw new InvalidMentionException("empty payload: expected a mention object, an array of them, or JSON Lines");
        }
        if (trimmed.startsWith("[")) {
            JsonNode array = parse(json, "body");
            List<Mention> mentions = new ArrayList<>(array.size());
            for (int i = 0; i < array.size(); i++) {
                mentions.add(toMention(array.get(i), "element " + i));
            }
            return mentions;
        }
        // One object (possibly pretty-printed) or JSON Lines: a stream of root-level objects.
        List<Mention> mentions = new ArrayList<>();
        try (JsonParser parser = objectMapper.createParser(json)) {
            while (parser.nextToken() != null) {
                String where = "line " + parser.currentTokenLocation().getLineNr();
                mentions.add(toMention(objectMapper.readTree(parser), where));
            }
        } catch (JsonProcessingException e) {
            throw new InvalidMentionException("malformed JSON: " + e.getOriginalMessage() + locationOf(e), e);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return mentions;
    }

    private JsonNode parse(String json, String where) {
        try {
            // Anything after the array (a second array, more objects) is refused, never silently dropped.
            return objectMapper.reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidMentionException(where + ": malformed JSON: " + e.getOriginalMessage()
                    + locationOf(e), e);
        }
    }

    private Mention toMention(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw new InvalidMentionException(where + ": expected a JSON object");
        }
        try {
            return MentionValidator.validate(objectMapper.treeToValue(node, Mention.class));
        } catch (InvalidMentionException e) {
            throw new InvalidMentionException(where + ": " + e.getMessage(), e);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            String message = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
            throw new InvalidMentionException(where + ": " + message, e);
        } catch (RuntimeException e) {
            throw new InvalidMentionException(io.hearth.channel.support.JsonItems.unreadable(where, e), e);
        }
    }

    private static String locationOf(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
