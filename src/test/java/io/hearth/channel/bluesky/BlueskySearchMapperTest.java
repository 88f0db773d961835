package io.hearth.channel.bluesky;

import static io.hearth.channel.ChannelFixtures.assertMapsAsExpected;
import static io.hearth.channel.ChannelFixtures.read;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import io.hearth.channel.ChannelFixtures;
import io.hearth.channel.MappedPayload;
import io.hearth.mention.InvalidMentionException;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionKind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlueskySearchMapperTest {

    private final BlueskySearchMapper mapper = new BlueskySearchMapper(ChannelFixtures.JSON);

    private static final String JANE_POST = "at://did:plc:jane00000000000000000001/app.bsky.feed.post/3lzzaaaaaaa2a";

    @ParameterizedTest
    @ValueSource(strings = {"searchPosts_redistricting.json", "getQuotes_mention_facet.json", "searchPosts_awkward.json"})
    void everyFixtureMapsToItsExpectedMentions(String fixture) {
        assertMapsAsExpected(mapper, fixture);
    }

    @Test
    void isTheBlueskyChannel() {
        assertThat(mapper.channel()).isEqualTo("bluesky");
    }

    @Test
    void aRecordedSearchPostMapsFieldByField() {
        Mention m = map("searchPosts_redistricting.json").mentions().get(0);
        assertThat(m.id()).isEqualTo("bluesky:at://did:plc:7nagdvjqrzaquzk7mueohne5/app.bsky.feed.post/3lpjy3eabqs2l");
        assertThat(m.nativeId()).isEqualTo("at://did:plc:7nagdvjqrzaquzk7mueohne5/app.bsky.feed.post/3lpjy3eabqs2l");
        assertThat(m.url()).isEqualTo("https://bsky.app/profile/mcpli.bsky.social/post/3lpjy3eabqs2l");
        assertThat(m.kind()).isEqualTo(MentionKind.POST);
        assertThat(m.text()).startsWith("Ahead of the start of trial").contains("in a thread \uD83E\uDDF5\n\n");
        assertThat(m.lang()).isEqualTo("en");
        assertThat(m.createdAt()).isEqualTo(Instant.parse("2025-05-19T16:20:29.109Z"));
        assertThat(m.author()).isEqualTo(new Mention.Author("mcpli.bsky.social", "did:plc:7nagdvjqrzaquzk7mueohne5",
                "Michael Li (李之樸)", null, null, "https://bsky.app/profile/mcpli.bsky.social"));
        assertThat(m.engagement()).isEqualTo(new Mention.Engagement(13L, 6L, 1L, 0L));
        // The facet's byte range sits after a 4-byte emoji; the link is the facet's uri, not the shortened text.
        assertThat(m.links()).containsExactly("https://drive.google.com/file/d/1PvWocH9A_Kn_cxRX8uDoMsfDwqbVGkGk/view?usp=sharing");
        assertThat(m.hashtags()).isEmpty();
        assertThat(m.inReplyTo()).isNull();
        assertThat(m.repostOf()).isNull();
        assertThat(m.conversationId()).isEqualTo(m.nativeId());
    }

    @Test
    void aRecordedReplyPointsAtItsParentAndThread() {
        Mention m = map("searchPosts_redistricting.json").mentions().get(1);
        assertThat(m.kind()).isEqualTo(MentionKind.REPLY);
        assertThat(m.inReplyTo()).isEqualTo("bluesky:at://did:plc:mniyp6wfqt2e6gmqjpk2pnlj/app.bsky.feed.post/3lpjqmiends2v");
        assertThat(m.conversationId()).isEqualTo("at://did:plc:mniyp6wfqt2e6gmqjpk2pnlj/app.bsky.feed.post/3lpjqmiends2v");
    }

    @Test
    void mentionFacetsAreReadFromTheirUtf8ByteRange() {
        Mention recorded = map("getQuotes_mention_facet.json").mentions().get(0);
        assertThat(recorded.mentions()).containsExactly("bskyr.bsky.social", "chriskenny.bsky.social");
        assertThat(recorded.hashtags()).containsExactly("rstats");
        assertThat(recorded.kind()).isEqualTo(MentionKind.QUOTE);
        assertThat(recorded.repostOf()).isEqualTo("bluesky:at://did:plc:5c2r73erhng4bszmxlfdtscf/app.bsky.feed.post/3lc5c5qv72r2w");

        // Two 🔥 (4 bytes, 2 chars each) before the mention: char offsets would cut "@acme.bsky.social" wrongly.
        Mention emoji = map("searchPosts_awkward.json").mentions().get(0);
        assertThat(emoji.text()).isEqualTo("🔥🔥 Loving the new @acme.bsky.social app! 👩🏽‍💻 #AcmeApp acme.example/app");
        assertThat(emoji.mentions()).containsExactly("acme.bsky.social");
        assertThat(emoji.hashtags()).containsExactly("AcmeApp", "launchday"); // facet tag, then record.tags
        assertThat(emoji.links()).containsExactly("https://acme.example/app?utm_source=bsky");
        assertThat(emoji.lang()).isEqualTo("en");
        assertThat(emoji.author().displayName()).isEqualTo("Jane 🌻 Doe");
        assertThat(emoji.author().verified()).isTrue();
        assertThat(emoji.createdAt()).isEqualTo(Instant.parse("2026-11-20T09:15:30.123Z"));
        assertThat(emoji.engagement()).isEqualTo(new Mention.Engagement(42L, 5L, 2L, 1L));
    }

    @Test
    void byteSliceDecodesUtf8AndRefusesARangeThatCutsACharacter() {
        byte[] text = "😀 @a.bsky.social".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(BlueskySearchMapper.byteSlice(text, index(5, 19))).isEqualTo("@a.bsky.social");
        assertThat(BlueskySearchMapper.byteSlice(text, index(2, 9))).isNull();   // inside the emoji
        assertThat(BlueskySearchMapper.byteSlice(text, index(5, 20))).isNull();  // past the end
        assertThat(BlueskySearchMapper.byteSlice(text, index(9, 5))).isNull();   // reversed
    }

    @Test
    void awkwardPostsReplyQuoteInvalidHandleAndListEmbed() {
        MappedPayload mapped = map("searchPosts_awkward.json");
        List<Mention> m = mapped.mentions();
        assertThat(m).hasSize(6);

        Mention reply = m.get(1);
        assertThat(reply.kind()).isEqualTo(MentionKind.REPLY);
        assertThat(reply.inReplyTo()).isEqualTo("bluesky:" + JANE_POST);
        assertThat(reply.conversationId()).isEqualTo("at://did:plc:acmebrand0000000000000001/app.bsky.feed.post/3lzzroot00002");
        assertThat(reply.text()).contains("\uD83C\uDDE9\uD83C\uDDEA"); // 🇩🇪, two surrogate pairs
        assertThat(reply.createdAt()).isEqualTo(Instant.parse("2026-11-20T08:20:00Z")); // +01:00 in the record
        assertThat(reply.lang()).isNull();
        assertThat(reply.author().displayName()).isNull();
        assertThat(reply.author().verified()).isNull();
        assertThat(reply.mentions()).containsExactly("jane.bsky.social");

        Mention quote = m.get(2);
        assertThat(quote.kind()).isEqualTo(MentionKind.QUOTE);
        assertThat(quote.repostOf()).isEqualTo("bluesky:at://did:plc:acmebrand0000000000000001/app.bsky.feed.post/3lzzquoted002");
        assertThat(quote.engagement()).isEqualTo(new Mention.Engagement(7L, 2L, 1L, 0L)); // the quoting post's, not the quoted one's

        Mention invalidHandle = m.get(3);
        assertThat(invalidHandle.author()).isEqualTo(new Mention.Author(null, "did:plc:gone00000000000000000004", null, null, null,
                "https://bsky.app/profile/did:plc:gone00000000000000000004"));
        assertThat(invalidHandle.url()).isEqualTo("https://bsky.app/profile/did:plc:gone00000000000000000004/post/3lzzddddddd2d");
        assertThat(invalidHandle.engagement()).isNull();
        assertThat(invalidHandle.links()).containsExactly("https://news.example/acme-review"); // from the external embed
        assertThat(invalidHandle.mentions()).containsExactly("did:plc:acmebrand0000000000000001"); // range cuts 😀: DID

        assertThat(m.get(4).kind()).isEqualTo(MentionKind.QUOTE); // recordWithMedia
        assertThat(m.get(4).repostOf()).isEqualTo(quote.repostOf());
        assertThat(m.get(5).kind()).isEqualTo(MentionKind.POST); // embeds a list, not a post
        assertThat(m.get(5).repostOf()).isNull();
    }

    @Test
    void aPostWithoutUriIsRejectedAloneWithoutItsTextInTheReason() {
        MappedPayload mapped = map("searchPosts_awkward.json");
        assertThat(mapped.rejections()).hasSize(1);
        MappedPayload.Rejection rejection = mapped.rejections().get(0);
        assertThat(rejection.reason()).isEqualTo("posts[4]: missing field 'uri'");
        assertThat(rejection.item()).contains("bafyreifixture4");
        assertThat(rejection.reason()).doesNotContain("private");
    }

    @Test
    void wrongTypesInsideAPostAreItemRejections() {
        MappedPayload mapped = mapper.mapPayload("""
                {"posts":[
                  {"uri":"at://did:plc:a/app.bsky.feed.post/1","record":{"text":"ok","createdAt":"2026-11-20T10:00:00Z"}},
                  {"uri":42,"record":{"text":"x","createdAt":"2026-11-20T10:00:00Z"}},
                  {"uri":"at://did:plc:a/app.bsky.feed.post/3","record":"text"},
                  {"uri":"at://did:plc:a/app.bsky.feed.post/4","record":{"text":"x","createdAt":"yesterday"}},
                  {"uri":"at://did:plc:a/app.bsky.feed.post/5","record":{"text":"x","createdAt":"2026-11-20T10:00:00Z"},"likeCount":"many"},
                  {"uri":"https://bsky.app/x","record":{"text":"x","createdAt":"2026-11-20T10:00:00Z"}},
                  {"uri":"at://did:plc:a/app.bsky.feed.post/7","record":{"text":"x"}},
                  "not a post"
                ]}""");
        assertThat(mapped.mentions()).extracting(Mention::id).containsExactly("bluesky:at://did:plc:a/app.bsky.feed.post/1");
        assertThat(mapped.mentions().get(0).author().nativeId()).isEqualTo("did:plc:a"); // no author: the DID of the URI
        assertThat(mapped.rejections()).extracting(MappedPayload.Rejection::reason).containsExactly(
                "posts[1]: field 'uri' must be a string",
                "posts[2]: field 'record' must be an object",
                "posts[3]: field 'record.createdAt' is not an ISO-8601 timestamp with offset",
                "posts[4]: field 'likeCount' must be an integer",
                "posts[5]: field 'uri' must be an at:// URI",
                "posts[6]: missing field 'record.createdAt'",
                "posts[7]: expected a postView object");
    }

    @Test
    void anEmptyPageIsAnEmptyResult() {
        assertThat(map("searchPosts_empty.json").isEmpty()).isTrue();
    }

    @Test
    void unreadablePayloadsAreRefusedAsAWhole() {
        assertRefused("{\"posts\":[{\"uri\":", "malformed JSON");
        assertRefused("", "empty payload");
        assertRefused("[]", "expected a searchPosts response");
        assertRefused("{\"feed\":[]}", "missing field 'posts'");
        assertRefused("{\"posts\":{}}", "field 'posts' must be an array");
        assertRefused("{\"posts\":[]} {\"posts\":[]}", "malformed JSON");
        assertRefused("{\"error\":\"ExpiredToken\",\"message\":\"Token has expired\"}", "error 'ExpiredToken'");
    }

    private void assertRefused(String payload, String message) {
        assertThatThrownBy(() -> mapper.mapPayload(payload)).isInstanceOf(InvalidMentionException.class)
                .hasMessageContaining(message);
    }

    private MappedPayload map(String fixture) {
        return mapper.mapPayload(read("bluesky", fixture));
    }

    private static com.fasterxml.jackson.databind.JsonNode index(int start, int end) {
        return ChannelFixtures.JSON.createObjectNode().put("byteStart", start).put("byteEnd", end);
    }
}
