package io.hearth.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.mention.Mention;
import io.hearth.mention.TestObjectMappers;
import io.hearth.support.Fixtures;

/**
 * Channel fixtures under {@code src/test/resources/fixtures/<channel>/}: a native payload {@code <name>.json}
 * and, beside it, {@code <name>.expected.jsonl}: the canonical mentions it must map to, one per line, in order.
 * Every field of every mention is compared (as JSON, so a field added to the model shows up here).
 */
public final class ChannelFixtures {

    public static final ObjectMapper JSON = TestObjectMappers.springLike();

    private ChannelFixtures() {
    }

    public static String read(String channel, String name) {
        return Fixtures.text(channel + "/" + name);
    }

    public static List<JsonNode> expected(String channel, String fixture) {
        String name = fixture.replaceFirst("\\.json$", "") + ".expected.jsonl";
        List<JsonNode> lines = new ArrayList<>();
        for (String line : read(channel, name).split("\n")) {
            if (!line.isBlank()) {
                lines.add(tree(line));
            }
        }
        return lines;
    }

    /** Maps the fixture and compares every mention, field by field, with its .expected.jsonl. */
    public static MappedPayload assertMapsAsExpected(ChannelMapper mapper, String fixture) {
        MappedPayload mapped = mapper.mapPayload(read(mapper.channel(), fixture));
        List<JsonNode> expected = expected(mapper.channel(), fixture);
        List<JsonNode> actual = mapped.mentions().stream().map(ChannelFixtures::tree).toList();
        assertThat(actual).as("mentions of %s", fixture).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            JsonNode want = expected.get(i);
            JsonNode got = actual.get(i);
            for (var it = want.fieldNames(); it.hasNext(); ) {
                String field = it.next();
                assertThat(got.get(field)).as("%s mention %d (%s) field '%s'", fixture, i, want.path("id").asText(), field)
                        .isEqualTo(want.get(field));
            }
            assertThat(got).as("%s mention %d (%s): fields not in the expected file", fixture, i, want.path("id").asText())
                    .isEqualTo(want);
        }
        return mapped;
    }

    /** The mention as the hub writes it (serialised, then read back), so numbers compare as in the files. */
    public static JsonNode tree(Mention mention) {
        try {
            return JSON.readTree(JSON.writeValueAsString(mention));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
