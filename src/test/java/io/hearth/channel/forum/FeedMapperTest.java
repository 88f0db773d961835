package io.hearth.channel.forum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import io.hearth.channel.MappedPayload;
import io.hearth.mention.InvalidMentionException;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionKind;
import io.hearth.support.Fixtures;
import org.junit.jupiter.api.Test;

/**
 * Text assertions check what any HTML-to-text conversion must give (no markup, entities decoded,
 * words kept, title + blank line first) rather than one converter's exact line breaks.
 */
class FeedMapperTest {

    private final FeedMapper mapper = new FeedMapper();

    @Test
    void rss20ItemsBecomeForumMentions() {
        MappedPayload mapped = mapper.mapPayload(Fixtures.text("forum/flyertalk_rss.xml"));
        List<Mention> mentions = mapped.mentions();

        assertThat(mapped.rejections()).isEmpty();
        assertThat(mentions).hasSize(3);

        Mention first = mentions.get(0);
        assertThat(first.channel()).isEqualTo("forum");
        assertThat(first.nativeId()).isEqualTo("https://www.flyertalk.com/forum/hearth-air-loyalty-club-123/2100001-status-match.html");
        assertThat(first.id()).isEqualTo("forum:" + first.nativeId());
        assertThat(first.url()).isEqualTo(first.nativeId());
        assertThat(first.kind()).isEqualTo(MentionKind.POST);
        assertThat(first.createdAt()).isEqualTo(Instant.parse("2025-11-20T10:00:00Z"));
        assertThat(first.lang()).isEqualTo("en");
        assertThat(first.author()).isEqualTo(new Mention.Author("MileHigh_Jane", null, "MileHigh_Jane", null, null, null));
        assertThat(first.text()).startsWith("Status match to Hearth Gold & lounge access?\n\nHas anyone had a status match approved?")
                .contains("I sent my card & statement here.").contains("Still waiting\u2026")
                .doesNotContain("<", ">", "&amp;", "&hellip;", "https://example.com/x");

        Mention reply = mentions.get(1);
        assertThat(reply.kind()).as("title starts with Re:").isEqualTo(MentionKind.REPLY);
        assertThat(reply.nativeId()).endsWith("#post35000002");
        assertThat(reply.createdAt()).as("+0100").isEqualTo(Instant.parse("2025-11-20T09:30:00Z"));
        assertThat(reply.author().handle()).as("name of 'mail (Name)'").isEqualTo("Sam Flyer");
        assertThat(reply.text()).as("content:encoded wins over description")
                .startsWith("Re: Status match to Hearth Gold & lounge access?\n\n")
                .contains("Originally posted by MileHigh_Jane").contains("Took 3 days for me.")
                .contains("Lounge access & priority boarding \uD83D\uDC4D").doesNotContain("<", "&amp;", "&#x");

        Mention noGuid = mentions.get(2);
        assertThat(noGuid.nativeId()).as("no guid: the link").isEqualTo(
                "https://www.flyertalk.com/forum/hearth-air-loyalty-club-123/2100003-app-logout.html");
        assertThat(noGuid.createdAt()).as("EST").isEqualTo(Instant.parse("2025-11-20T14:15:00Z"));
        assertThat(noGuid.text()).isEqualTo("Hearth app keeps logging me out\n\nEvery time I open it. Anyone else?");
    }

