package io.hearth.channel.youtube;

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

class YoutubeCommentThreadsMapperTest {

    private final YoutubeCommentThreadsMapper mapper = new YoutubeCommentThreadsMapper(ChannelFixtures.JSON);

    private static final String THREAD = "UgzAcmeThread0001aaaaAaABAg";

    @ParameterizedTest
    @ValueSource(strings = {"commentThreads_by_video_2019.json", "commentThreads_with_replies.json"})
    void everyFixtureMapsToItsExpectedMentions(String fixture) {
        assertMapsAsExpected(mapper, fixture);
    }

    @Test
    void isTheYoutubeChannel() {
        assertThat(mapper.channel()).isEqualTo("youtube");
    }

    @Test
    void aRecordedTopLevelCommentMapsFieldByField() {
        List<Mention> all = map("commentThreads_by_video_2019.json").mentions();
        assertThat(all).hasSize(5).allSatisfy(m -> assertThat(m.kind()).isEqualTo(MentionKind.COMMENT));
        Mention m = all.get(4);
        assertThat(m.id()).isEqualTo("youtube:UgwI_ylXVnzPS8Q-oAV4AaABAg");
        assertThat(m.url()).isEqualTo("https://www.youtube.com/watch?v=F1UP7wRCPH8&lc=UgwI_ylXVnzPS8Q-oAV4AaABAg");
        assertThat(m.text()).startsWith("Lot's of good light coming in from here #ChromeDevSummit the web");
        assertThat(m.createdAt()).isEqualTo(Instant.parse("2019-11-14T23:31:33Z"));
        // 2019: display names were names, not @handles
        assertThat(m.author()).isEqualTo(new Mention.Author("matrix uduma", "UCACHW4qVHoE4zqhHxcVE3Kw", "matrix uduma", null, null,
                "http://www.youtube.com/channel/UCACHW4qVHoE4zqhHxcVE3Kw"));
        assertThat(m.engagement()).isEqualTo(new Mention.Engagement(0L, null, 2L, null));
        assertThat(m.hashtags()).containsExactly("ChromeDevSummit", "chromedevsummit");
        assertThat(m.links()).isEmpty(); // only hashtag-search links in textDisplay
        assertThat(m.conversationId()).isEqualTo("F1UP7wRCPH8");
        assertThat(m.inReplyTo()).isNull();
        // textOriginal "Google.com": the link comes from textDisplay's anchor
        assertThat(all.get(0).links()).containsExactly("http://google.com/");
        assertThat(all.get(0).text()).isEqualTo("Google.com");
        assertThat(all.get(3).text()).contains("fordata show\n        settings");
    }

    @Test
    void repliesPointAtTheirThreadAndCarryTheirOwnFields() {
        MappedPayload mapped = map("commentThreads_with_replies.json");
        List<Mention> m = mapped.mentions();
        assertThat(m).extracting(Mention::nativeId).containsExactly(THREAD, THREAD + ".AcmeReply001", THREAD + ".AcmeReply002",
                "UgyLegacyThread002bbbbAaABAg", "UgxBadThread00003ccccAaABAg.AcmeReply003");

        Mention top = m.get(0);
        assertThat(top.kind()).isEqualTo(MentionKind.COMMENT);
        assertThat(top.text()).isEqualTo("Love the new dark mode 🌙🔥 #AcmeApp #acme2 thanks @AcmeSupport! More: https://acme.example/notes");
        assertThat(top.author()).isEqualTo(new Mention.Author("jane-doe", "UCjane00000000000000001", "@jane-doe", null, null,
                "http://www.youtube.com/@jane-doe"));
        assertThat(top.engagement()).isEqualTo(new Mention.Engagement(12L, null, 5L, null)); // totalReplyCount, not the 2 included
        assertThat(top.hashtags()).containsExactly("AcmeApp", "acme2");
        assertThat(top.mentions()).containsExactly("AcmeSupport");
        assertThat(top.links()).containsExactly("https://acme.example/notes");
        assertThat(top.conversationId()).isEqualTo("dQw4acmeV01");

        Mention reply = m.get(1);
        assertThat(reply.kind()).isEqualTo(MentionKind.REPLY);
        assertThat(reply.inReplyTo()).isEqualTo("youtube:" + THREAD);
        assertThat(reply.url()).isEqualTo("https://www.youtube.com/watch?v=dQw4acmeV01&lc=" + THREAD + ".AcmeReply001");
        assertThat(reply.text()).isEqualTo("@jane-doe glad you like it 👩🏽‍💻 see 1:23");
        assertThat(reply.mentions()).containsExactly("jane-doe");
        assertThat(reply.links()).isEmpty(); // a timestamp into the same video is no link
        assertThat(reply.engagement()).isEqualTo(new Mention.Engagement(3L, null, null, null));
        assertThat(reply.conversationId()).isEqualTo("dQw4acmeV01");

        Mention htmlOnly = m.get(2); // no textOriginal: textDisplay as plain text
        assertThat(htmlOnly.text()).isEqualTo("Same here & it's <fast>\nBug report: acme.example/bugs");
        assertThat(htmlOnly.links()).containsExactly("https://acme.example/bugs?id=1&x=2");
        assertThat(htmlOnly.author().nativeId()).isNull(); // no authorChannelId
        assertThat(htmlOnly.createdAt()).isEqualTo(Instant.parse("2026-11-20T10:00:00Z")); // +01:00

        Mention legacy = m.get(3);
        assertThat(legacy.engagement()).isEqualTo(new Mention.Engagement(null, null, 0L, null)); // no likeCount
    }

