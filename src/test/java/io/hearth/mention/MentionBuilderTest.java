package io.hearth.mention;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;

import org.junit.jupiter.api.Test;

/** {@link Mention.Builder}, {@link Mention#toBuilder()} and the {@code with…} copies. */
class MentionBuilderTest {

    @Test
    void toBuilderBuildsAnEqualCopyOfEveryField() {
        Mention full = MentionJsonTest.full();

        assertThat(full.toBuilder().build()).isEqualTo(full);
    }

    @Test
    void anUnsetFieldStaysNull() {
        Mention m = Mention.builder().channel("x").nativeId("1").text("hi").build();

        assertThat(m).isEqualTo(new Mention(null, null, "x", "1", null, null, "hi", null, null, null, null, null, null,
                null, null, null, null, null, null, null, null));
    }

    @Test
    void v1SetsTheSchemaChannelAndNativeIdAndLeavesTheIdToTheValidator() {
        Mention m = Mention.v1("bluesky", "at://did:plc:abc/app.bsky.feed.post/1").text("hi")
                .createdAt(Instant.EPOCH).build();

        assertThat(m.schema()).isEqualTo(Mention.SCHEMA_V1);
        assertThat(m.channel()).isEqualTo("bluesky");
        assertThat(m.nativeId()).isEqualTo("at://did:plc:abc/app.bsky.feed.post/1");
        assertThat(m.id()).isNull();
        assertThat(MentionValidator.validate(m).id()).isEqualTo("bluesky:at://did:plc:abc/app.bsky.feed.post/1");
    }

    @Test
    void eachSetterSetsItsOwnComponent() {
        Mention full = MentionJsonTest.full();
        Mention.Builder b = Mention.builder().schema(full.schema()).id(full.id()).channel(full.channel())
                .nativeId(full.nativeId()).url(full.url()).kind(full.kind()).text(full.text()).lang(full.lang())
                .createdAt(full.createdAt()).author(full.author()).engagement(full.engagement())
                .hashtags(full.hashtags()).mentions(full.mentions()).links(full.links()).inReplyTo(full.inReplyTo())
                .repostOf("mastodon:9").conversationId(full.conversationId()).sentiment(full.sentiment())
                .intent(full.intent()).influence(full.influence()).match(full.match());

        assertThat(b.build()).isEqualTo(full.toBuilder().repostOf("mastodon:9").build());
    }

    @Test
    void withScoresAndWithMatchChangeOnlyTheirFields() {
        Mention plain = MentionJsonTest.full().toBuilder().sentiment(null).intent(null).influence(null).match(null)
                .build();
        Mention.Match match = new Mention.Match("003A", "identity", 0.8);

        Mention scored = plain.withScores(-0.5, "praise", 12).withMatch(match);

        assertThat(scored).isEqualTo(new Mention(plain.schema(), plain.id(), plain.channel(), plain.nativeId(),
                plain.url(), plain.kind(), plain.text(), plain.lang(), plain.createdAt(), plain.author(),
                plain.engagement(), plain.hashtags(), plain.mentions(), plain.links(), plain.inReplyTo(),
                plain.repostOf(), plain.conversationId(), -0.5, "praise", 12, match));
    }
}
