package io.hearth.channel.x;

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

class XSearchMapperTest {

    final XSearchMapper mapper = new XSearchMapper(TestObjectMappers.springLike());

    List<Mention> page() {
        MappedPayload mapped = mapper.mapPayload(Fixtures.text("x/search_recent_page.json"));
        assertThat(mapped.rejections()).isEmpty();
        return mapped.mentions();
    }

    @Test
    void everyPostOfThePageBecomesAMentionInOrderAndPartialErrorsAreIgnored() {
        assertThat(mapper.channel()).isEqualTo("x");
        // six posts in data[]; the errors[] entry (a missing user) is neither a mention nor a rejection
        assertThat(page()).extracting(Mention::id).containsExactly("x:2123718563591094273", "x:2123719494726582273",
                "x:2123720803349430273", "x:2123714214097846273", "x:2123710611190710273", "x:2123687789982646273");
    }

    @Test
    void aPostFieldByField() {
        Mention m = page().get(0);
        assertThat(m.schema()).isEqualTo(Mention.SCHEMA_V1);
        assertThat(m.channel()).isEqualTo("x");
        assertThat(m.nativeId()).isEqualTo("2123718563591094273");
        assertThat(m.url()).isEqualTo("https://x.com/jane_doe/status/2123718563591094273");
        assertThat(m.kind()).isEqualTo(MentionKind.POST);
        // &amp; unescaped; emoji sent as \\uD83C\\uDF19-style surrogate escapes arrive as the characters
        assertThat(m.text()).isEqualTo("Loving the new #AcmeApp dark mode \uD83C\uDF19 & the widgets! Thanks @acme \uD83D\uDD25 https://t.co/Ab12Cd34Ef");
        assertThat(m.lang()).isEqualTo("en");
        assertThat(m.createdAt()).isEqualTo(Instant.parse("2026-11-20T10:02:17Z"));
        assertThat(m.author()).isEqualTo(new Mention.Author("jane_doe", "1500000000000000001",
                "Jane Doe \uD83D\uDC69\uD83C\uDFFD\u200D\uD83D\uDCBB", 1520L, false, "https://x.com/jane_doe"));
        assertThat(m.engagement()).isEqualTo(new Mention.Engagement(12L, 3L, 1L, 0L));
        assertThat(m.hashtags()).containsExactly("AcmeApp");
        assertThat(m.mentions()).containsExactly("acme");
        assertThat(m.links()).containsExactly("https://blog.example.org/2026/11/acme-app-review");
        assertThat(m.inReplyTo()).isNull();
        assertThat(m.repostOf()).isNull();
        assertThat(m.conversationId()).isEqualTo("2123718563591094273");
    }

    @Test
    void aReplyLinksToThePostItAnswersAndItsConversation() {
        Mention m = page().get(1);
        assertThat(m.kind()).isEqualTo(MentionKind.REPLY);
        assertThat(m.inReplyTo()).isEqualTo("x:2123705921958838273");
        assertThat(m.repostOf()).isNull();
        assertThat(m.conversationId()).isEqualTo("2123705921958838273");
        assertThat(m.text()).isEqualTo("@acme my gingerbread latte arrived cold again >:( order #4411");
        // verified derived from verified_type "none" when the legacy flag is absent
        assertThat(m.author().verified()).isFalse();
        assertThat(m.author().followers()).isEqualTo(87L);
    }

    @Test
    void aRetweetIsARepostWithItsTextAsShown() {
        Mention m = page().get(2);
        assertThat(m.kind()).isEqualTo(MentionKind.REPOST);
        assertThat(m.repostOf()).isEqualTo("x:2123705921958838273");
        assertThat(m.inReplyTo()).isNull();
        assertThat(m.text()).startsWith("RT @acme: Our winter menu is here \u2615").endsWith("https://t.co/\u2026");
        assertThat(m.hashtags()).containsExactly("AcmeWinter");
        assertThat(m.mentions()).containsExactly("acme");
        // X reports the original's retweet count on a retweet
        assertThat(m.engagement()).isEqualTo(new Mention.Engagement(0L, 31L, 0L, 0L));
    }

