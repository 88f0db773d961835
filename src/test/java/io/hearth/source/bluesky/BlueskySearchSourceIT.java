package io.hearth.source.bluesky;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.HearthApplication;
import io.hearth.queue.BrokerConfiguration;
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
 * Issue 4 acceptance 2, 3 and 5 for the Bluesky searchPosts source against a local server speaking
 * the AppView's format: cursor paging, the since= checkpoint across a restart, a 429 with
 * RateLimit-Reset waited out, and malformed pages (truncated, wrong types, empty, 5 MB).
 */
class BlueskySearchSourceIT {

    private static final String DID = "did:plc:hearthtest000000000000";

    @TempDir
    Path dataDir;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void pagesWithTheCursorWaitsOutA429AndAsksFromTheCheckpointAfterARestart() throws Exception {
        Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
        Instant[] reset = new Instant[1];
        Instant[] retriedAt = new Instant[1];
        try (ScriptedHttpServer bluesky = new ScriptedHttpServer(request -> {
            Map<String, String> q = query(request);
            String since = q.get("since");
            String cursor = q.get("cursor");
            int n = served.computeIfAbsent(since + "|" + cursor, k -> new AtomicInteger()).incrementAndGet();
            if (since == null) {
                return page(List.of(post("p3", "2026-11-20T10:00:03Z"), post("p2", "2026-11-20T10:00:02Z")), "2");
            }
            if (since.equals("2026-11-20T10:00:03Z") && cursor == null) {
                // p5 claims a createdAt in the future: its sortAt is its indexedAt.
                return page(List.of(post("p5", "2030-01-01T00:00:00Z", "2026-11-20T10:00:05Z"),
                        post("p4", "2026-11-20T10:00:04Z")), "c2");
            }
            if (since.equals("2026-11-20T10:00:03Z") && "c2".equals(cursor)) {
                if (n == 1) {
                    reset[0] = Instant.now().plusSeconds(2);
                    return Response.json(429, "{\"error\":\"RateLimitExceeded\",\"message\":\"Rate Limit Exceeded\"}")
                            .withHeaders(Map.of("RateLimit-Limit", "3000", "RateLimit-Remaining", "0",
                                    "RateLimit-Reset", String.valueOf(reset[0].getEpochSecond() + 1), "RateLimit-Policy", "3000;w=300"));
                }
                retriedAt[0] = Instant.now();
                // The inclusive since= serves the boundary post again, last on its page: more of that second may
                // follow on the next page (issue 18), so paging asks for it once more.
                return page(List.of(post("p3", "2026-11-20T10:00:03Z")), "c3");
            }
            if (since.equals("2026-11-20T10:00:03Z") && "c3".equals(cursor)) {
                return page(List.of(), null);   // nothing more: the run ends
            }
            // the boundary post again, and (as the API does at the end of its results) no cursor
            return page(List.of(post("p5", "2030-01-01T00:00:00Z", "2026-11-20T10:00:05Z")), null);
        })) {
            ConfigurableApplicationContext hub = startHub(bluesky);
            try {
                await().atMost(Duration.ofSeconds(15)).until(() -> reset[0] != null);
                SourceStatus status = hub.getBean(SourceStatus.class);
                // the recorded event, not the short-lived status (the wait lasts 1.5 s: a loaded machine can miss it)
                await().atMost(Duration.ofSeconds(15)).until(() -> status.lastRateLimit("bluesky") != null);
                assertThat(status.lastRateLimit("bluesky").reason()).startsWith("rate limited (429)");
                assertThat(hub.getBean(io.micrometer.core.instrument.MeterRegistry.class).counter("hearth.source.rate.limited",
                        "source", "bluesky").count()).isGreaterThanOrEqualTo(1);
                assertThat(status.of("bluesky").down()).isFalse();
                await().atMost(Duration.ofSeconds(30)).until(() -> bluesky.requests().size() >= 6);
                List<Request> r = bluesky.requests();
                assertThat(query(r.get(0))).containsEntry("q", "hearth OR #hearthcampaign").containsEntry("sort", "latest")
                        .containsEntry("limit", "2").doesNotContainKeys("since", "cursor");
                assertThat(query(r.get(1))).containsEntry("since", "2026-11-20T10:00:03Z").doesNotContainKey("cursor");
                assertThat(query(r.get(2))).containsEntry("since", "2026-11-20T10:00:03Z").containsEntry("cursor", "c2");
                assertThat(query(r.get(3))).containsEntry("since", "2026-11-20T10:00:03Z").containsEntry("cursor", "c2");
                assertThat(retriedAt[0]).isAfterOrEqualTo(reset[0]);
                assertThat(query(r.get(4))).containsEntry("since", "2026-11-20T10:00:03Z").containsEntry("cursor", "c3");
                assertThat(query(r.get(5))).containsEntry("since", "2026-11-20T10:00:05Z").doesNotContainKey("cursor");
                await().atMost(Duration.ofSeconds(20)).until(() -> idsIn(hub).size() == 4);
                assertThat(idsIn(hub)).containsExactlyInAnyOrder(uri("p2"), uri("p3"), uri("p4"), uri("p5"));
                assertThat(status.of("bluesky").down()).isFalse();
            } finally {
                hub.close();
            }
            int before = bluesky.requests().size();
            ConfigurableApplicationContext restarted = startHub(bluesky);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> bluesky.requests().size() > before);
                assertThat(query(bluesky.requests().get(before))).containsEntry("since", "2026-11-20T10:00:05Z")
                        .doesNotContainKey("cursor");
                // Never re-read: the first page once, the refused page once more after the reset.
                assertThat(bluesky.requests().stream().filter(x -> !query(x).containsKey("since"))).hasSize(1);
                assertThat(bluesky.requests().stream().filter(x -> "c2".equals(query(x).get("cursor")))).hasSize(2);
                assertThat(idsIn(restarted)).hasSize(4);
            } finally {
                restarted.close();
            }
        }
    }

    @Test
    void malformedPagesNeverCrashTheRouteBadPostsGoToTheDlqAndATruncatedPageKeepsTheCheckpoint() throws Exception {
        Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
        String padding = "x".repeat(5 * 1024 * 1024);
        try (ScriptedHttpServer bluesky = new ScriptedHttpServer(request -> {
            String since = query(request).get("since");
            int n = served.computeIfAbsent(String.valueOf(since), k -> new AtomicInteger()).incrementAndGet();
            if (since == null) {
                return page(List.of(post("g1", "2026-11-20T10:00:01Z")), null);
            }
            if (since.equals("2026-11-20T10:00:01Z")) {
                if (n == 1) {
                    String whole = page(List.of(post("t1", "2026-11-20T10:00:09Z")), null).body();
                    return Response.json(200, whole.substring(0, whole.length() / 2));
                }
                String wrongText = post("bad1", "2026-11-20T10:00:03Z").replace("\"text\":\"Loving", "\"text\":123,\"x\":\"Loving");
                String wrongCount = post("bad2", "2026-11-20T10:00:04Z").replace("\"likeCount\":3", "\"likeCount\":\"many\"");
                return page(List.of(wrongCount, wrongText, post("g2", "2026-11-20T10:00:02Z")), null);
            }
            if (since.equals("2026-11-20T10:00:04Z")) {
                if (n == 1) {
                    return Response.json(200, "{\"posts\":[]}");
                }
                String big = post("g3", "2026-11-20T10:00:05Z").replace("\"cid\":", "\"padding\":\"" + padding + "\",\"cid\":");
                return page(List.of(big), null);
            }
            return Response.json(200, "{\"posts\":[]}");
        })) {
            ConfigurableApplicationContext hub = startHub(bluesky);
            try {
                SourceStatus status = hub.getBean(SourceStatus.class);
                io.micrometer.core.instrument.MeterRegistry meters = hub.getBean(io.micrometer.core.instrument.MeterRegistry.class);
                // The truncated page is a failed poll (counted as an error), not a crash.
                await().atMost(Duration.ofSeconds(20)).until(() -> meters.counter("hearth.source.errors", "source", "bluesky").count() >= 1);
                await().atMost(Duration.ofSeconds(60)).until(() -> idsIn(hub).size() == 3
                        && served.getOrDefault("2026-11-20T10:00:05Z", new AtomicInteger()).get() >= 1);
                assertThat(idsIn(hub)).containsExactlyInAnyOrder(uri("g1"), uri("g2"), uri("g3"));
                List<String> sinces = bluesky.requests().stream().map(r -> String.valueOf(query(r).get("since"))).toList();
                // The truncated page did not move the checkpoint: the same page was asked for again.
                assertThat(sinces.subList(0, 5)).containsExactly("null", "2026-11-20T10:00:01Z", "2026-11-20T10:00:01Z",
                        "2026-11-20T10:00:04Z", "2026-11-20T10:00:04Z");
                assertThat(sinces.get(5)).isEqualTo("2026-11-20T10:00:05Z");
                List<String> reasons = new ArrayList<>();
                for (jakarta.jms.Message m : QueueProbe.of(hub.getBean(BrokerConfiguration.EmbeddedBroker.class)).browse("DLQ.social.inbound")) {
                    reasons.add(m.getStringProperty("HearthFailureReason"));
                }
                assertThat(reasons).hasSize(2);
                assertThat(reasons).anySatisfy(r -> assertThat(r).contains("posts[0]").contains("likeCount"));
                assertThat(reasons).anySatisfy(r -> assertThat(r).contains("posts[1]").contains("record.text"));
                assertThat(hub.getBean(org.apache.camel.CamelContext.class).getRouteController().getRouteStatus("source-bluesky").isStarted()).isTrue();
                assertThat(status.of("bluesky").down()).isFalse();
            } finally {
                hub.close();
            }
        }
    }

    private static String uri(String rkey) {
        return "bluesky:at://" + DID + "/app.bsky.feed.post/" + rkey;
    }

    private static String post(String rkey, String createdAt) {
        return post(rkey, createdAt, createdAt.replace("Z", ".500Z"));
    }

    /** A postView as searchPosts returns it. */
    private static String post(String rkey, String createdAt, String indexedAt) {
        return "{\"uri\":\"at://" + DID + "/app.bsky.feed.post/" + rkey + "\",\"cid\":\"bafyreih" + rkey + "\","
                + "\"author\":{\"did\":\"" + DID + "\",\"handle\":\"jane.bsky.social\",\"displayName\":\"Jane\"},"
                + "\"record\":{\"$type\":\"app.bsky.feed.post\",\"createdAt\":\"" + createdAt + "\",\"langs\":[\"en\"],"
                + "\"text\":\"Loving #hearthcampaign \\ud83d\\ude80\",\"facets\":[{\"index\":{\"byteStart\":7,\"byteEnd\":22},"
                + "\"features\":[{\"$type\":\"app.bsky.richtext.facet#tag\",\"tag\":\"hearthcampaign\"}]}]},"
                + "\"replyCount\":0,\"repostCount\":1,\"likeCount\":3,\"quoteCount\":0,\"indexedAt\":\"" + indexedAt + "\",\"labels\":[]}";
    }

    private static Response page(List<String> posts, String cursor) {
        return Response.json(200, "{\"posts\":[" + String.join(",", posts) + "]" + (cursor == null ? "" : ",\"cursor\":\"" + cursor + "\"") + "}")
                .withHeaders(Map.of("RateLimit-Limit", "3000", "RateLimit-Remaining", "2983",
                        "RateLimit-Reset", String.valueOf(Instant.now().plusSeconds(300).getEpochSecond()), "RateLimit-Policy", "3000;w=300"));
    }

    private ConfigurableApplicationContext startHub(ScriptedHttpServer bluesky) {
        return new SpringApplicationBuilder(HearthApplication.class).run(
                "--hearth.data-dir=" + dataDir, "--server.port=0", "--hearth.api-key=bluesky-source-key",
                "--hearth.sources.inbox.enabled=false", "--hearth.sources.bluesky.enabled=true",
                "--hearth.sources.bluesky.base-url=" + bluesky.baseUrl(), "--hearth.sources.bluesky.query=hearth OR #hearthcampaign",
                "--hearth.sources.bluesky.limit=2", "--hearth.sources.bluesky.poll-interval=300",
                "--camel.cluster.file.acquire-lock-delay=100", "--camel.cluster.file.acquire-lock-interval=200");
    }

    private List<String> idsIn(ConfigurableApplicationContext hub) throws Exception {
        return QueueProbe.processedMentionIds(hub);
    }

    static Map<String, String> query(Request request) {
        Map<String, String> query = new LinkedHashMap<>();
        if (request.query() == null) {
            return query;
        }
        for (String pair : request.query().split("&")) {
            int eq = pair.indexOf('=');
            query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return query;
    }
}
