package io.hearth.channel.reddit;

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

class RedditListingMapperTest {

    private final RedditListingMapper mapper = new RedditListingMapper(ChannelFixtures.JSON);

    @ParameterizedTest
    @ValueSource(strings = {"search_listing_t3_2016.json", "subreddit_comments_t1_2023.json",
            "submission_with_comments_2025.json", "search_listing_awkward.json", "submission_with_comment_tree.json"})
    void everyFixtureMapsToItsExpectedMentions(String fixture) {
        assertMapsAsExpected(mapper, fixture);
    }

    @Test
    void isTheRedditChannel() {
        assertThat(mapper.channel()).isEqualTo("reddit");
    }

    @Test
    void aRecordedSearchResultMapsFieldByField() {
        Mention m = map("search_listing_t3_2016.json").mentions().get(1);
        assertThat(m.id()).isEqualTo("reddit:t3_3x4kt2");
        assertThat(m.nativeId()).isEqualTo("t3_3x4kt2");
        assertThat(m.kind()).isEqualTo(MentionKind.POST);
        // permalink without the search's ?ref=search_posts
        assertThat(m.url()).isEqualTo("https://www.reddit.com/r/redditdev/comments/3x4kt2/praw_is_there_an_easy_way_of_getting_a_list_of/");
        assertThat(m.text()).startsWith("[PRAW] Is there an easy way of getting a list of the subreddits I am subscribed to, without using OAuth?\n\nAs the title says.");
        assertThat(m.lang()).isNull();
        // created_utc (1450299786), not "created" (server-local time, 8 hours off in this recording)
        assertThat(m.createdAt()).isEqualTo(Instant.ofEpochSecond(1450299786L));
        assertThat(m.author()).isEqualTo(new Mention.Author("GrinningMouth38", null, null, null, null,
                "https://www.reddit.com/user/GrinningMouth38/")); // 2016: no author_fullname
        assertThat(m.engagement()).isEqualTo(new Mention.Engagement(2L, null, 5L, null));
        assertThat(m.inReplyTo()).isNull();
        assertThat(m.conversationId()).isEqualTo("t3_3x4kt2");
    }

    @Test
    void recordedCommentsAreCommentsOrRepliesByTheirParent() {
        List<Mention> m = map("subreddit_comments_t1_2023.json").mentions();
        assertThat(m).extracting(Mention::kind).containsExactly(MentionKind.REPLY, MentionKind.REPLY, MentionKind.COMMENT);
        assertThat(m).extracting(Mention::inReplyTo).containsExactly("reddit:t1_k3u4rtt", "reddit:t1_k3ynm7c", "reddit:t3_172thsp");
        Mention c = m.get(1);
        assertThat(c.text()).isEqualTo("Hey u/VettedBot what can you tell me about https://www.amazon.com/AT-Prepaid-Radiant-Max-Smartphone/dp/B098KJWTXL");
        assertThat(c.mentions()).containsExactly("VettedBot");
        assertThat(c.links()).containsExactly("https://www.amazon.com/AT-Prepaid-Radiant-Max-Smartphone/dp/B098KJWTXL");
        assertThat(c.author()).isEqualTo(new Mention.Author("Innsmouth_Swim_Team", "t2_v07goqfq", null, null, null,
                "https://www.reddit.com/user/Innsmouth_Swim_Team/"));
        // a t1's num_comments (2 here, 6707 on another) is its submission's: not the comment's replies
        assertThat(c.engagement()).isEqualTo(new Mention.Engagement(1L, null, null, null));
        assertThat(c.conversationId()).isEqualTo("t3_172thsp");
        assertThat(c.createdAt()).isEqualTo(Instant.ofEpochSecond(1696752011L));
    }