    @Test
    void aQuoteIsNotARepost() {
        Mention m = page().get(3);
        assertThat(m.kind()).isEqualTo(MentionKind.QUOTE);
        assertThat(m.repostOf()).isEqualTo("x:2123476397061046273");
        assertThat(m.links()).containsExactly("https://twitter.com/acme/status/2123476397061046273");
        assertThat(m.author().verified()).isTrue();
        assertThat(m.engagement()).isEqualTo(new Mention.Engagement(9L, 1L, 4L, 2L));
    }

    @Test
    void aPostWhoseAuthorIsMissingFromIncludesKeepsTheAuthorIdOnly() {
        Mention m = page().get(4);
        assertThat(m.author()).isEqualTo(new Mention.Author(null, "9900000000000000099", null, null, null, null));
        assertThat(m.url()).isEqualTo("https://x.com/i/web/status/2123710611190710273");
        assertThat(m.text()).isEqualTo("acme support never answers \uD83D\uDE24");
    }

    @Test
    void missingOptionalFieldsStayEmpty() {
        Mention m = page().get(5);
        assertThat(m.kind()).isEqualTo(MentionKind.POST);
        assertThat(m.lang()).isNull();
        assertThat(m.engagement()).isNull();
        assertThat(m.conversationId()).isNull();
        assertThat(m.hashtags()).isEmpty();
        assertThat(m.mentions()).isEmpty();
        assertThat(m.links()).isEmpty();
    }

    @Test
    void oneBadPostIsRejectedAndTheOthersGoOn() {
        MappedPayload mapped = mapper.mapPayload(Fixtures.text("x/search_recent_one_bad_item.json"));
        assertThat(mapped.mentions()).extracting(Mention::id).containsExactly("x:2123721000000000001", "x:2123721000000000003");
        assertThat(mapped.rejections()).hasSize(1);
        MappedPayload.Rejection rejection = mapped.rejections().get(0);
        assertThat(rejection.reason()).isEqualTo("data[1]: missing field 'id'");
        assertThat(rejection.item()).contains("a post without its id"); // the item itself, for the DLQ
    }

    @Test
    void wrongTypesRejectTheItemNamingTheFieldNotTheContent() {
        String payload = """
                {"data":[
                  {"id":"1","text":"secret words","created_at":"2026-11-20T10:00:00.000Z","public_metrics":{"like_count":"12"}},
                  {"id":"2","text":"secret words","created_at":"yesterday"},
                  {"id":{"n":3},"text":"secret words","created_at":"2026-11-20T10:00:00.000Z"},
                  {"id":"4","text":42,"created_at":"2026-11-20T10:00:00.000Z"},
                  {"id":"5","text":"secret words","created_at":"2026-11-20T10:00:00.000Z","referenced_tweets":[{"type":"quoted"}]},
                  "not an object",
                  {"id":"7","text":"fine","created_at":"2026-11-20T10:00:00.000Z","entities":{"hashtags":"x"}},
                  {"id":"8","text":"fine","created_at":"2026-11-20T10:00:00.000Z"}
                ],"meta":{"result_count":8}}""";
        MappedPayload mapped = mapper.mapPayload(payload);
        assertThat(mapped.mentions()).extracting(Mention::id).containsExactly("x:8");
        assertThat(mapped.rejections()).extracting(MappedPayload.Rejection::reason).containsExactly(
                "data[0]: field 'public_metrics.like_count' must be an integer",
                "data[1]: field 'created_at' must be an ISO-8601 timestamp",
                "data[2]: field 'id' must be a string id",
                "data[3]: field 'text' must be a string",
                "data[4]: field 'referenced_tweets[0]' needs 'type' and 'id'",
                "data[5]: expected a JSON object",
                "data[6]: field 'entities.hashtags' must be an array");
        assertThat(mapped.rejections()).allSatisfy(r -> assertThat(r.reason()).doesNotContain("secret"));
    }

    @Test
    void noResultsIsAnEmptyResult() {
        assertThat(mapper.mapPayload(Fixtures.text("x/search_recent_empty.json")).isEmpty()).isTrue();
        assertThat(mapper.mapPayload("{\"data\":[],\"meta\":{\"result_count\":0}}").isEmpty()).isTrue();
    }

