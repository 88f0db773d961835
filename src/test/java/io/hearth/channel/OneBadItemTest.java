package io.hearth.channel;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.channel.forum.FeedMapper;
import io.hearth.channel.support.HtmlText;
import io.hearth.channel.support.JsonItems;
import io.hearth.mention.Mention;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 item 9: one item a mapper cannot read must be rejected with a reason, whatever the failure, and the rest of
 * the payload mapped: an unchecked exception escaping {@code mapPayload} failed the whole payload, and a polling source
 * (the forum feed source maps the page to move its checkpoint) re-read the same page for ever.
 */
class OneBadItemTest {

    private static final String FEED = """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0"><channel><title>t</title>
              <item><guid>https://forum.example/t/1</guid><title>fine</title>
                <description>a good post</description><pubDate>Fri, 20 Nov 2026 10:00:00 GMT</pubDate></item>
              <item><guid>https://forum.example/t/2</guid><title>odd</title>
                <description>bad reference &amp;#x80000000; and &amp;#99999999999; here</description>
                <pubDate>Fri, 20 Nov 2026 10:01:00 GMT</pubDate></item>
            </channel></rss>
            """;

    @Test
    void aNumericReferenceBeyondIntDecodesToTheReplacementCharacter() {
        assertThat(HtmlText.decodeEntities("a&#x80000000;b")).isEqualTo("a\uFFFDb");
        assertThat(HtmlText.toPlainText("a&#99999999;b")).isEqualTo("a\uFFFDb");
    }

    @Test
    void aFeedItemWithAnOutOfRangeReferenceIsMappedAndTheFeedGoesOn() {
        MappedPayload mapped = new FeedMapper().mapPayload(FEED);
        assertThat(mapped.mentions()).hasSize(2);
        assertThat(mapped.mentions().get(1).text()).contains("bad reference \uFFFD");
    }

    @Test
    void anyUncheckedFailureOfOneItemRejectsThatItemWithItsReason() throws Exception {
        var items = new ObjectMapper().readTree("[{\"id\":\"1\"},{\"id\":\"2\"},{\"id\":\"3\"}]");
        MappedPayload mapped = JsonItems.mapEach(items, "data", item -> {
            if (item.get("id").asText().equals("2")) {
                throw new ArithmeticException("a bug in a mapper");
            }
            return null;
        });
        assertThat(mapped.rejections()).singleElement().satisfies(r -> {
            assertThat(r.item()).isEqualTo("{\"id\":\"2\"}");
            assertThat(r.reason()).isEqualTo("data[1]: could not be read (java.lang.ArithmeticException)");
        });
    }

    @Test
    void aMapperThatThrowsUncheckedForAWholePayloadIsReportedAsAnUnreadablePayload() {
        ChannelRegistry registry = new ChannelRegistry(List.of(new ChannelMapper() {
            @Override
            public String channel() {
                return "broken";
            }

            @Override
            public MappedPayload mapPayload(String payload) {
                throw new IllegalStateException("a bug");
            }
        }));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> registry.normalise("broken", "{}"))
                .isInstanceOf(io.hearth.mention.InvalidMentionException.class)
                .hasMessage("channel 'broken' could not read the payload (java.lang.IllegalStateException)");
    }

    static List<Mention> none() {
        return List.of();
    }
}
