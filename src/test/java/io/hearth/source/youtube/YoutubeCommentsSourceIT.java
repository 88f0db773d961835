package io.hearth.source.youtube;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLDecoder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.HearthApplication;
import io.hearth.queue.BrokerConfiguration;
import io.hearth.state.SourceCheckpoints;
import io.hearth.source.SourceStatus;
import io.hearth.support.QueueProbe;
import io.hearth.support.ScriptedHttpServer;
import io.hearth.support.ScriptedHttpServer.Request;
import io.hearth.support.ScriptedHttpServer.Response;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 4 acceptance 2 and 3 for the YouTube commentThreads source against a local server speaking
 * the Data API's format: pageToken paging, the publishedAt checkpoint across a restart, a 403
 * rateLimitExceeded waited out, quotaExceeded DOWN until the Pacific midnight, keyInvalid DOWN.
 */
class YoutubeCommentsSourceIT {

    @TempDir
    Path dataDir;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void pagesWithPageTokensWaitsOutARateLimitAndResumesFromTheCheckpointAfterARestart() throws Exception {
        AtomicInteger firstPages = new AtomicInteger();
        Map<String, AtomicInteger> tokens = new ConcurrentHashMap<>();
        Instant[] refusedAt = new Instant[1];
        Instant[] retriedAt = new Instant[1];
        try (ScriptedHttpServer youtube = new ScriptedHttpServer(request -> {
            String token = query(request).get("pageToken");
            if (token == null) {
                return firstPages.incrementAndGet() == 1
                        ? page(List.of(thread("c3", "2026-11-20T10:00:03Z"), thread("c2", "2026-11-20T10:00:02Z")), "T-old")
                        : page(List.of(thread("c5", "2026-11-20T10:00:05Z"), thread("c4", "2026-11-20T10:00:04Z")), "T2");
            }
            if (token.equals("T2")) {
                if (tokens.computeIfAbsent(token, k -> new AtomicInteger()).incrementAndGet() == 1) {
                    refusedAt[0] = Instant.now();
                    return Response.json(403, "{\"error\":{\"code\":403,\"message\":\"Rate limit exceeded\",\"errors\":[{\"message\":"
                            + "\"Rate limit exceeded\",\"domain\":\"youtube.quota\",\"reason\":\"rateLimitExceeded\"}]}}");
                }
                retriedAt[0] = Instant.now();
                return page(List.of(thread("c3", "2026-11-20T10:00:03Z"), thread("c2", "2026-11-20T10:00:02Z")), "T3");
            }
            throw new AssertionError("asked for page " + token);
        })) {
            ConfigurableApplicationContext hub = startHub(youtube, "--hearth.sources.youtube.video-id=dQw4acmeV01");
            try {
                SourceStatus status = hub.getBean(SourceStatus.class);
                await().atMost(Duration.ofSeconds(15)).until(() -> refusedAt[0] != null);
                // the recorded event, not the short-lived status (the wait lasts 1.5 s: a loaded machine can miss it)
                await().atMost(Duration.ofSeconds(15)).until(() -> status.lastRateLimit("youtube") != null);
                assertThat(status.lastRateLimit("youtube").reason()).startsWith("rate limited (403)");
                assertThat(hub.getBean(io.micrometer.core.instrument.MeterRegistry.class).counter("hearth.source.rate.limited",
                        "source", "youtube").count()).isGreaterThanOrEqualTo(1);
                assertThat(status.of("youtube").down()).isFalse();
                await().atMost(Duration.ofSeconds(30)).until(() -> retriedAt[0] != null && youtube.requests().size() >= 5);
                assertThat(Duration.between(refusedAt[0], retriedAt[0])).isGreaterThanOrEqualTo(Duration.ofMillis(1400));
                List<Request> r = youtube.requests();
                assertThat(query(r.get(0))).containsEntry("part", "snippet,replies").containsEntry("videoId", "dQw4acmeV01")
                        .containsEntry("order", "time").containsEntry("maxResults", "2").containsEntry("key", "test-key")
                        .doesNotContainKey("pageToken");
                assertThat(query(r.get(1))).doesNotContainKey("pageToken");
                assertThat(query(r.get(2))).containsEntry("pageToken", "T2");
                assertThat(query(r.get(3))).containsEntry("pageToken", "T2");
                // The next poll starts at the newest page again and stops there: nothing newer than 10:00:05.
                assertThat(query(r.get(4))).doesNotContainKey("pageToken");
                await().atMost(Duration.ofSeconds(20)).until(() -> idsIn(hub).size() == 4);
                assertThat(idsIn(hub)).containsExactlyInAnyOrder("youtube:c2", "youtube:c3", "youtube:c4", "youtube:c5");
                assertThat(hub.getBean(SourceCheckpoints.class).load("youtube")).hasValueSatisfying(c ->
                        assertThat(c).contains("\"since\":\"2026-11-20T10:00:05Z\"").doesNotContain("T2"));
            } finally {
                hub.close();
            }
            int before = youtube.requests().size();
            ConfigurableApplicationContext restarted = startHub(youtube, "--hearth.sources.youtube.video-id=dQw4acmeV01");
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> youtube.requests().size() >= before + 2);
                // From the checkpoint: the newest page holds nothing new, so no further page is asked for.
                assertThat(youtube.requests().subList(before, before + 2)).allSatisfy(x -> assertThat(query(x)).doesNotContainKey("pageToken"));
                assertThat(youtube.requests().stream().filter(x -> "T2".equals(query(x).get("pageToken")))).hasSize(2);
                assertThat(youtube.requests().stream().filter(x -> "T-old".equals(query(x).get("pageToken")) || "T3".equals(query(x).get("pageToken")))).isEmpty();
                assertThat(idsIn(restarted)).hasSize(4);
            } finally {
                restarted.close();
            }
        }
    }

    @Test
    void quotaExceededIsDownUntilThePacificMidnightAndAnInvalidKeyIsDown() throws Exception {
        String quota = io.hearth.support.Fixtures.text("youtube/error_quotaExceeded.json");
        try (ScriptedHttpServer youtube = new ScriptedHttpServer(request -> Response.json(403, quota))) {
            Instant before = io.hearth.support.TestClock.now();
            ConfigurableApplicationContext hub = startHub(youtube, "--hearth.sources.youtube.channel-id=UCacmeBrandChannel00001");
            try {
                SourceStatus status = hub.getBean(SourceStatus.class);
                await().atMost(Duration.ofSeconds(15)).until(() -> status.of("youtube").down());
                // the next Pacific midnight after the refusal: of the day the test started or, across midnight, of today
                Instant midnight = status.of("youtube").pausedUntil();
                assertThat(midnight).isIn(nextPacificMidnight(before), nextPacificMidnight(io.hearth.support.TestClock.now()));
                assertThat(status.of("youtube").reason()).startsWith("quota or usage cap exhausted (HTTP 403)").contains(midnight.toString());
                assertThat(query(youtube.requests().get(0))).containsEntry("allThreadsRelatedToChannelId", "UCacmeBrandChannel00001")
                        .doesNotContainKey("videoId");
                int asked = youtube.requests().size();
                // a window: not one request more at any look for 2 s (DOWN backs off)
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> youtube.requests().size() == asked);

                youtube.script(request -> Response.json(400, "{\"error\":{\"errors\":[{\"domain\":\"usageLimits\",\"reason\":\"keyInvalid\","
                        + "\"message\":\"Bad Request\"}],\"code\":400,\"message\":\"Bad Request\"}}"));
                status.succeeded("youtube");
                await().atMost(Duration.ofSeconds(15)).until(() -> status.of("youtube").down()
                        && status.of("youtube").reason().startsWith("HTTP 400"));
                assertThat(idsIn(hub)).isEmpty();
            } finally {
                hub.close();
            }
        }
    }

    private static Instant nextPacificMidnight(Instant at) {
        return ZonedDateTime.ofInstant(at, YoutubeCommentsSource.QUOTA_ZONE).toLocalDate().plusDays(1)
                .atStartOfDay(YoutubeCommentsSource.QUOTA_ZONE).toInstant();
    }

    /** A commentThread with its top-level comment, as commentThreads.list returns it. */
    private static String thread(String id, String publishedAt) {
        return "{\"kind\":\"youtube#commentThread\",\"etag\":\"e" + id + "\",\"id\":\"" + id + "\",\"snippet\":{\"channelId\":\"UCacmeBrandChannel00001\","
                + "\"videoId\":\"dQw4acmeV01\",\"topLevelComment\":{\"kind\":\"youtube#comment\",\"etag\":\"c" + id + "\",\"id\":\"" + id + "\","
                + "\"snippet\":{\"channelId\":\"UCacmeBrandChannel00001\",\"videoId\":\"dQw4acmeV01\",\"textDisplay\":\"Love it \\ud83c\\udf19 #AcmeApp\","
                + "\"textOriginal\":\"Love it \\ud83c\\udf19 #AcmeApp\",\"authorDisplayName\":\"@jane-doe\",\"authorChannelUrl\":\"http://www.youtube.com/@jane-doe\","
                + "\"authorChannelId\":{\"value\":\"UCjane00000000000000001\"},\"canRate\":true,\"viewerRating\":\"none\",\"likeCount\":2,"
                + "\"publishedAt\":\"" + publishedAt + "\",\"updatedAt\":\"" + publishedAt + "\"}},\"canReply\":true,\"totalReplyCount\":0,\"isPublic\":true}}";
    }

    private static Response page(List<String> threads, String nextPageToken) {
        return Response.json(200, "{\"kind\":\"youtube#commentThreadListResponse\",\"etag\":\"p\","
                + (nextPageToken == null ? "" : "\"nextPageToken\":\"" + nextPageToken + "\",")
                + "\"pageInfo\":{\"totalResults\":" + threads.size() + ",\"resultsPerPage\":2},\"items\":[" + String.join(",", threads) + "]}");
    }

    private ConfigurableApplicationContext startHub(ScriptedHttpServer youtube, String target) {
        // the hub's clock is the test world's (io.hearth.support.TestClock: -Dhearth.test.clock proves the date independence)
        return new SpringApplicationBuilder(HearthApplication.class).initializers(context -> context.getBeanFactory()
                .registerSingleton("clock", io.hearth.support.TestClock.clock())).run(
                "--hearth.data-dir=" + dataDir, "--server.port=0", "--hearth.api-key=youtube-source-key",
                "--hearth.sources.inbox.enabled=false", "--hearth.sources.youtube.enabled=true",
                "--hearth.sources.youtube.base-url=" + youtube.baseUrl(), "--hearth.sources.youtube.api-key=test-key", target,
                "--hearth.sources.youtube.max-results=2", "--hearth.sources.youtube.poll-interval=300",
                "--hearth.sources.youtube.rate-limit-pause=1500",
                "--camel.cluster.file.acquire-lock-delay=100", "--camel.cluster.file.acquire-lock-interval=200");
    }

    private List<String> idsIn(ConfigurableApplicationContext hub) throws Exception {
        return QueueProbe.processedMentionIds(hub);
    }

    private static Map<String, String> query(Request request) {
        return request.params();
    }
}