    @Test
    void aBadTopLevelCommentIsRejectedAloneAndItsGoodReplyGoesOn() {
        MappedPayload mapped = map("commentThreads_with_replies.json");
        assertThat(mapped.rejections()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo("items[2].snippet.topLevelComment: missing field 'snippet.publishedAt'");
            assertThat(r.item()).contains("UgxBadThread00003ccccAaABAg");
            assertThat(r.reason()).doesNotContain("private");
        });
        assertThat(mapped.mentions().get(4).inReplyTo()).isEqualTo("youtube:UgxBadThread00003ccccAaABAg");
    }

    @Test
    void wrongTypesInsideAPageAreItemRejections() {
        MappedPayload mapped = mapper.mapPayload("""
                {"kind": "youtube#commentThreadListResponse", "items": [
                  {"id": "t0", "snippet": {"videoId": "v", "topLevelComment": {"id": "c0", "snippet": {"textOriginal": "ok", "publishedAt": "2026-11-20T10:00:00Z"}}}},
                  {"id": "t1", "snippet": {"videoId": "v"}},
                  {"id": "t2", "snippet": {"topLevelComment": {"snippet": {"textOriginal": "x", "publishedAt": "2026-11-20T10:00:00Z"}}}},
                  {"id": "t3", "snippet": {"topLevelComment": {"id": "c3", "snippet": {"textOriginal": 3, "publishedAt": "2026-11-20T10:00:00Z"}}}},
                  {"id": "t4", "snippet": {"topLevelComment": {"id": "c4", "snippet": {"textOriginal": "x", "publishedAt": "2026-11-20T10:00:00Z", "likeCount": "1"}}}},
                  {"id": "t5", "snippet": {"topLevelComment": {"id": "c5", "snippet": {"publishedAt": "2026-11-20T10:00:00Z"}}}},
                  {"id": "t6", "snippet": {"topLevelComment": {"id": "c6", "snippet": {"textOriginal": "x", "publishedAt": "today"}}},
                   "replies": {"comments": [7]}},
                  []
                ]}""");
        assertThat(mapped.mentions()).extracting(Mention::id).containsExactly("youtube:c0");
        assertThat(mapped.mentions().get(0).author()).isNull();
        assertThat(mapped.rejections()).extracting(MappedPayload.Rejection::reason).containsExactly(
                "items[1]: missing field 'snippet.topLevelComment'",
                "items[2].snippet.topLevelComment: missing field 'id'",
                "items[3].snippet.topLevelComment: field 'snippet.textOriginal' must be a string",
                "items[4].snippet.topLevelComment: field 'snippet.likeCount' must be an integer",
                "items[5].snippet.topLevelComment: missing field 'snippet.textOriginal'",
                "items[6].snippet.topLevelComment: field 'snippet.publishedAt' is not an ISO-8601 timestamp",
                "items[6].replies.comments[0]: expected a comment object",
                "items[7]: expected a commentThread object");
    }

    @Test
    void aCommentsListResponseMapsItsCommentsDirectly() {
        MappedPayload mapped = mapper.mapPayload("""
                {"kind": "youtube#commentListResponse", "items": [
                  {"kind": "youtube#comment", "id": "p.r1", "snippet": {"parentId": "p", "textOriginal": "+1",
                   "authorDisplayName": "@kim", "publishedAt": "2026-11-20T10:00:00Z", "likeCount": 2}}]}""");
        Mention m = mapped.mentions().get(0);
        assertThat(m.kind()).isEqualTo(MentionKind.REPLY);
        assertThat(m.inReplyTo()).isEqualTo("youtube:p");
        assertThat(m.url()).isNull(); // no videoId in a comments.list item
        assertThat(m.author().handle()).isEqualTo("kim");
    }

    @Test
    void anEmptyPageIsAnEmptyResult() {
        assertThat(map("commentThreads_empty.json").isEmpty()).isTrue();
        assertThat(mapper.mapPayload("{\"kind\": \"youtube#commentThreadListResponse\", \"pageInfo\": {}}").isEmpty()).isTrue();
    }

    @Test
    void anErrorBodyIsRefusedNamingItsReason() {
        assertRefused(read("youtube", "error_quotaExceeded.json"), "reason quotaExceeded");
        assertRefused("{\"error\": {\"code\": 403, \"message\": \"The caller does not have permission\", \"errors\": "
                + "[{\"reason\": \"commentsDisabled\"}], \"status\": \"PERMISSION_DENIED\"}}", "code 403, reason commentsDisabled, status PERMISSION_DENIED");
    }

    @Test
    void unreadablePayloadsAreRefusedAsAWhole() {
        assertRefused("{\"items\": [", "malformed JSON");
        assertRefused("", "empty payload");
        assertRefused("[{\"id\": \"x\"}]", "expected a commentThreads response");
        assertRefused("{\"kind\": \"youtube#videoListResponse\", \"items\": []}", "unsupported response kind 'youtube#videoListResponse'");
        assertRefused("{\"etag\": \"x\"}", "missing field 'items'");
        assertRefused("{\"items\": {}}", "field 'items' must be an array");
    }

    @Test
    void htmlTextKeepsEmojiAndDecodesEntities() {
        assertThat(io.hearth.channel.support.HtmlText.toPlainText("a<br />b &amp; &#39;c&#39; &#x1F525; <b>bold</b> &unknown;")).isEqualTo("a\nb & 'c' 🔥 bold &unknown;");
    }

    private void assertRefused(String payload, String message) {
        assertThatThrownBy(() -> mapper.mapPayload(payload)).isInstanceOf(InvalidMentionException.class)
                .hasMessageContaining(message);
    }

    private MappedPayload map(String fixture) {
        return mapper.mapPayload(read("youtube", fixture));
    }
}