    @Test
    void entitiesAreDecodedAndDeletedAuthorsHaveNoAuthor() {
        List<Mention> m = map("search_listing_awkward.json").mentions();
        assertThat(m).extracting(Mention::id).containsExactly("reddit:t3_1abcd01", "reddit:t3_1abcd02", "reddit:t3_1abcd03",
                "reddit:t1_k000001", "reddit:t1_k000002"); // the "more" stub is skipped, children[6] rejected

        Mention post = m.get(0);
        assertThat(post.text()).isEqualTo("Acme app 2.0 & the missing dark mode\n\nI <3 the new app 🔥 but u/acme_support "
                + "please bring back dark mode >:(\n\nDetails: https://acme.example/forum/123.");
        assertThat(post.mentions()).containsExactly("acme_support");
        assertThat(post.links()).containsExactly("https://acme.example/forum/123");
        assertThat(post.engagement()).isEqualTo(new Mention.Engagement(128L, 2L, 42L, null));
        assertThat(post.hashtags()).isEmpty();

        Mention deleted = m.get(1);
        assertThat(deleted.author()).isNull();
        assertThat(deleted.text()).isEqualTo("Review: Acme vs the rest"); // empty selftext: title only
        assertThat(deleted.links()).containsExactly("https://news.example/review?id=7&src=reddit");
        assertThat(deleted.createdAt()).isEqualTo(Instant.parse("2025-11-20T09:30:00.500Z")); // fractional created_utc

        Mention crosspost = m.get(2);
        assertThat(crosspost.kind()).isEqualTo(MentionKind.REPOST);
        assertThat(crosspost.repostOf()).isEqualTo("reddit:t3_1abcd01");
        assertThat(crosspost.links()).containsExactly("https://www.reddit.com/r/acme/comments/1abcd01/acme_app_20_the_missing_dark_mode/");

        Mention comment = m.get(3);
        assertThat(comment.kind()).isEqualTo(MentionKind.COMMENT);
        assertThat(comment.text()).isEqualTo("> dark mode\n\nSame & the widget is gone too");
        assertThat(comment.engagement().likes()).isEqualTo(-3L); // score can be negative

        Mention reply = m.get(4);
        assertThat(reply.kind()).isEqualTo(MentionKind.REPLY);
        assertThat(reply.inReplyTo()).isEqualTo("reddit:t1_k000001");
        assertThat(reply.text()).contains("\uD83D\uDC4D\uD83C\uDFFD"); // 👍🏽
        assertThat(reply.links()).containsExactly("https://acme.example/notes_(2.0.1)");
        assertThat(reply.mentions()).containsExactly("jane_doe");
    }

