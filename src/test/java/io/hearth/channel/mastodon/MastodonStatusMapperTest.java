package io.hearth.channel.mastodon;

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

class MastodonStatusMapperTest {

    final MastodonStatusMapper mapper = new MastodonStatusMapper(TestObjectMappers.springLike());

    List<Mention> timeline() {
        MappedPayload mapped = mapper.mapPayload(Fixtures.text("mastodon/timelines_tag.json"));
        assertThat(mapped.rejections()).isEmpty();
        return mapped.mentions();
    }

    @Test
    void everyStatusBecomesAMentionInOrder() {
        assertThat(mapper.channel()).isEqualTo("mastodon");
        assertThat(timeline()).extracting(Mention::id).containsExactly("mastodon:113507281994612345",
                "mastodon:113507290000000001", "mastodon:113507300000000001", "mastodon:113507310000000001",
                "mastodon:113507320000000001");
    }

    @Test
    void aRemotePostFieldByField() {
        Mention m = timeline().get(0);
        assertThat(m.channel()).isEqualTo("mastodon");
        assertThat(m.nativeId()).isEqualTo("113507281994612345");
        assertThat(m.url()).isEqualTo("https://fosstodon.org/@jane/113507281994612345");
        assertThat(m.kind()).isEqualTo(MentionKind.POST);
        // HTML gone, &amp; decoded, paragraphs as a blank line, the link's hidden spans give the whole URL
        assertThat(m.text()).isEqualTo("Loving the new #AcmeApp dark mode \uD83C\uDF19 & the widgets! Thanks @acme\n\n"
                + "Review: https://blog.example.org/2026/11/acme-app-review?utm=masto&ref=1");
        assertThat(m.text()).doesNotContain("<", "&amp;");
        assertThat(m.lang()).isEqualTo("en");
        assertThat(m.createdAt()).isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
        assertThat(m.author()).isEqualTo(new Mention.Author("jane@fosstodon.org", "109300000000000002",
                "Jane Doe \uD83D\uDC69\uD83C\uDFFD\u200D\uD83D\uDCBB", 1520L, null, "https://fosstodon.org/@jane"));
        assertThat(m.engagement()).isEqualTo(new Mention.Engagement(17L, 5L, 2L, 1L));
        assertThat(m.hashtags()).containsExactly("acmeapp");
        // a local mention gets the polled instance's domain
        assertThat(m.mentions()).containsExactly("acme@mastodon.example");
        // hashtag and mention links are not links
        assertThat(m.links()).containsExactly("https://blog.example.org/2026/11/acme-app-review?utm=masto&ref=1");
        assertThat(m.inReplyTo()).isNull();
        assertThat(m.repostOf()).isNull();
        assertThat(m.conversationId()).isNull();
    }

    @Test
    void aLocalReplyWithMissingOptionalFields() {
        Mention m = timeline().get(1);
        assertThat(m.kind()).isEqualTo(MentionKind.REPLY);
        assertThat(m.inReplyTo()).isEqualTo("mastodon:113507100000000000");
        assertThat(m.text()).isEqualTo("@acme my latte arrived cold again \u2013 it's the 2nd time.\nOrder \"4411\"\n\nPlease fix \uD83D\uDE4F");
        assertThat(m.author().handle()).isEqualTo("mo@mastodon.example"); // acct "mo" + the host of the account URL
        assertThat(m.author().displayName()).isNull(); // "" in the API
        assertThat(m.lang()).isNull();
        assertThat(m.links()).isEmpty();
    }

    @Test
    void aBoostIsARepostShowingTheBoostedPost() {
        Mention m = timeline().get(2);
        assertThat(m.kind()).isEqualTo(MentionKind.REPOST);
        assertThat(m.repostOf()).isEqualTo("mastodon:113507100000000000");
        assertThat(m.text()).isEqualTo("Our winter menu is here \u2615 Try the new gingerbread latte & tell us what you think \uD83C\uDF84 #AcmeWinter");
        assertThat(m.hashtags()).containsExactly("acmewinter");
        assertThat(m.lang()).isEqualTo("en"); // the boosted post's language; the boost has none
        assertThat(m.author().handle()).isEqualTo("latte@social.example");
        assertThat(m.url()).isEqualTo("https://mastodon.example/@acme/113507100000000000"); // the boost has no url of its own
        assertThat(m.engagement()).isEqualTo(new Mention.Engagement(0L, 0L, 0L, 0L)); // the boost's own counters
    }

    @Test
    void aQuotePostLinksToTheQuotedPostAndHidesTheReParagraph() {
        Mention m = timeline().get(3);
        assertThat(m.kind()).isEqualTo(MentionKind.QUOTE);
        assertThat(m.repostOf()).isEqualTo("mastodon:113507000000000000");
        assertThat(m.text()).isEqualTo("Still waiting for a fix on this one \uD83D\uDE24 #AcmeApp");
        assertThat(m.links()).isEmpty(); // the RE: link and the hashtag link
        assertThat(m.author().displayName()).isEqualTo("Sam :verified:"); // custom emoji shortcodes stay as text
    }

    @Test
    void aDirectMessageWithAContentWarning() {
        Mention m = timeline().get(4);
        assertThat(m.kind()).isEqualTo(MentionKind.DIRECT);
        assertThat(m.text()).isEqualTo("billing complaint\n\n@acme you charged my card twice, see https://receipts.example/r/77");
        assertThat(m.links()).containsExactly("https://receipts.example/r/77");
        assertThat(m.mentions()).containsExactly("acme@mastodon.example");
    }

