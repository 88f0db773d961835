package io.hearth.channel.mention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import io.hearth.mention.InvalidMentionException;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionKind;
import io.hearth.mention.TestObjectMappers;
import io.hearth.support.Fixtures;
import org.junit.jupiter.api.Test;

class CanonicalMentionMapperTest {

    private static final String MINIMAL =
            "{\"channel\":\"x\",\"nativeId\":\"1\",\"text\":\"hi\",\"createdAt\":\"2026-11-20T10:00:00Z\",\"author\":{\"handle\":\"jane\"}}";

    private final CanonicalMentionMapper mapper = new CanonicalMentionMapper(TestObjectMappers.springLike());

    private static String minimal(String nativeId) {
        return MINIMAL.replace("\"nativeId\":\"1\"", "\"nativeId\":\"" + nativeId + "\"");
    }

    @Test
    void isTheMentionChannel() {
        assertThat(mapper.channel()).isEqualTo("mention");
    }

    @Test
    void mapsOneObjectAndFillsTheDerivedFields() {
        List<Mention> mentions = mapper.map(MINIMAL);

        assertThat(mentions).hasSize(1);
        Mention m = mentions.get(0);
        assertThat(m.id()).isEqualTo("x:1");
        assertThat(m.schema()).isEqualTo(Mention.SCHEMA_V1);
        assertThat(m.kind()).isEqualTo(MentionKind.POST);
        assertThat(m.createdAt()).isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
        assertThat(m.author().handle()).isEqualTo("jane");
    }

    @Test
    void mapsAPrettyPrintedObject() {
        String pretty = """

                {
                  "schema": "hearth.mention/v1",
                  "channel": "mastodon",
                  "nativeId": "103270115826048975",
                  "kind": "post",
                  "text": "I lost my inheritance with one wrong digit",
                  "createdAt": "2019-12-08T03:48:33.901Z",
                  "author": {
                    "handle": "Gargron",
                    "followers": 322930
                  }
                }
                """;
        List<Mention> mentions = mapper.map(pretty);
        assertThat(mentions).extracting(Mention::id).containsExactly("mastodon:103270115826048975");
        assertThat(mentions.get(0).author().followers()).isEqualTo(322930L);
    }

    @Test
    void mapsAnArrayInOrder() {
        List<Mention> mentions = mapper.map("[" + minimal("1") + ",\n " + minimal("2") + "," + minimal("3") + "]");
        assertThat(mentions).extracting(Mention::id).containsExactly("x:1", "x:2", "x:3");
        assertThat(mapper.map("[]")).isEmpty();
    }

    @Test
    void mapsJsonLinesSkippingBlankLines() {
        String jsonl = "\n" + minimal("1") + "\n\n" + minimal("2") + "\r\n   \n" + minimal("3") + "\n";
        assertThat(mapper.map(jsonl)).extracting(Mention::id).containsExactly("x:1", "x:2", "x:3");
    }

    @Test
    void preservesSurrogatePairsWhetherLiteralOrEscaped() {
        String text = "Love it 🔥👩🏽‍💻 — merci 🇫🇷";
        String literal = MINIMAL.replace("\"hi\"", "\"" + text + "\"");
        String escaped = MINIMAL.replace("\"hi\"", "\"Love it \\ud83d\\udd25\"");

        assertThat(mapper.map(literal).get(0).text()).isEqualTo(text);
        assertThat(mapper.map(literal).get(0).text().codePointCount(0, text.length()))
                .isEqualTo(text.codePointCount(0, text.length()));
        assertThat(mapper.map(escaped).get(0).text()).isEqualTo("Love it 🔥");
    }

    @Test
    void anEmptyPayloadSaysWhatWasExpected() {
        for (String empty : new String[] {null, "", "  \n\t\n"}) {
            assertThatThrownBy(() -> mapper.map(empty))
                    .isInstanceOf(InvalidMentionException.class)
                    .hasMessage("empty payload: expected a mention object, an array of them, or JSON Lines");
        }
    }

    @Test
    void malformedJsonLinesNameTheLine() {
        String jsonl = minimal("1") + "\n" + minimal("2") + "\n{\"channel\":\"x\",\"nativeId\":\"3\" \"text\":\"oops\"}\n";
        assertThatThrownBy(() -> mapper.map(jsonl))
                .isInstanceOf(InvalidMentionException.class)
                .hasMessageStartingWith("malformed JSON: ")
                .hasMessageContaining("at line 3, column");
    }

    @Test
    void lineNumbersCountLeadingBlankLines() {
        // A file dropped in the inbox may start with blank lines: the error must point at the line
        // an editor shows, not at the line after stripping.
        String jsonl = "\n\n" + minimal("1") + "\n{\"channel\":\"x\",\"text\":\"no id\",\"createdAt\":\"2026-11-20T10:00:00Z\"}\n";
        assertThatThrownBy(() -> mapper.map(jsonl)).hasMessage("line 4: missing field 'nativeId'");

        String broken = "\n\n{\"channel\": }";
        assertThatThrownBy(() -> mapper.map(broken)).hasMessageContaining("at line 3, column");
    }

    @Test
    void aLeadingByteOrderMarkIsIgnored() {
        assertThat(mapper.map("\uFEFF" + minimal("1") + "\n" + minimal("2"))).extracting(Mention::id)
                .containsExactly("x:1", "x:2");
        assertThat(mapper.map("\uFEFF[" + minimal("1") + "]")).extracting(Mention::id).containsExactly("x:1");
    }

    @Test
    void aSentimentOutOfRangeOrNotANumberIsRefused() {
        // Jackson reads the string "NaN" into a Double: it must not pass the range check.
        for (String sentiment : List.of("\"NaN\"", "1.5")) {
            String payload = MINIMAL.replace("{", "{\"sentiment\":" + sentiment + ",");
            assertThatThrownBy(() -> mapper.map(payload)).as(sentiment)
                    .hasMessage("line 1: field 'sentiment' must be between -1 and 1");
        }
    }

