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
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.channel.ChannelFixtures;
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
 * Issue 4, "Replay through the ingest API", for every channel, in one hub: each fixture is posted as the channel's API
 * returned it to {@code POST /api/ingest/<channel>} and its mentions reach {@code social.mentions} (the enrich stage is
 * stopped here, so the canonical mentions stay there to be compared field by field): for bluesky, reddit and youtube
 * as the mentions of their {@code .expected.jsonl}, for x, twitter and mastodon as recorded responses; a bad item goes
 * to {@code DLQ.social.inbound} with its reason, the good ones go on; an API error body or an unreadable payload is
 * refused with 400. (Formerly ChannelReplayXMastodonIT and ChannelReplayBlueskyRedditYoutubeIT, two hubs of the same
 * configuration; one hub serves both now.)
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Its hub lives in a data directory of this class only: closed with the class, before that directory is deleted
// (TestLayersTest)
@org.springframework.test.annotation.DirtiesContext
class ChannelReplayIT {

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

    // x, twitter and mastodon: recorded responses

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

    // bluesky, reddit and youtube: fixtures and their .expected.jsonl

    @Test
    void blueskySearchResponsesReplay() throws Exception {
        replay("bluesky", "searchPosts_redistricting.json", 0);
        replay("bluesky", "getQuotes_mention_facet.json", 0);
        replay("bluesky", "searchPosts_awkward.json", 1);
        assertDeadLettered("posts[4]: missing field 'uri'", "bafyreifixture4");
        assertEmptyPageAccepted("bluesky", "searchPosts_empty.json");
    }

    @Test
    void redditListingsReplay() throws Exception {
        replay("reddit", "search_listing_t3_2016.json", 0);
        replay("reddit", "subreddit_comments_t1_2023.json", 0);
        replay("reddit", "submission_with_comments_2025.json", 0);
        replay("reddit", "submission_with_comment_tree.json", 0);
        replay("reddit", "search_listing_awkward.json", 1);
        assertDeadLettered("data.children[6]: field 'created_utc' must be a number", "t1_k000003");
        assertEmptyPageAccepted("reddit", "search_listing_empty.json");
    }

    @Test
    void youtubeCommentThreadsReplayAndAnErrorBodyIsRefused() throws Exception {
        replay("youtube", "commentThreads_by_video_2019.json", 0);
        replay("youtube", "commentThreads_with_replies.json", 1);
        assertDeadLettered("items[2].snippet.topLevelComment: missing field 'snippet.publishedAt'", "UgxBadThread00003ccccAaABAg");
        assertEmptyPageAccepted("youtube", "commentThreads_empty.json");

        HttpResponse<String> quota = post("youtube", ChannelFixtures.read("youtube", "error_quotaExceeded.json"));
        assertThat(quota.statusCode()).isEqualTo(400);
        JsonNode error = objectMapper.readTree(quota.body());
        assertThat(error.get("error").asText()).isEqualTo("invalid_payload");
        assertThat(error.get("message").asText()).contains("quotaExceeded");
    }

    /** Posts the fixture and waits until every expected mention, exactly as expected, is on social.mentions. */
    private void replay(String channel, String fixture, int rejected) throws Exception {
        List<JsonNode> expected = ChannelFixtures.expected(channel, fixture);
        HttpResponse<String> response = post(channel, ChannelFixtures.read(channel, fixture));
        assertThat(response.statusCode()).as("%s %s", fixture, response.body()).isEqualTo(202);
        JsonNode answer = objectMapper.readTree(response.body());
        assertThat(answer.get("accepted").asInt()).as(fixture).isEqualTo(expected.size());
        assertThat(answer.path("rejected").asInt(0)).as(fixture).isEqualTo(rejected);

        List<String> ids = expected.stream().map(m -> m.get("id").asText()).toList();
        await().atMost(Duration.ofSeconds(30)).until(() -> outbound().keySet().containsAll(ids));
        var outbound = outbound();
        for (JsonNode want : expected) {
            assertThat(outbound.get(want.get("id").asText())).as("%s on social.mentions", want.get("id").asText()).isEqualTo(want);
        }
    }

    private void assertDeadLettered(String reason, String itemContains) throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> deadLetters().stream()
                .anyMatch(m -> reason.equals(property(m, "HearthFailureReason"))));
        Message dead = deadLetters().stream().filter(m -> reason.equals(property(m, "HearthFailureReason"))).findFirst().orElseThrow();
        assertThat(dead.getBody(String.class)).contains(itemContains);
        assertThat(dead.getStringProperty("HearthFailureException")).isEqualTo("RejectedItem");
    }

    private void assertEmptyPageAccepted(String channel, String fixture) throws Exception {
        HttpResponse<String> response = post(channel, ChannelFixtures.read(channel, fixture));
        assertThat(response.statusCode()).isEqualTo(202);
        assertThat(objectMapper.readTree(response.body()).get("accepted").asInt()).isZero();
    }

    /** social.mentions by mention id, each mention as JSON without the enrichment the pipeline may add. */
    private java.util.Map<String, JsonNode> outbound() throws Exception {
        java.util.Map<String, JsonNode> byId = new java.util.HashMap<>();
        Set<String> seen = new HashSet<>();
        for (String body : probe.bodies("social.mentions")) {
            JsonNode mention = objectMapper.readTree(body);
            String id = mention.get("id").asText();
            assertThat(seen.add(id)).as("duplicate %s on social.mentions", id).isTrue();
            byId.put(id, mention);
        }
        return byId;
    }

    private List<Message> deadLetters() throws Exception {
        return new ArrayList<>(probe.browse("DLQ.social.inbound"));
    }

    private static String property(Message m, String name) {
        try {
            return m.getStringProperty(name);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpResponse<String> post(String channel, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/ingest/" + channel))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer " + KEY)
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