    @Test
    void olderServersWithoutQuotesOrLanguage() {
        Mention m = mapper.mapPayload(Fixtures.text("mastodon/timelines_tag_minimal_fields.json")).mentions().get(0);
        assertThat(m.engagement()).isEqualTo(new Mention.Engagement(0L, 0L, 0L, null));
        assertThat(m.lang()).isNull();
        assertThat(m.kind()).isEqualTo(MentionKind.POST);
        assertThat(m.text()).isEqualTo("plain");
    }

    @Test
    void notificationsGiveTheirMentionsAndSkipTheRest() {
        MappedPayload mapped = mapper.mapPayload(Fixtures.text("mastodon/notifications.json"));
        assertThat(mapped.rejections()).isEmpty();
        // a mention is mapped (by its status id); a favourite, a follow and a boost of the brand's own post are not mentions
        assertThat(mapped.mentions()).singleElement().satisfies(m -> {
            assertThat(m.id()).isEqualTo("mastodon:113507400000000001");
            assertThat(m.author().handle()).isEqualTo("jane@fosstodon.org");
            assertThat(m.text()).isEqualTo("@acme is the app down? \uD83E\uDD14");
        });
        MappedPayload broken = mapper.mapPayload("[{\"id\":\"1\",\"type\":\"mention\",\"created_at\":\"2026-11-20T10:00:00Z\"},"
                + "{\"id\":\"2\",\"type\":\"mention\",\"status\":{\"content\":\"<p>no id</p>\"}}]");
        assertThat(broken.rejections()).extracting(MappedPayload.Rejection::reason).containsExactly(
                "[0]: missing field 'status' (notification of type 'mention')", "[1]: status: missing field 'id'");
    }

    @Test
    void oneBadStatusIsRejectedAndTheOthersGoOn() {
        MappedPayload mapped = mapper.mapPayload(Fixtures.text("mastodon/timelines_tag_one_bad_item.json"));
        assertThat(mapped.mentions()).extracting(Mention::id).containsExactly("mastodon:113507500000000001", "mastodon:113507500000000003");
        assertThat(mapped.rejections()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo("[1]: missing field 'id'");
            assertThat(r.item()).contains("a status without its id");
        });
    }

    @Test
    void wrongTypesRejectTheItemNamingTheField() {
        String ok = "\"created_at\":\"2026-11-20T10:00:00.000Z\",\"content\":\"<p>secret words</p>\"";
        MappedPayload mapped = mapper.mapPayload("[{\"id\":\"1\"," + ok + ",\"favourites_count\":\"7\"},"
                + "{\"id\":\"2\",\"created_at\":\"20.11.2026\",\"content\":\"<p>secret words</p>\"},"
                + "{\"id\":\"3\",\"created_at\":\"2026-11-20T10:00:00.000Z\"},"
                + "{\"id\":\"4\"," + ok + ",\"tags\":[\"acme\"]},"
                + "{\"id\":\"5\"," + ok + ",\"account\":\"jane\"},"
                + "{\"id\":\"6\"," + ok + ",\"reblog\":{\"content\":\"<p>x</p>\"}},"
                + "{\"id\":\"7\"," + ok + "}]");
        assertThat(mapped.mentions()).extracting(Mention::id).containsExactly("mastodon:7");
        assertThat(mapped.rejections()).extracting(MappedPayload.Rejection::reason).containsExactly(
                "[0]: field 'favourites_count' must be an integer",
                "[1]: field 'created_at' must be an ISO-8601 timestamp",
                "[2]: missing field 'content'",
                "[3]: field 'tags[0]' must be an object",
                "[4]: field 'account' must be an object",
                "[5]: missing field 'reblog.id'");
        assertThat(mapped.rejections()).allSatisfy(r -> assertThat(r.reason()).doesNotContain("secret"));
    }

    @Test
    void handlesAlwaysNameTheirInstance() {
        assertThat(MastodonStatusMapper.handle("jane@fosstodon.org", "https://mastodon.example/@jane@fosstodon.org")).isEqualTo("jane@fosstodon.org");
        assertThat(MastodonStatusMapper.handle("mo", "https://Mastodon.Example/@mo")).isEqualTo("mo@mastodon.example");
        assertThat(MastodonStatusMapper.handle("@mo", "http://localhost:3000/@mo")).isEqualTo("mo@localhost");
        assertThat(MastodonStatusMapper.handle("mo", null)).isEqualTo("mo");
        assertThat(MastodonStatusMapper.handle("", "https://m.example/@x")).isNull();
    }

    @Test
    void anEmptyArrayIsAnEmptyResult() {
        assertThat(mapper.mapPayload("[]").isEmpty()).isTrue();
        assertThat(mapper.mapPayload(" [ ] \n").isEmpty()).isTrue();
    }

    @Test
    void unreadablePayloadsAreRefusedAsAWhole() {
        assertThatThrownBy(() -> mapper.mapPayload("{\"id\":\"1\",\"content\":\"<p>one status</p>\"}"))
                .isInstanceOf(InvalidMentionException.class).hasMessage("expected a JSON array of Mastodon statuses (or notifications), got a JSON object");
        assertThatThrownBy(() -> mapper.mapPayload("{\"error\":\"The access token is invalid\"}"))
                .isInstanceOf(InvalidMentionException.class).hasMessageContaining("API error body");
        assertThatThrownBy(() -> mapper.mapPayload("[{\"id\":\"1\","))
                .isInstanceOf(InvalidMentionException.class).hasMessageStartingWith("malformed JSON");
        assertThatThrownBy(() -> mapper.mapPayload(""))
                .isInstanceOf(InvalidMentionException.class).hasMessageStartingWith("empty payload");
    }
}