    @Test
    void malformedArrayNamesTheLine() {
        String array = "[\n" + minimal("1") + ",\n" + minimal("2") + "\n" + minimal("3") + "\n]";
        assertThatThrownBy(() -> mapper.map(array))
                .isInstanceOf(InvalidMentionException.class)
                .hasMessageStartingWith("body: malformed JSON: ")
                .hasMessageContaining("at line 4, column");
    }

    @Test
    void contentAfterAnArrayIsNotSilentlyDropped() {
        // Two arrays (or an array then objects) must either all be mapped or be refused, never
        // answer "accepted: 1" for a payload that carried two mentions.
        String twoArrays = "[" + minimal("1") + "]\n[" + minimal("2") + "]";
        String arrayThenObject = "[" + minimal("1") + "]\n" + minimal("2");
        for (String payload : List.of(twoArrays, arrayThenObject)) {
            List<Mention> mapped;
            try {
                mapped = mapper.map(payload);
            } catch (InvalidMentionException refused) {
                assertThat(refused).hasMessageContaining("line 2");
                continue;
            }
            assertThat(mapped).extracting(Mention::id).containsExactly("x:1", "x:2");
        }
    }

    @Test
    void aMissingFieldNamesTheFieldAndTheLine() {
        String jsonl = minimal("1") + "\n"
                + "{\"channel\":\"x\",\"text\":\"secret words\",\"createdAt\":\"2026-11-20T10:00:00Z\"}";
        assertThatThrownBy(() -> mapper.map(jsonl))
                .isInstanceOf(InvalidMentionException.class)
                .hasMessage("line 2: missing field 'nativeId'");
    }

    @Test
    void aMissingFieldInAnArrayNamesTheElement() {
        String array = "[" + minimal("1") + ",{\"channel\":\"x\",\"nativeId\":\"2\",\"createdAt\":\"2026-11-20T10:00:00Z\"}]";
        assertThatThrownBy(() -> mapper.map(array)).hasMessage("element 1: missing field 'text'");
    }

    @Test
    void anUnsupportedSchemaVersionIsRefused() {
        String v2 = MINIMAL.replace("{", "{\"schema\":\"hearth.mention/v2\",");
        assertThatThrownBy(() -> mapper.map(v2))
                .isInstanceOf(InvalidMentionException.class)
                .hasMessage("line 1: unsupported schema 'hearth.mention/v2'; this hub reads hearth.mention/v1");
    }

    @Test
    void aWrongIdIsRefused() {
        String wrongId = MINIMAL.replace("{", "{\"id\":\"x:2\",");
        assertThatThrownBy(() -> mapper.map(wrongId))
                .isInstanceOf(InvalidMentionException.class)
                .hasMessage("line 1: field 'id' must be channel:nativeId");
    }

    @Test
    void anUnknownKindIsRefusedNamingTheChoices() {
        String story = MINIMAL.replace("{", "{\"kind\":\"story\",");
        assertThatThrownBy(() -> mapper.map(story))
                .isInstanceOf(InvalidMentionException.class)
                .hasMessageStartingWith("line 1: ")
                .hasMessageContaining("unknown kind 'story'")
                .hasMessageContaining("post, reply, repost, quote, comment, direct");
    }

    @Test
    void aMalformedDateIsRefusedWithTheLine() {
        String jsonl = minimal("1") + "\n" + MINIMAL.replace("2026-11-20T10:00:00Z", "yesterday");
        assertThatThrownBy(() -> mapper.map(jsonl))
                .isInstanceOf(InvalidMentionException.class)
                .hasMessageStartingWith("line 2: ")
                .hasMessageContaining("Instant");
    }

    @Test
    void aLineThatIsNotAnObjectIsRefused() {
        assertThatThrownBy(() -> mapper.map(minimal("1") + "\n42\n")).hasMessage("line 2: expected a JSON object");
        assertThatThrownBy(() -> mapper.map("[" + minimal("1") + ", \"x\"]")).hasMessage("element 1: expected a JSON object");
    }

    @Test
    void errorMessagesDoNotQuoteTheMentionText() {
        String jsonl = "{\"channel\":\"x\",\"nativeId\":\"1\",\"text\":\"my phone is 555-0199\"}";
        assertThatThrownBy(() -> mapper.map(jsonl))
                .hasMessage("line 1: missing field 'createdAt'")
                .message().doesNotContain("555-0199");
    }

    @Test
    void theFixtureFileIsValidCanonicalJsonLines() {
        List<Mention> mentions = mapper.map(Fixtures.text("mention/mentions.jsonl"));

        assertThat(mentions).extracting(Mention::id).doesNotHaveDuplicates().contains(
                "x:1862101154425213000", "bluesky:at://did:plc:3ixxligsafp4u6ghljcoetnm/app.bsky.feed.post/3lc6isqcp6u2y");
        assertThat(mentions).anySatisfy(m -> assertThat(m.text()).contains("🔥"));
        assertThat(mentions).anySatisfy(m -> {
            assertThat(m.kind()).isEqualTo(MentionKind.REPLY);
            assertThat(m.inReplyTo()).isNotBlank();
        });
        assertThat(mentions).anySatisfy(m -> {
            assertThat(m.kind()).isEqualTo(MentionKind.REPOST);
            assertThat(m.repostOf()).isNotBlank();
        });
        assertThat(mentions).anySatisfy(m -> assertThat(m.author()).isNull());
        assertThat(mentions).allSatisfy(m -> assertThat(m.schema()).isEqualTo(Mention.SCHEMA_V1));
    }

}
