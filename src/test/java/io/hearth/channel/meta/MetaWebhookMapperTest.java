package io.hearth.channel.meta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import io.hearth.channel.MappedPayload;
import io.hearth.mention.InvalidMentionException;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionKind;
import io.hearth.mention.TestObjectMappers;
import io.hearth.support.Fixtures;
import org.junit.jupiter.api.Test;

class MetaWebhookMapperTest {

    private final MetaWebhookMapper mapper = new MetaWebhookMapper(TestObjectMappers.springLike());

    private Mention only(String fixture) {
        MappedPayload mapped = mapper.mapPayload(Fixtures.text("meta/" + fixture));
        assertThat(mapped.rejections()).isEmpty();
        assertThat(mapped.mentions()).hasSize(1);
        return mapped.mentions().get(0);
    }

    @Test
    void pageFeedCommentIsACommentOnItsParent() {
        Mention m = only("page_feed_comment_add.json");

        assertThat(m.id()).isEqualTo("meta:901097836652708_903438993085259");
        assertThat(m.channel()).isEqualTo("meta");
        assertThat(m.nativeId()).isEqualTo("901097836652708_903438993085259");
        assertThat(m.kind()).isEqualTo(MentionKind.COMMENT);
        assertThat(m.text()).isEqualTo("and the next one");
        assertThat(m.createdAt()).isEqualTo(Instant.ofEpochSecond(1449135003));
        assertThat(m.author()).isEqualTo(new Mention.Author(null, "1234567890321", "Tester", null, null, null));
        assertThat(m.inReplyTo()).isEqualTo("meta:1234567890321_901097836652708");
        assertThat(m.conversationId()).isEqualTo("1234567890321_901097836652708");
        assertThat(m.url()).isNull();
        assertThat(m.schema()).isEqualTo(Mention.SCHEMA_V1);
    }

    @Test
    void pageFeedStatusIsAPost() {
        Mention m = only("page_feed_status_add.json");

        assertThat(m.id()).isEqualTo("meta:1234567890321_930145403745849");
        assertThat(m.kind()).isEqualTo(MentionKind.POST);
        assertThat(m.text()).isEqualTo("This is just a short test message");
        assertThat(m.createdAt()).isEqualTo(Instant.ofEpochSecond(1448633038));
        assertThat(m.author().displayName()).isEqualTo("Tester");
        assertThat(m.author().nativeId()).isEqualTo("1234567890321");
        assertThat(m.url()).isEqualTo("https://www.facebook.com/1234567890321_930145403745849");
        assertThat(m.inReplyTo()).isNull();
    }

    @Test
    void pageMentionInAPostAndInAComment() {
        Mention post = only("page_mention_post_add.json");
        assertThat(post.id()).isEqualTo("meta:1234567890321_98722536423179");
        assertThat(post.kind()).isEqualTo(MentionKind.POST);
        assertThat(post.text()).isEqualTo("A test post message");
        assertThat(post.createdAt()).isEqualTo(Instant.ofEpochSecond(1614340562));
        assertThat(post.author()).isNull();

        Mention comment = only("page_mention_comment_add.json");
        assertThat(comment.id()).isEqualTo("meta:7363534231324_3754798971271444");
        assertThat(comment.kind()).isEqualTo(MentionKind.COMMENT);
        assertThat(comment.text()).isEqualTo("Just a test message");
        assertThat(comment.createdAt()).isEqualTo(Instant.ofEpochSecond(1614340862));
        assertThat(comment.inReplyTo()).isEqualTo("meta:1234567890321_7363534231324");
    }

    @Test
    void instagramCommentAndMention() {
        Mention comment = only("instagram_comments.json");
        assertThat(comment.id()).isEqualTo("meta:123456789");
        assertThat(comment.kind()).isEqualTo(MentionKind.COMMENT);
        assertThat(comment.text()).isEqualTo("This is an example.");
        assertThat(comment.createdAt()).as("entry time: the value has none").isEqualTo(Instant.ofEpochSecond(1519399307));
        assertThat(comment.author()).isEqualTo(new Mention.Author("testuser", "1234536447", null, null, null,
                "https://www.instagram.com/testuser"));
        assertThat(comment.inReplyTo()).as("parent_id wins over media.id").isEqualTo("meta:987654321");
        assertThat(comment.conversationId()).isEqualTo("76543987");

        Mention mention = only("instagram_mentions.json");
        assertThat(mention.id()).isEqualTo("meta:17887498072083520");
        assertThat(mention.kind()).isEqualTo(MentionKind.COMMENT);
        assertThat(mention.text()).as("the webhook carries ids only").isEmpty();
        assertThat(mention.createdAt()).isEqualTo(Instant.ofEpochSecond(1519399310));
        assertThat(mention.inReplyTo()).isEqualTo("meta:17887498072083520");
    }

    @Test
    void instagramMentionOfAMediaIsAPost() {
        MappedPayload mapped = mapper.mapPayload("{\"object\":\"instagram\",\"entry\":[{\"id\":\"0\",\"time\":1519399310,"
                + "\"changes\":[{\"field\":\"mentions\",\"value\":{\"media_id\":\"17900000000000001\"}}]}]}");

        assertThat(mapped.mentions()).singleElement().satisfies(m -> {
            assertThat(m.id()).isEqualTo("meta:17900000000000001");
            assertThat(m.kind()).isEqualTo(MentionKind.POST);
            assertThat(m.inReplyTo()).isNull();
        });
    }

