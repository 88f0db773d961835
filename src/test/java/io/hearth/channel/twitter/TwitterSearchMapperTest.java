package io.hearth.channel.twitter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import io.hearth.support.Fixtures;
import io.hearth.channel.MappedPayload;
import io.hearth.mention.InvalidMentionException;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionKind;
import io.hearth.mention.TestObjectMappers;
import org.junit.jupiter.api.Test;

class TwitterSearchMapperTest {

    final TwitterSearchMapper mapper = new TwitterSearchMapper(TestObjectMappers.springLike());

    List<Mention> search() {
        MappedPayload mapped = mapper.mapPayload(Fixtures.text("twitter/search_tweets.json"));
        assertThat(mapped.rejections()).isEmpty();
        return mapped.mentions();
    }

    @Test
    void ingestChannelTwitterMakesMentionsOnTheNetworkChannelX() {
        assertThat(mapper.channel()).isEqualTo("twitter");
        assertThat(search()).extracting(Mention::id).containsExactly("x:2123722000000000001", "x:2123718563591094273",
                "x:2123722000000000003", "x:2123722000000000004", "x:2123722000000000005");
        assertThat(search()).extracting(Mention::channel).containsOnly("x");
    }

    @Test
    void aRetweetFieldByField() {
        Mention m = search().get(0);
        assertThat(m.kind()).isEqualTo(MentionKind.REPOST);
        assertThat(m.repostOf()).isEqualTo("x:2123705921958838273");
        assertThat(m.inReplyTo()).isNull();
        assertThat(m.url()).isEqualTo("https://x.com/latte_lover/status/2123722000000000001");
        assertThat(m.text()).isEqualTo("RT @acme: Our winter menu is here \u2615 Try the new gingerbread latte & tell us what you think "
                + "\uD83C\uDF84 #AcmeWinter https://t.co/Zz11Yy22Xx");
        assertThat(m.createdAt()).isEqualTo(Instant.parse("2026-11-20T10:20:00Z"));
        assertThat(m.author()).isEqualTo(new Mention.Author("latte_lover", "3300000000000000003", "Latte Lover", 240L, false,
                "https://x.com/latte_lover"));
        // v1.1 standard search has no reply/quote counts
        assertThat(m.engagement()).isEqualTo(new Mention.Engagement(0L, 31L, null, null));
        assertThat(m.hashtags()).containsExactly("AcmeWinter");
        assertThat(m.mentions()).containsExactly("acme");
        assertThat(m.links()).containsExactly("https://acme.example/winter");
        assertThat(m.conversationId()).isNull();
    }

    @Test
    void thePostTheV2FixtureAlsoHoldsMapsToTheSameId() {
        Mention m = search().get(1);
        assertThat(m.id()).isEqualTo("x:2123718563591094273");
        assertThat(m.kind()).isEqualTo(MentionKind.POST);
        assertThat(m.text()).isEqualTo("Loving the new #AcmeApp dark mode \uD83C\uDF19 & the widgets! Thanks @acme \uD83D\uDD25 https://t.co/Ab12Cd34Ef");
        assertThat(m.author().displayName()).isEqualTo("Jane Doe \uD83D\uDC69\uD83C\uDFFD\u200D\uD83D\uDCBB");
        assertThat(m.author().followers()).isEqualTo(1520L);
        assertThat(m.engagement()).isEqualTo(new Mention.Engagement(12L, 3L, null, null));
        assertThat(m.links()).containsExactly("https://blog.example.org/2026/11/acme-app-review");
    }

    @Test
    void aTruncatedReplyLinksToItsParentAndDropsTheSelfLink() {
        Mention m = search().get(2);
        assertThat(m.kind()).isEqualTo(MentionKind.REPLY);
        assertThat(m.inReplyTo()).isEqualTo("x:2123705921958838273");
        assertThat(m.repostOf()).isNull();
        assertThat(m.mentions()).containsExactly("acme", "mo_k");
        assertThat(m.links()).isEmpty(); // https://twitter.com/i/web/status/<own id> is the "…" of a truncated text
        assertThat(m.text()).endsWith("going on with\u2026 https://t.co/TrUnC4t3d0");
    }

