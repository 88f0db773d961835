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
 * Issue 4, "Replay through the ingest API", for bluesky, reddit and youtube: each channel's recorded
 * and awkward fixtures, posted as the API returned them to {@code /api/ingest/<channel>}, reach
 * {@code social.mentions} (the
 * enrich stage is stopped here, so the canonical mentions stay there to be compared field by field) as the mentions of their {@code .expected.jsonl}; a bad item goes to
 * {@code DLQ.social.inbound} with its reason; an API error body is refused with 400.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ChannelReplayBlueskyRedditYoutubeIT {

    static final String KEY = "replay-key";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("hearth.data-dir", () -> dataDir.toString());
        registry.add("hearth.api-key", () -> KEY);
        registry.add("hearth.sources.inbox.enabled", () -> "false");
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