    @Test
    void aBatchKeepsGoodChangesSkipsNonMentionsAndRejectsBadOnes() {
        MappedPayload mapped = mapper.mapPayload(Fixtures.text("meta/page_batch_mixed.json"));

        assertThat(mapped.mentions()).extracting(Mention::id).containsExactly(
                "meta:1234567890321_5550001", "meta:5550001_6660002", "meta:7770001_8880001");
        Mention post = mapped.mentions().get(0);
        assertThat(post.createdAt()).as("ISO created_time with +0000").isEqualTo(Instant.parse("2025-11-20T10:00:00Z"));
        assertThat(post.text()).isEqualTo("Loving the #NewApp from @Hearth \uD83D\uDE00 #travel");
        assertThat(post.hashtags()).containsExactly("NewApp", "travel");
        assertThat(post.author().displayName()).isEqualTo("Zoë Example");
        Mention reply = mapped.mentions().get(1);
        assertThat(reply.kind()).isEqualTo(MentionKind.COMMENT);
        assertThat(reply.inReplyTo()).as("a reply to a comment").isEqualTo("meta:5550001_6660001");
        assertThat(reply.createdAt()).isEqualTo(Instant.ofEpochSecond(1763633100));
        Mention pageMention = mapped.mentions().get(2);
        assertThat(pageMention.createdAt()).as("no created_time: the entry's time").isEqualTo(Instant.ofEpochSecond(1763636400));

        assertThat(mapped.rejections()).extracting(MappedPayload.Rejection::reason).containsExactly(
                "entry[0].changes[5]: missing field 'value.comment_id'",
                "entry[1].changes[1]: field 'value' must be an object",
                "entry[1].changes[2]: field 'value.created_time' is not epoch seconds or ISO-8601");
        assertThat(mapped.rejections().get(0).item()).as("the change itself, for the DLQ")
                .startsWith("{\"field\":\"feed\"").contains("where is my id");
        assertThat(mapped.rejections()).extracting(MappedPayload.Rejection::reason)
                .allSatisfy(reason -> assertThat(reason).doesNotContain("where is my id", "bad time"));
    }

    @Test
    void theSamePayloadMapsTheSameWay() {
        String payload = Fixtures.text("meta/page_batch_mixed.json");
        assertThat(mapper.mapPayload(payload)).isEqualTo(mapper.mapPayload(payload));
    }

    @Test
    void otherObjectsAndEntriesWithoutChangesGiveNothing() {
        assertThat(mapper.mapPayload("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"1\",\"changes\":[]}]}").isEmpty())
                .isTrue();
        assertThat(mapper.mapPayload("{\"object\":\"page\",\"entry\":[{\"id\":\"1\",\"time\":1,\"messaging\":[{}]}]}").isEmpty())
                .isTrue();
        assertThat(mapper.mapPayload("{\"object\":\"page\",\"entry\":[]}").isEmpty()).isTrue();
    }

    @Test
    void wrongTypesInsideAnEntryAreRejections() {
        MappedPayload mapped = mapper.mapPayload("{\"object\":\"page\",\"entry\":[7,{\"id\":\"1\",\"changes\":{}},"
                + "{\"id\":\"1\",\"time\":1,\"changes\":[\"x\",{\"field\":\"feed\",\"value\":{\"item\":\"status\",\"verb\":\"add\","
                + "\"post_id\":{\"a\":1}}},{\"field\":\"feed\",\"value\":{\"item\":\"status\",\"post_id\":\"1_2\",\"message\":5}}]}]}");

        assertThat(mapped.mentions()).isEmpty();
        assertThat(mapped.rejections()).extracting(MappedPayload.Rejection::reason).containsExactly(
                "entry[0]: expected an object",
                "entry[1]: field 'changes' must be an array",
                "entry[2].changes[0]: expected an object",
                "entry[2].changes[1]: field 'value.post_id' must be a string",
                "entry[2].changes[2]: field 'value.message' must be a string");
    }

    @Test
    void unreadablePayloadsAreInvalidAsAWhole() {
        String truncated = Fixtures.text("meta/page_feed_comment_add.json").substring(0, 200);
        assertThatThrownBy(() -> mapper.mapPayload(truncated)).isInstanceOf(InvalidMentionException.class)
                .hasMessageStartingWith("malformed JSON");
        assertThatThrownBy(() -> mapper.mapPayload("")).isInstanceOf(InvalidMentionException.class);
        assertThatThrownBy(() -> mapper.mapPayload("[]")).isInstanceOf(InvalidMentionException.class);
        assertThatThrownBy(() -> mapper.mapPayload("{\"entry\":[]}")).isInstanceOf(InvalidMentionException.class)
                .hasMessageContaining("'object'");
        assertThatThrownBy(() -> mapper.mapPayload("{\"object\":\"page\",\"entry\":{}}"))
                .isInstanceOf(InvalidMentionException.class).hasMessageContaining("'entry' must be an array");
    }

    @Test
    void aLargePayloadOfManyChangesMapsEveryOne() {
        StringBuilder json = new StringBuilder("{\"object\":\"page\",\"entry\":[{\"id\":\"1\",\"time\":1763632800,\"changes\":[");
        int n = 20_000;
        for (int i = 0; i < n; i++) {
            json.append(i == 0 ? "" : ",").append("{\"field\":\"feed\",\"value\":{\"item\":\"status\",\"verb\":\"add\",\"post_id\":\"1_")
                    .append(i).append("\",\"created_time\":1763632800,\"message\":\"").append("x".repeat(200)).append("\"}}");
        }
        json.append("]}]}");
        assertThat(json.length()).isGreaterThan(5_000_000);

        List<Mention> mentions = mapper.mapPayload(json.toString()).mentions();
        assertThat(mentions).hasSize(n);
        assertThat(mentions.get(n - 1).id()).isEqualTo("meta:1_" + (n - 1));
    }
}
