package io.hearth.mention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** The canonical mention's JSON shape as the hub's ObjectMapper writes and reads it. */
class MentionJsonTest {

    private final ObjectMapper json = TestObjectMappers.springLike();

    static Mention full() {
        return new Mention(Mention.SCHEMA_V1, "mastodon:103270115826048975", "mastodon", "103270115826048975",
                "https://mastodon.social/@Gargron/103270115826048975", MentionKind.REPLY,
                "\"I lost my inheritance with one wrong digit on my sort code\" 🔥", "en",
                Instant.parse("2019-12-08T03:48:33.901Z"),
                new Mention.Author("Gargron", "1", "Eugen", 322930L, true, "https://mastodon.social/@Gargron"),
                new Mention.Engagement(11L, 6L, 5L, 2L), List.of("money"), List.of("@guardian"),
                List.of("https://www.theguardian.com/money/2019/dec/07/i-lost-my-193000-inheritance"),
                "mastodon:103270000000000001", null, "mastodon:103270000000000001", 0.25, "complaint", 87,
                new Mention.Match("003000000000001AAA", "handle", 0.9));
    }

    @Test
    void writesIsoDatesLowercaseKindTheSchemaAndNoNulls() throws Exception {
        String written = json.writeValueAsString(full());
        JsonNode tree = json.readTree(written);

        assertThat(tree.get("schema").asText()).isEqualTo("hearth.mention/v1");
        assertThat(tree.get("createdAt").isTextual()).isTrue();
        assertThat(tree.get("createdAt").asText()).isEqualTo("2019-12-08T03:48:33.901Z");
        assertThat(tree.get("kind").asText()).isEqualTo("reply");
        assertThat(tree.get("author").get("followers").asLong()).isEqualTo(322930L);
        assertThat(tree.get("match").get("contactId").asText()).isEqualTo("003000000000001AAA");
        assertThat(tree.has("repostOf")).isFalse();
        assertThat(written).doesNotContain("null");
    }

    @Test
    void aMinimalMentionHasOnlyWhatItSays() throws Exception {
        Mention minimal = MentionValidator.validate(Mention.builder().channel("x").nativeId("1").text("hi")
                .createdAt(Instant.parse("2026-11-20T10:00:00Z"))
                .author(new Mention.Author("jane", null, null, null, null, null)).build());

        JsonNode tree = json.readTree(json.writeValueAsString(minimal));

        assertThat(tree.properties()).extracting(java.util.Map.Entry::getKey).containsExactly(
                "schema", "id", "channel", "nativeId", "kind", "text", "createdAt", "author", "hashtags", "mentions", "links");
        assertThat(tree.get("id").asText()).isEqualTo("x:1");
        assertThat(tree.get("kind").asText()).isEqualTo("post");
        assertThat(tree.get("author").properties()).hasSize(1);
        assertThat(tree.get("createdAt").asText()).isEqualTo("2026-11-20T10:00:00Z");
    }

    @Test
    void roundTripsWithoutLoss() throws Exception {
        Mention original = full();
        Mention back = json.readValue(json.writeValueAsString(original), Mention.class);
        assertThat(back).isEqualTo(original);
        assertThat(back.text()).endsWith("🔥");
    }

    @Test
    void roundTripsSubMillisecondTimestamps() throws Exception {
        // Bluesky writes microseconds (record.createdAt "2024-11-30T16:20:25.023354Z").
        String in = "{\"channel\":\"bluesky\",\"nativeId\":\"3lc6isqcp6u2y\",\"text\":\"t\",\"createdAt\":\"2024-11-30T16:20:25.023354Z\"}";
        Mention m = json.readValue(in, Mention.class);
        assertThat(m.createdAt()).isEqualTo(Instant.parse("2024-11-30T16:20:25.023354Z"));
        assertThat(json.readTree(json.writeValueAsString(m)).get("createdAt").asText()).isEqualTo("2024-11-30T16:20:25.023354Z");
    }

    @Test
    void readsTimestampsWithAnOffsetAsTheSameInstant() throws Exception {
        // Mastodon: "2019-07-15T18:29:57.191+00:00"; others write local offsets.
        Mention m = json.readValue("{\"channel\":\"x\",\"nativeId\":\"1\",\"text\":\"t\",\"createdAt\":\"2026-11-20T11:00:00+01:00\"}",
                Mention.class);
        assertThat(m.createdAt()).isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
    }

    @Test
    void everyKindIsWrittenAndReadInLowerCase() throws Exception {
        for (MentionKind kind : MentionKind.values()) {
            String written = json.writeValueAsString(kind);
            assertThat(written).isEqualTo("\"" + kind.name().toLowerCase(java.util.Locale.ROOT) + "\"");
            assertThat(json.readValue(written, MentionKind.class)).isEqualTo(kind);
        }
    }

    @Test
    void anUnknownKindIsRejectedNamingTheChoices() {
        assertThatThrownBy(() -> json.readValue("\"story\"", MentionKind.class))
                .hasMessageContaining("unknown kind 'story'")
                .hasMessageContaining("post, reply, repost, quote, comment, direct");
    }

    @Test
    void unknownFieldsAreIgnoredSoNewerWritersDoNotBreakOlderHubs() throws Exception {
        Mention m = json.readValue("{\"channel\":\"x\",\"nativeId\":\"1\",\"text\":\"t\",\"createdAt\":\"2026-11-20T10:00:00Z\","
                + "\"futureField\":{\"a\":1}}", Mention.class);
        assertThat(m.nativeId()).isEqualTo("1");
    }
}
