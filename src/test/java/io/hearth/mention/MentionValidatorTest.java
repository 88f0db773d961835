package io.hearth.mention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class MentionValidatorTest {

    private static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");

    private static Mention mention(String schema, String id, String channel, String nativeId, String text, Instant createdAt) {
        return Mention.builder().schema(schema).id(id).channel(channel).nativeId(nativeId).text(text)
                .createdAt(createdAt).build();
    }

    private static Mention scored(Double sentiment, Integer influence) {
        return Mention.builder().channel("x").nativeId("1").text("hi").createdAt(AT).sentiment(sentiment)
                .influence(influence).build();
    }

    @Test
    void fillsSchemaIdDefaultKindAndEmptyLists() {
        Mention m = MentionValidator.validate(mention(null, null, "x", "1", "hi", AT));

        assertThat(m.schema()).isEqualTo(Mention.SCHEMA_V1);
        assertThat(m.id()).isEqualTo("x:1");
        assertThat(m.kind()).isEqualTo(MentionKind.POST);
        assertThat(m.hashtags()).isEmpty();
        assertThat(m.mentions()).isEmpty();
        assertThat(m.links()).isEmpty();
        assertThat(m.author()).as("author is optional").isNull();
    }

    @Test
    void keepsWhatIsGivenAndIsIdempotent() {
        Mention given = new Mention(Mention.SCHEMA_V1, "bluesky:3lc6isqcp6u2y", "bluesky", "3lc6isqcp6u2y", null,
                MentionKind.QUOTE, "", "en", AT, null, null, List.of("rstats"), List.of("@bskyr.bsky.social"), List.of(),
                null, "bluesky:3lc5c5qv72r2w", null, -1.0, null, 100, null);
        Mention once = MentionValidator.validate(given);
        assertThat(once).isEqualTo(given);
        assertThat(MentionValidator.validate(once)).isEqualTo(once);
    }

    @Test
    void nativeIdsMayContainColonsAndSlashes() {
        Mention m = MentionValidator.validate(mention(null, null, "bluesky", "at://did:plc:3ixx/app.bsky.feed.post/3lc6", "t", AT));
        assertThat(m.id()).isEqualTo("bluesky:at://did:plc:3ixx/app.bsky.feed.post/3lc6");
    }

    @Test
    void listsEveryMissingFieldByName() {
        assertThatThrownBy(() -> MentionValidator.validate(mention(null, null, null, " ", null, null)))
                .isInstanceOf(InvalidMentionException.class)
                .hasMessage("missing field 'channel'; missing field 'nativeId'; missing field 'createdAt'; missing field 'text'");
    }

    @Test
    void channelMustBeALowerCaseName() {
        for (String bad : List.of("X", "1x", "x_y", "x y", "a".repeat(33))) {
            assertThatThrownBy(() -> MentionValidator.validate(mention(null, null, bad, "1", "t", AT)))
                    .as(bad).hasMessage("field 'channel' must be a lower-case channel name");
        }
        assertThat(MentionValidator.validate(mention(null, null, "meta-ig2", "1", "t", AT)).id()).isEqualTo("meta-ig2:1");
    }

    @Test
    void rejectsAnotherSchemaVersion() {
        assertThatThrownBy(() -> MentionValidator.validate(mention("hearth.mention/v2", null, "x", "1", "t", AT)))
                .hasMessage("unsupported schema 'hearth.mention/v2'; this hub reads hearth.mention/v1");
    }

    @Test
    void rejectsAnIdThatIsNotChannelColonNativeIdWithoutQuotingIt() {
        assertThatThrownBy(() -> MentionValidator.validate(mention(null, "x:2", "x", "1", "t", AT)))
                .hasMessage("field 'id' must be channel:nativeId");
        assertThatThrownBy(() -> MentionValidator.validate(mention(null, "1", "x", "1", "t", AT)))
                .hasMessage("field 'id' must be channel:nativeId");
    }

    @Test
    void enrichmentScoresMustBeInRange() {
        assertThat(MentionValidator.validate(scored(-1.0, 0)).sentiment()).isEqualTo(-1.0);
        assertThat(MentionValidator.validate(scored(1.0, 100)).influence()).isEqualTo(100);
        assertThatThrownBy(() -> MentionValidator.validate(scored(1.01, null)))
                .hasMessage("field 'sentiment' must be between -1 and 1");
        assertThatThrownBy(() -> MentionValidator.validate(scored(-1.5, null)))
                .hasMessage("field 'sentiment' must be between -1 and 1");
        assertThatThrownBy(() -> MentionValidator.validate(scored(Double.NaN, null)))
                .as("NaN (Jackson reads \"NaN\" into a Double)")
                .hasMessage("field 'sentiment' must be between -1 and 1");
        assertThatThrownBy(() -> MentionValidator.validate(scored(null, 101)))
                .hasMessage("field 'influence' must be between 0 and 100");
        assertThatThrownBy(() -> MentionValidator.validate(scored(null, -1)))
                .hasMessage("field 'influence' must be between 0 and 100");
    }
}
