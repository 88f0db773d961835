package io.hearth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.support.Fixtures;
import io.hearth.queue.BrokerConfiguration;
import io.hearth.support.QueueProbe;
import jakarta.jms.Message;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 4, "Replay through the ingest API", for channels x, twitter and mastodon: each fixture is
 * posted as the channel's API returned it to {@code POST /api/ingest/<channel>} and its mentions
 * reach {@code social.mentions} (the
 * enrich stage is stopped here, so the canonical mentions stay there to be compared field by field); a bad item goes to {@code DLQ.social.inbound}, the good ones go on.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChannelReplayXMastodonIT {

    static final String KEY = "replay-key";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("hearth.data-dir", () -> dataDir.toString());
        registry.add("hearth.api-key", () -> KEY);
        registry.add("hearth.sources.inbox.enabled", () -> "false");
        registry.add("hearth.queues.redelivery.max-redeliveries", () -> "1");
        registry.add("hearth.queues.redelivery.initial-delay", () -> "10");
    }

    @LocalServerPort
    int port;
    @Autowired
    BrokerConfiguration.EmbeddedBroker broker;
    @Autowired
    ObjectMapper objectMapper;

    final HttpClient http = io.hearth.support.TestHttp.client();
    QueueProbe probe;

    @Autowired
    org.apache.camel.CamelContext camel;

    @BeforeEach
    void setUp() throws Exception {
        camel.getRouteController().stopRoute("pipeline-enrich");
        probe = QueueProbe.of(broker);
    }

    @Test
    void recordedResponsesReplayIntoCanonicalMentions() throws Exception {
        assertAccepted(post("x", Fixtures.text("x/search_recent_page.json")), 6, 0);
        assertAccepted(post("mastodon", Fixtures.text("mastodon/timelines_tag.json")), 5, 0);
        assertAccepted(post("mastodon", Fixtures.text("mastodon/notifications.json")), 1, 0);
        List<String> expected = List.of("x:2123718563591094273", "x:2123719494726582273", "x:2123720803349430273",
                "x:2123714214097846273", "x:2123710611190710273", "x:2123687789982646273",
                "mastodon:113507281994612345", "mastodon:113507290000000001", "mastodon:113507300000000001",
                "mastodon:113507310000000001", "mastodon:113507320000000001", "mastodon:113507400000000001");
        await().atMost(Duration.ofSeconds(60)).until(() -> outboundIds().containsAll(expected));

        // the v1.1 search holds one post the v2 search already brought: same id x:…, so it is not written twice
        assertAccepted(post("twitter", Fixtures.text("twitter/search_tweets.json")), 5, 0);
        List<String> fromTwitter = List.of("x:2123722000000000001", "x:2123722000000000003", "x:2123722000000000004",
                "x:2123722000000000005");
        await().atMost(Duration.ofSeconds(60)).until(() -> outboundIds().containsAll(fromTwitter));
        await().atMost(Duration.ofSeconds(30)).until(() -> probe.browse("social.inbound").isEmpty());
        assertThat(outboundIds()).filteredOn("x:2123718563591094273"::equals).hasSize(1);

        // what reached social.mentions is the canonical mention, field by field as the mapper made it
        JsonNode mastodonPost = outbound("mastodon:113507281994612345");
        assertThat(mastodonPost.get("text").asText()).isEqualTo("Loving the new #AcmeApp dark mode \uD83C\uDF19 & the widgets! "
                + "Thanks @acme\n\nReview: https://blog.example.org/2026/11/acme-app-review?utm=masto&ref=1");
        assertThat(mastodonPost.get("author").get("handle").asText()).isEqualTo("jane@fosstodon.org");
        assertThat(mastodonPost.get("author").get("followers").asLong()).isEqualTo(1520);
        assertThat(mastodonPost.get("engagement").get("likes").asLong()).isEqualTo(17);
        JsonNode reply = outbound("x:2123719494726582273");
        assertThat(reply.get("kind").asText()).isEqualTo("reply");
        assertThat(reply.get("inReplyTo").asText()).isEqualTo("x:2123705921958838273");
        JsonNode retweet = outbound("x:2123722000000000001");
        assertThat(retweet.get("kind").asText()).isEqualTo("repost");
        assertThat(retweet.get("repostOf").asText()).isEqualTo("x:2123705921958838273");
    }

    @Test
    void aBadItemGoesToTheDeadLetterQueueAndTheGoodOnesGoOn() throws Exception {
        assertAccepted(post("x", Fixtures.text("x/search_recent_one_bad_item.json")), 2, 1);
        assertAccepted(post("twitter", Fixtures.text("twitter/search_tweets_one_bad_item.json")), 2, 1);
        assertAccepted(post("mastodon", Fixtures.text("mastodon/timelines_tag_one_bad_item.json")), 2, 1);
        await().atMost(Duration.ofSeconds(60)).until(() -> outboundIds().containsAll(List.of(
                "x:2123721000000000001", "x:2123721000000000003", "x:2123723000000000001", "x:2123723000000000003",
                "mastodon:113507500000000001", "mastodon:113507500000000003")));
        await().atMost(Duration.ofSeconds(30)).until(() -> reasonsInDeadLetters().containsAll(List.of(
                "data[1]: missing field 'id'",
                "statuses[1]: field 'created_at' must look like 'Wed Aug 27 13:08:45 +0000 2008'",
                "[1]: missing field 'id'")));
    }

    @Test
    void unreadablePayloadsAndEmptyResultsAreAnsweredAtTheDoor() throws Exception {
        HttpResponse<String> object = post("mastodon", "{\"id\":\"1\",\"content\":\"<p>x</p>\"}");
        assertThat(object.statusCode()).as(object.body()).isEqualTo(400);
        assertThat(object.body()).contains("invalid_payload").contains("expected a JSON array of Mastodon statuses");
        HttpResponse<String> rateLimited = post("x", "{\"title\":\"Too Many Requests\",\"detail\":\"Too Many Requests\",\"type\":\"about:blank\",\"status\":429}");
        assertThat(rateLimited.statusCode()).isEqualTo(400);
        HttpResponse<String> truncated = post("twitter", "{\"statuses\":[{\"id_str\":\"1\"");
        assertThat(truncated.statusCode()).isEqualTo(400);
        assertAccepted(post("x", Fixtures.text("x/search_recent_empty.json")), 0, 0);
        assertAccepted(post("mastodon", "[]"), 0, 0);
    }

    private void assertAccepted(HttpResponse<String> response, int accepted, int rejected) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode body = objectMapper.readTree(response.body());
        assertThat(body.get("accepted").asInt()).as(response.body()).isEqualTo(accepted);
        assertThat(body.path("rejected").asInt(0)).as(response.body()).isEqualTo(rejected);
    }

    private List<String> outboundIds() throws Exception {
        List<String> ids = new ArrayList<>();
        for (String body : probe.bodies("social.mentions")) {
            ids.add(objectMapper.readTree(body).get("id").asText());
        }
        return ids;
    }

    private JsonNode outbound(String id) throws Exception {
        for (String body : probe.bodies("social.mentions")) {
            JsonNode mention = objectMapper.readTree(body);
            if (mention.get("id").asText().equals(id)) {
                return mention;
            }
        }
        throw new AssertionError("no " + id + " in social.mentions");
    }

    private List<String> reasonsInDeadLetters() throws Exception {
        List<String> reasons = new ArrayList<>();
        for (Message message : probe.browse("DLQ.social.inbound")) {
            reasons.add(message.getStringProperty("HearthFailureReason"));
        }
        return reasons;
    }

    private HttpResponse<String> post(String channel, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/ingest/" + channel))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + KEY)
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