    @Test
    void aQuoteInExtendedModeUsesFullText() {
        Mention m = search().get(3);
        assertThat(m.kind()).isEqualTo(MentionKind.QUOTE);
        assertThat(m.repostOf()).isEqualTo("x:2123476397061046273");
        assertThat(m.text()).isEqualTo("Endlich! Der Login geht wieder \uD83D\uDC4D #AcmeApp https://t.co/Qq9Rr8Ss7T");
        assertThat(m.lang()).isEqualTo("de");
        assertThat(m.hashtags()).containsExactly("AcmeApp");
    }

    @Test
    void escapedTextAndTheVerifiedFlag() {
        Mention m = search().get(4);
        assertThat(m.text()).isEqualTo("acme <3");
        assertThat(m.lang()).isEqualTo("und");
        assertThat(m.author().verified()).isTrue();
        assertThat(m.author().followers()).isEqualTo(120000L);
    }

    @Test
    void oneBadStatusIsRejectedAndTheOthersGoOn() {
        MappedPayload mapped = mapper.mapPayload(Fixtures.text("twitter/search_tweets_one_bad_item.json"));
        assertThat(mapped.mentions()).extracting(Mention::id).containsExactly("x:2123723000000000001", "x:2123723000000000003");
        assertThat(mapped.rejections()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo("statuses[1]: field 'created_at' must look like 'Wed Aug 27 13:08:45 +0000 2008'");
            assertThat(r.item()).contains("\"id_str\":\"2123723000000000002\"");
        });
    }

    @Test
    void timelinesSingleStatusesAndStreamingExtendedTweetsAreRead() {
        String status = """
                {"created_at":"Wed Aug 27 13:08:45 +0000 2008","id":1149825924029980674,"text":"short… https://t.co/x","truncated":true,
                 "extended_tweet":{"full_text":"the full text #Full","entities":{"hashtags":[{"text":"Full"}],"urls":[],"user_mentions":[]}},
                 "entities":{"hashtags":[],"urls":[{"expanded_url":"https://twitter.com/i/web/status/1149825924029980674"}],"user_mentions":[]},
                 "user":{"id":789,"screen_name":"jane","followers_count":3}}""";
        Mention single = mapper.mapPayload(status).mentions().get(0);
        assertThat(single.id()).isEqualTo("x:1149825924029980674"); // numeric id read exactly, not as a double
        assertThat(single.createdAt()).isEqualTo(Instant.parse("2008-08-27T13:08:45Z"));
        assertThat(single.text()).isEqualTo("the full text #Full");
        assertThat(single.hashtags()).containsExactly("Full");
        assertThat(single.author().nativeId()).isEqualTo("789");
        assertThat(single.author().verified()).isNull();

        MappedPayload timeline = mapper.mapPayload("[" + status + ", {\"text\":\"no id\",\"created_at\":\"Wed Aug 27 13:08:45 +0000 2008\"}]");
        assertThat(timeline.mentions()).hasSize(1);
        assertThat(timeline.rejections()).extracting(MappedPayload.Rejection::reason).containsExactly("[1]: missing field 'id_str'");
    }

    @Test
    void noStatusesIsAnEmptyResult() {
        assertThat(mapper.mapPayload("{\"statuses\":[],\"search_metadata\":{\"count\":15}}").isEmpty()).isTrue();
        assertThat(mapper.mapPayload("[]").isEmpty()).isTrue();
    }

    @Test
    void unreadablePayloadsAreRefusedAsAWhole() {
        assertThatThrownBy(() -> mapper.mapPayload("{\"statuses\":["))
                .isInstanceOf(InvalidMentionException.class).hasMessageStartingWith("malformed JSON");
        assertThatThrownBy(() -> mapper.mapPayload("{\"statuses\":{}}"))
                .isInstanceOf(InvalidMentionException.class).hasMessage("field 'statuses' must be an array of statuses");
        assertThatThrownBy(() -> mapper.mapPayload("{\"errors\":[{\"code\":88,\"message\":\"Rate limit exceeded\"}]}"))
                .isInstanceOf(InvalidMentionException.class).hasMessageContaining("API error body");
        assertThatThrownBy(() -> mapper.mapPayload("\"just a string\""))
                .isInstanceOf(InvalidMentionException.class).hasMessageContaining("a JSON object with 'statuses'");
    }
}