    @Test
    void atomEntriesBecomeForumMentions() {
        MappedPayload mapped = mapper.mapPayload(Fixtures.text("forum/forum_atom.xml"));
        List<Mention> mentions = mapped.mentions();

        assertThat(mapped.rejections()).isEmpty();
        assertThat(mentions).extracting(Mention::nativeId).containsExactly("tag:forum.example.com,2025:post-901",
                "tag:forum.example.com,2025:post-902", "tag:forum.example.com,2025:post-950");

        Mention refund = mentions.get(0);
        assertThat(refund.kind()).isEqualTo(MentionKind.POST);
        assertThat(refund.url()).isEqualTo("https://forum.example.com/t/refund/901");
        assertThat(refund.createdAt()).as("published, not updated").isEqualTo(Instant.parse("2025-11-20T08:00:00Z"));
        assertThat(refund.author()).isEqualTo(new Mention.Author("grumpy_gus", null, "grumpy_gus", null, null,
                "https://forum.example.com/u/grumpy_gus"));
        assertThat(refund.lang()).isEqualTo("en");
        assertThat(refund.text()).startsWith("Refund still not received\n\nCancelled flight HA123 \u2014 refund promised in 7 days.")
                .contains("It's been 30.").doesNotContain("<", "&");

        Mention re = mentions.get(1);
        assertThat(re.kind()).as("RE: in any case").isEqualTo(MentionKind.REPLY);
        assertThat(re.createdAt()).as("no published: updated").isEqualTo(Instant.parse("2025-11-20T11:30:00Z"));
        assertThat(re.author().handle()).as("the feed's author").isEqualTo("Forum staff");
        assertThat(re.url()).isEqualTo("https://forum.example.com/t/refund/901#reply-2");
        assertThat(re.text()).isEqualTo("RE: Refund still not received\n\nSame for me, opened a case.");

        Mention wifi = mentions.get(2);
        assertThat(wifi.text()).startsWith("Wi-Fi on board works\n\nStreaming was fine.").contains("Price: 8\u20AC")
                .doesNotContain("<");
    }

    @Test
    void itemsWithoutDateOrIdAreRejectedAndTheGoodOneGoesOn() {
        MappedPayload mapped = mapper.mapPayload(Fixtures.text("forum/rss_missing_dates.xml"));

        assertThat(mapped.mentions()).extracting(Mention::id).containsExactly("forum:forum-example-1");
        assertThat(mapped.rejections()).extracting(MappedPayload.Rejection::reason).containsExactly(
                "item[1]: missing <pubDate>",
                "item[2]: <pubDate> is not an RFC 1123 date",
                "item[3]: neither <guid> nor <link>");
        assertThat(mapped.rejections().get(0).item()).as("the item's XML, for the DLQ")
                .startsWith("<item>").contains("<guid>forum-example-2</guid>").endsWith("</item>");
    }

    @Test
    void externalEntitiesAreRefused() {
        assertThatThrownBy(() -> mapper.mapPayload(Fixtures.text("forum/xxe_file.xml")))
                .isInstanceOf(InvalidMentionException.class)
                .hasMessageContaining("DOCTYPE declarations are not allowed");
        assertThatThrownBy(() -> mapper.mapPayload(Fixtures.text("forum/billion_laughs.xml")))
                .isInstanceOf(InvalidMentionException.class)
                .hasMessageContaining("DOCTYPE declarations are not allowed");
        // an entity reference without a DTD is an undefined entity, not a file read
        assertThatThrownBy(() -> mapper.mapPayload("<rss><channel><item><title>&xxe;</title></item></channel></rss>"))
                .isInstanceOf(InvalidMentionException.class).hasMessageStartingWith("malformed XML at line 1");
    }

    @Test
    void unreadableDocumentsAreInvalidAsAWhole() {
        String truncated = Fixtures.text("forum/flyertalk_rss.xml").substring(0, 600);
        assertThatThrownBy(() -> mapper.mapPayload(truncated)).isInstanceOf(InvalidMentionException.class)
                .hasMessageStartingWith("malformed XML");
        assertThatThrownBy(() -> mapper.mapPayload("")).isInstanceOf(InvalidMentionException.class);
        assertThatThrownBy(() -> mapper.mapPayload("{\"not\":\"xml\"}")).isInstanceOf(InvalidMentionException.class);
        assertThatThrownBy(() -> mapper.mapPayload("<html><body/></html>")).isInstanceOf(InvalidMentionException.class)
                .hasMessageContaining("found <html>");
        assertThat(mapper.mapPayload("<rss version=\"2.0\"><channel><title>empty</title></channel></rss>").isEmpty()).isTrue();
    }
}