    @Test
    void oneBadThingIsRejectedWithItsPathWhileTheRestGoesOn() {
        MappedPayload mapped = map("search_listing_awkward.json");
        assertThat(mapped.rejections()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo("data.children[6]: field 'created_utc' must be a number");
            assertThat(r.item()).contains("t1_k000003");
            assertThat(r.reason()).doesNotContain("private");
        });
    }

    @Test
    void aSubmissionWithItsCommentTreeIsWalkedDepthFirst() {
        List<Mention> m = map("submission_with_comment_tree.json").mentions();
        assertThat(m).extracting(Mention::id).containsExactly("reddit:t3_1abcd10", "reddit:t1_k000011", "reddit:t1_k000012");
        assertThat(m).extracting(Mention::kind).containsExactly(MentionKind.POST, MentionKind.COMMENT, MentionKind.REPLY);
        assertThat(m.get(0).text()).isEqualTo("Dark mode is back in 2.0.1\n\nThanks for the feedback & patience <3"); // raw_json=1
        assertThat(m.get(2).inReplyTo()).isEqualTo("reddit:t1_k000011");
        assertThat(m.get(2).conversationId()).isEqualTo("t3_1abcd10");
    }

    @Test
    void theRecordedSubmissionWithItsEmptyCommentListing() {
        MappedPayload mapped = map("submission_with_comments_2025.json");
        assertThat(mapped.rejections()).isEmpty();
        Mention m = mapped.mentions().get(0);
        assertThat(m.id()).isEqualTo("reddit:t3_1kh2top");
        assertThat(m.text()).isEqualTo("Testing PRAW image submission with selftext\n\nTesting **PRAW** image submission *with markdown selftext*.");
        assertThat(m.links()).containsExactly("https://i.redd.it/ky0147al7eze1.png"); // an image post's target
        assertThat(m.engagement()).isEqualTo(new Mention.Engagement(1L, 0L, 0L, null));
        assertThat(m.createdAt()).isEqualTo(Instant.ofEpochSecond(1746638021L));
    }

    @Test
    void wrongThingsInsideAListingAreItemRejections() {
        MappedPayload mapped = mapper.mapPayload("""
                {"kind": "Listing", "data": {"children": [
                  {"kind": "t1", "data": {"id": "ok1", "parent_id": "t3_x", "body": "fine", "created_utc": 1700000000}},
                  {"kind": "t3", "data": {"title": "no id", "created_utc": 1700000000}},
                  {"kind": "t1", "data": {"name": "t1_a", "body": "no parent", "created_utc": 1700000000}},
                  {"kind": "t3", "data": {"name": "t3_b", "title": 7, "created_utc": 1700000000}},
                  {"kind": "t5", "data": {"name": "t5_sub", "display_name": "acme"}},
                  {"kind": "t3", "data": {"name": "t1_c", "title": "wrong prefix", "created_utc": 1700000000}},
                  {"kind": "t3", "data": {"name": "t3_d", "title": "x", "created_utc": 1700000000, "score": "lots"}},
                  {"data": {}},
                  {"kind": "t1", "data": {"name": "t1_e", "parent_id": "t3_x", "body": "x", "created_utc": 1700000000,
                    "replies": {"kind": "t1", "data": {}}}}
                ]}}""");
        assertThat(mapped.mentions()).extracting(Mention::id).containsExactly("reddit:t1_ok1", "reddit:t1_e");
        assertThat(mapped.rejections()).extracting(MappedPayload.Rejection::reason).containsExactly(
                "data.children[1]: missing field 'name'",
                "data.children[2]: missing field 'parent_id'",
                "data.children[3]: field 'title' must be a string",
                "data.children[4]: unsupported kind 't5' (expected t3 or t1)",
                "data.children[5]: field 'name' must be a t3_ fullname",
                "data.children[6]: field 'score' must be a number",
                "data.children[7]: missing field 'kind'",
                "data.children[8].data.replies: expected a Listing (kind 'Listing')");
    }

    @Test
    void emptyListingsAreAnEmptyResult() {
        assertThat(map("search_listing_empty.json").isEmpty()).isTrue();
        assertThat(mapper.mapPayload("[]").isEmpty()).isTrue();
    }

    @Test
    void unreadablePayloadsAreRefusedAsAWhole() {
        assertRefused("{\"kind\": \"Listing\", \"data\": {\"children\": [", "malformed JSON");
        assertRefused("  ", "empty payload");
        assertRefused("\"Listing\"", "expected a Listing object or an array of Listings");
        assertRefused("{\"kind\": \"t3\", \"data\": {}}", "payload: expected a Listing");
        assertRefused("{\"kind\": \"Listing\", \"data\": {}}", "data.children: missing or not an array");
        assertRefused("[{\"kind\": \"Listing\", \"data\": {\"children\": []}}, 3]", "[1]: expected a Listing");
        assertRefused("{\"message\": \"Forbidden\", \"error\": 403}", "Reddit API error response (error 403)");
    }

    @Test
    void decodesExactlyRedditsThreeEntitiesInOnePass() {
        assertThat(RedditListingMapper.decode("a &amp;lt; b &lt; c &gt; d &amp; e &quot;")).isEqualTo("a &lt; b < c > d & e &quot;");
    }

    private void assertRefused(String payload, String message) {
        assertThatThrownBy(() -> mapper.mapPayload(payload)).isInstanceOf(InvalidMentionException.class)
                .hasMessageContaining(message);
    }

    private MappedPayload map(String fixture) {
        return mapper.mapPayload(read("reddit", fixture));
    }
}
