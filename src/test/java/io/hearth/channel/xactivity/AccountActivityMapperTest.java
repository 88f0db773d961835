package io.hearth.channel.xactivity;

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

class AccountActivityMapperTest {

    private final AccountActivityMapper mapper = new AccountActivityMapper(TestObjectMappers.springLike());

    @Test
    void tweetCreateEventsBecomeXMentions() {
        MappedPayload mapped = mapper.mapPayload(Fixtures.text("x-activity/tweet_create_events.json"));
        List<Mention> mentions = mapped.mentions();

        assertThat(mapper.channel()).isEqualTo("x-activity");
        assertThat(mentions).extracting(Mention::id).containsExactly("x:1991000000000000001", "x:1991000000000000002",
                "x:1991000000000000003", "x:1991000000000000004");
        assertThat(mentions).extracting(Mention::kind).containsExactly(MentionKind.POST, MentionKind.REPLY,
                MentionKind.QUOTE, MentionKind.REPOST);

        Mention post = mentions.get(0);
        assertThat(post.channel()).isEqualTo("x");
        assertThat(post.nativeId()).isEqualTo("1991000000000000001");
        assertThat(post.text()).isEqualTo("@HearthHQ loving it \uD83D\uDE00 Q&A tonight #NewApp https://t.co/abc");
        assertThat(post.createdAt()).isEqualTo(Instant.parse("2025-11-20T10:00:00Z"));
        assertThat(post.url()).isEqualTo("https://x.com/jane_ex/status/1991000000000000001");
        assertThat(post.lang()).isEqualTo("en");
        assertThat(post.author()).isEqualTo(new Mention.Author("jane_ex", "1500000001", "Jane Example", 1234L, false,
                "https://x.com/jane_ex"));
        assertThat(post.engagement()).isEqualTo(new Mention.Engagement(7L, 3L, 2L, 0L));
        assertThat(post.hashtags()).containsExactly("NewApp");
        assertThat(post.mentions()).containsExactly("HearthHQ");
        assertThat(post.links()).containsExactly("https://example.com/app");
        assertThat(post.inReplyTo()).isNull();
        assertThat(post.repostOf()).isNull();

        Mention reply = mentions.get(1);
        assertThat(reply.inReplyTo()).isEqualTo("x:1991000000000000001");
        assertThat(reply.author().verified()).isTrue();
        assertThat(reply.author().followers()).isEqualTo(90000L);
        assertThat(reply.engagement()).isEqualTo(new Mention.Engagement(null, null, null, null));

        Mention quote = mentions.get(2);
        assertThat(quote.text()).startsWith("This is a long one").endsWith("extended_tweet.full_text #LongRead @HearthHQ");
        assertThat(quote.hashtags()).as("entities of extended_tweet").containsExactly("LongRead");
        assertThat(quote.repostOf()).isEqualTo("x:1991000000000000001");

        Mention retweet = mentions.get(3);
        assertThat(retweet.repostOf()).isEqualTo("x:1991000000000000001");
        assertThat(retweet.author().handle()).isEqualTo("lee_ex");

        assertThat(mapped.rejections()).extracting(MappedPayload.Rejection::reason).containsExactly(
                "tweet_create_events[4]: missing field 'created_at'",
                "tweet_create_events[5]: missing object 'user'");
        assertThat(mapped.rejections().get(0).item()).contains("\"id_str\":\"1991000000000000005\"");
    }

    @Test
    void otherEventsCarryNoMentions() {
        assertThat(mapper.mapPayload(Fixtures.text("x-activity/favorite_events.json")).isEmpty()).isTrue();
        assertThat(mapper.mapPayload("{\"for_user_id\":\"1\",\"tweet_create_events\":[]}").isEmpty()).isTrue();
    }

    @Test
    void wrongTypesAreRejectionsAndUnreadablePayloadsInvalid() {
        MappedPayload mapped = mapper.mapPayload("{\"tweet_create_events\":[1,{\"id_str\":\"abc\",\"created_at\":\"x\",\"user\":{}},"
                + "{\"id_str\":\"5\",\"created_at\":\"2025-11-20\",\"user\":{}}]}");
        assertThat(mapped.mentions()).isEmpty();
        assertThat(mapped.rejections()).extracting(MappedPayload.Rejection::reason).containsExactly(
                "tweet_create_events[0]: expected an object",
                "tweet_create_events[1]: field 'id_str' is not a numeric id",
                "tweet_create_events[2]: field 'created_at' is not an X date (Wed Oct 10 20:19:24 +0000 2018)");

        assertThatThrownBy(() -> mapper.mapPayload("{\"tweet_create_events\":{}}")).isInstanceOf(InvalidMentionException.class);
        assertThatThrownBy(() -> mapper.mapPayload("{\"tweet_create_events\":[")).isInstanceOf(InvalidMentionException.class)
                .hasMessageStartingWith("malformed JSON");
        assertThatThrownBy(() -> mapper.mapPayload("[]")).isInstanceOf(InvalidMentionException.class);
    }

    @Test
    void tweetDeleteEventsNameTheDeletedPosts() {
        String payload = "{\"for_user_id\":\"1\",\"tweet_delete_events\":[{\"status\":{\"id\":\"601430178305220608\","
                + "\"user_id\":\"3198576760\"},\"timestamp_ms\":\"1432228155593\"},{\"status\":{\"id\":\"x1\"}},{\"nothing\":1},"
                + "{\"status\":{\"id\":42}}]}";
        assertThat(mapper.deletedPosts(payload)).containsExactly("x:601430178305220608", "x:42");
        assertThat(mapper.mapPayload(payload).isEmpty()).as("a delete event is no mention").isTrue();
        assertThat(mapper.deletedPosts(Fixtures.text("x-activity/tweet_create_events.json"))).isEmpty();
        assertThat(mapper.deletedPosts("not json")).isEmpty();
    }
}