    @Test
    void withoutCreatedAtTheSnowflakeIdGivesTheTime() {
        Mention m = mapper.mapPayload(Fixtures.text("x/search_recent_default_fields.json")).mentions().get(0);
        assertThat(m.createdAt()).isEqualTo(Instant.parse("2026-11-20T09:12:03Z"));
        assertThat(m.author()).isNull();
        // a non-snowflake id without created_at cannot be dated
        MappedPayload old = mapper.mapPayload("{\"data\":[{\"id\":\"20\",\"text\":\"just setting up my twttr\"}]}");
        assertThat(old.rejections()).extracting(MappedPayload.Rejection::reason).containsExactly("data[0]: missing field 'created_at'");
    }

    @Test
    void longPostsUseTheNoteTweetAndAttachedMediaIsNotALink() {
        String payload = """
                {"data":[{"id":"2123718563591094999","text":"truncated start… https://t.co/a","created_at":"2026-11-20T10:00:00.000Z",
                  "note_tweet":{"text":"the whole long text &amp; more #LongRead","entities":{"hashtags":[{"start":30,"end":39,"tag":"LongRead"}]}},
                  "entities":{"urls":[{"url":"https://t.co/a","expanded_url":"https://twitter.com/i/web/status/2123718563591094999","display_url":"x"},
                                      {"url":"https://t.co/b","expanded_url":"https://x.com/u/status/1/photo/1","display_url":"pic.x.com/b","media_key":"3_1"}]}}]}""";
        Mention m = mapper.mapPayload(payload).mentions().get(0);
        assertThat(m.text()).isEqualTo("the whole long text & more #LongRead");
        assertThat(m.hashtags()).containsExactly("LongRead");
        // without note_tweet: the truncated text, and neither the self-link to the full post nor the photo is a link
        Mention truncated = mapper.mapPayload(payload.replace("\"note_tweet\"", "\"other\"")).mentions().get(0);
        assertThat(truncated.text()).isEqualTo("truncated start\u2026 https://t.co/a");
        assertThat(truncated.links()).isEmpty();
    }

    @Test
    void unreadablePayloadsAreRefusedAsAWhole() {
        assertThatThrownBy(() -> mapper.mapPayload("{\"data\":[{\"id\":\"1\""))
                .isInstanceOf(InvalidMentionException.class).hasMessageStartingWith("malformed JSON");
        assertThatThrownBy(() -> mapper.mapPayload("[{\"id\":\"1\"}]"))
                .isInstanceOf(InvalidMentionException.class).hasMessageContaining("a JSON object with 'data', got a JSON array");
        assertThatThrownBy(() -> mapper.mapPayload("{\"data\":{\"id\":\"1\"}}"))
                .isInstanceOf(InvalidMentionException.class).hasMessage("field 'data' must be an array of posts");
        assertThatThrownBy(() -> mapper.mapPayload("{\"data\":[],\"includes\":{\"users\":{}}}"))
                .isInstanceOf(InvalidMentionException.class).hasMessage("field 'includes.users' must be an array");
        assertThatThrownBy(() -> mapper.mapPayload("  "))
                .isInstanceOf(InvalidMentionException.class).hasMessageStartingWith("empty payload");
        assertThatThrownBy(() -> mapper.mapPayload("{\"data\":[]} {\"data\":[]}"))
                .isInstanceOf(InvalidMentionException.class).hasMessageStartingWith("malformed JSON");
    }

    @Test
    void apiErrorBodiesAreNotSearchResponses() {
        assertThatThrownBy(() -> mapper.mapPayload("{\"title\":\"Too Many Requests\",\"detail\":\"Too Many Requests\",\"type\":\"about:blank\",\"status\":429}"))
                .isInstanceOf(InvalidMentionException.class).hasMessageContaining("API error body");
        assertThatThrownBy(() -> mapper.mapPayload("{\"errors\":[{\"code\":88,\"message\":\"Rate limit exceeded\"}]}"))
                .isInstanceOf(InvalidMentionException.class).hasMessageContaining("API error body");
    }

    @Test
    void theSamePayloadAlwaysMapsTheSame() {
        String payload = Fixtures.text("x/search_recent_page.json");
        assertThat(mapper.mapPayload(payload)).isEqualTo(mapper.mapPayload(payload));
    }
}
