package io.hearth.source.reddit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

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
 * Issue 4 acceptance 2 and 3 for the Reddit search source against a local server playing both
 * www.reddit.com (token) and oauth.reddit.com (search): client-credentials token cached and renewed
 * once on 401, before= paging, the checkpoint across a restart, a 429 with x-ratelimit-reset, and
 * DOWN for a refused token or a second 401.
 */
class RedditSearchSourceIT {

    private static final String USER_AGENT = "test:io.hearth.test:v0.1 (by /u/hearth_test)";

    @TempDir
    Path dataDir;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void pagesUpwardWithBeforeWaitsOutA429AndResumesFromTheCheckpointAfterARestart() throws Exception {
        AtomicInteger tokens = new AtomicInteger();
        Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
        Instant[] reset = new Instant[1];
        Instant[] retriedAt = new Instant[1];
        try (ScriptedHttpServer reddit = new ScriptedHttpServer(withTokens(tokens, request -> {
            String before = query(request).get("before");
            int n = served.computeIfAbsent(String.valueOf(before), k -> new AtomicInteger()).incrementAndGet();
            if (before == null) {
                return listing(List.of("p3", "p2"));
            }
            if (before.equals("t3_p3")) {
                return listing(List.of("p5", "p4"));       // a full page: more above
            }
            if (before.equals("t3_p5")) {
                if (n == 1) {
                    reset[0] = Instant.now().plusSeconds(2);
                    return Response.json(429, "{\"message\": \"Too Many Requests\", \"error\": 429}")
                            .withHeaders(Map.of("x-ratelimit-remaining", "0.0", "x-ratelimit-used", "600", "x-ratelimit-reset", "2"));
                }
                retriedAt[0] = Instant.now();
                return listing(List.of("p6"));
            }
            return listing(List.of());
        }))) {
            ConfigurableApplicationContext hub = startHub(reddit);
            try {
                SourceStatus status = hub.getBean(SourceStatus.class);
                await().atMost(Duration.ofSeconds(15)).until(() -> reset[0] != null);
                // the recorded event, not the short-lived status (the wait lasts 1.5 s: a loaded machine can miss it)
                await().atMost(Duration.ofSeconds(15)).until(() -> status.lastRateLimit("reddit") != null);
                assertThat(status.lastRateLimit("reddit").reason()).startsWith("rate limited (429)");
                assertThat(hub.getBean(io.micrometer.core.instrument.MeterRegistry.class).counter("hearth.source.rate.limited",
                        "source", "reddit").count()).isGreaterThanOrEqualTo(1);
                await().atMost(Duration.ofSeconds(30)).until(() -> searches(reddit).size() >= 5);
                assertThat(retriedAt[0]).isAfterOrEqualTo(reset[0].minusMillis(50));
                List<Request> s = searches(reddit);
                assertThat(query(s.get(0))).containsEntry("q", "hearth OR \"hearth campaign\"").containsEntry("sort", "new")
                        .containsEntry("limit", "2").containsEntry("raw_json", "1").doesNotContainKey("before");
                assertThat(s.get(0).header("Authorization")).isEqualTo("bearer tok-1");
                assertThat(s.get(0).header("User-Agent")).isEqualTo(USER_AGENT);
                assertThat(s.stream().map(r -> String.valueOf(query(r).get("before"))).toList().subList(0, 5))
                        .containsExactly("null", "t3_p3", "t3_p5", "t3_p5", "t3_p6");
                // One token for all of it, asked for as Reddit wants.
                List<Request> tokenRequests = tokenRequests(reddit);
                assertThat(tokenRequests).hasSize(1);
                Request t = tokenRequests.get(0);
                assertThat(t.method()).isEqualTo("POST");
                assertThat(t.header("Authorization")).isEqualTo("Basic " + Base64.getEncoder().encodeToString("cid:csecret".getBytes(StandardCharsets.UTF_8)));
                assertThat(t.header("User-Agent")).isEqualTo(USER_AGENT);
                assertThat(t.body()).isEqualTo("grant_type=client_credentials");
                await().atMost(Duration.ofSeconds(20)).until(() -> idsIn(hub).size() == 5);
                assertThat(idsIn(hub)).containsExactlyInAnyOrder("reddit:t3_p2", "reddit:t3_p3", "reddit:t3_p4", "reddit:t3_p5", "reddit:t3_p6");
            } finally {
                hub.close();
            }
            int before = searches(reddit).size();
            ConfigurableApplicationContext restarted = startHub(reddit);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> searches(reddit).size() > before);
                assertThat(query(searches(reddit).get(before))).containsEntry("before", "t3_p6");
                assertThat(searches(reddit).stream().filter(r -> !query(r).containsKey("before"))).hasSize(1);
                assertThat(searches(reddit).stream().filter(r -> "t3_p3".equals(query(r).get("before")))).hasSize(1);
                assertThat(idsIn(restarted)).hasSize(5);
            } finally {
                restarted.close();
            }
        }
    }

    @Test
    void aRefusedTokenIsDownA401GetsOneNewTokenAndASecond401IsDown() throws Exception {
        AtomicInteger tokens = new AtomicInteger();
        try (ScriptedHttpServer reddit = new ScriptedHttpServer(request ->
                Response.json(401, "{\"message\": \"Unauthorized\", \"error\": 401}"))) {
            ConfigurableApplicationContext hub = startHub(reddit);
            try {
                SourceStatus status = hub.getBean(SourceStatus.class);
                await().atMost(Duration.ofSeconds(15)).until(() -> status.of("reddit").down());
                assertThat(status.of("reddit").reason()).startsWith("Reddit token request refused (HTTP 401)");
                assertThat(searches(reddit)).isEmpty();

                // Credentials fixed; the first token turns out revoked: one new token, then the search succeeds.
                reddit.script(withTokens(tokens, request -> "bearer tok-1".equals(request.header("Authorization"))
                        ? Response.json(401, "{\"message\": \"Unauthorized\", \"error\": 401}") : listing(List.of("a1"))));
                status.succeeded("reddit");
                await().atMost(Duration.ofSeconds(20)).until(() -> idsIn(hub).contains("reddit:t3_a1"));
                assertThat(searches(reddit).stream().map(r -> r.header("Authorization")).toList().subList(0, 2))
                        .containsExactly("bearer tok-1", "bearer tok-2");
                assertThat(status.of("reddit").down()).isFalse();

                // Every token refused by the search: one retry per poll, then DOWN.
                reddit.script(withTokens(tokens, request -> Response.json(401, "{\"message\": \"Unauthorized\", \"error\": 401}")));
                await().atMost(Duration.ofSeconds(15)).until(() -> status.of("reddit").down());
                assertThat(status.of("reddit").reason()).startsWith("HTTP 401");
                assertThat(tokens.get()).isEqualTo(3);
            } finally {
                hub.close();
            }
        }
    }

    /** Serves the token endpoint (tok-1, tok-2, … valid for an hour) and passes searches to the script. */
    private static Function<Request, Response> withTokens(AtomicInteger tokens, Function<Request, Response> search) {
        return request -> request.path().equals("/api/v1/access_token")
                ? Response.json(200, "{\"access_token\": \"tok-" + tokens.incrementAndGet() + "\", \"token_type\": \"bearer\", "
                        + "\"expires_in\": 3600, \"scope\": \"*\"}")
                : search.apply(request);
    }

    /** A search Listing of t3 posts, newest first, in Reddit's serialisation style. */
    private static Response listing(List<String> ids) {
        StringBuilder children = new StringBuilder();
        long created = 1763630000L;
        for (String id : ids) {
            children.append(children.length() == 0 ? "" : ", ").append("{\"kind\": \"t3\", \"data\": {\"subreddit\": \"acme\", ")
                    .append("\"selftext\": \"I <3 the new app \\ud83d\\udd25\", \"author_fullname\": \"t2_jane1\", \"title\": \"Hearth & me\", ")
                    .append("\"name\": \"t3_").append(id).append("\", \"id\": \"").append(id).append("\", \"score\": 12, \"ups\": 12, ")
                    .append("\"author\": \"jane_doe\", \"num_comments\": 3, \"permalink\": \"/r/acme/comments/").append(id)
                    .append("/hearth/\", \"url\": \"https://www.reddit.com/r/acme/comments/").append(id).append("/hearth/\", ")
                    .append("\"is_self\": true, \"created_utc\": ").append(created--).append(".0}}");
        }
        String after = ids.isEmpty() ? "null" : "\"t3_" + ids.get(ids.size() - 1) + "\"";
        return Response.json(200, "{\"kind\": \"Listing\", \"data\": {\"after\": " + after + ", \"dist\": " + ids.size()
                        + ", \"modhash\": \"\", \"geo_filter\": \"\", \"children\": [" + children + "], \"before\": null}}")
                .withHeaders(Map.of("x-ratelimit-remaining", "597.0", "x-ratelimit-used", "3", "x-ratelimit-reset", "349"));
    }

    private static List<Request> searches(ScriptedHttpServer reddit) {
        return reddit.requests().stream().filter(r -> r.path().equals("/search")).toList();
    }

    private static List<Request> tokenRequests(ScriptedHttpServer reddit) {
        return reddit.requests().stream().filter(r -> r.path().equals("/api/v1/access_token")).toList();
    }

    private ConfigurableApplicationContext startHub(ScriptedHttpServer reddit) {
        return new SpringApplicationBuilder(HearthApplication.class).run(
                "--hearth.data-dir=" + dataDir, "--server.port=0", "--hearth.api-key=reddit-source-key",
                "--hearth.sources.inbox.enabled=false", "--hearth.sources.reddit.enabled=true",
                "--hearth.sources.reddit.base-url=" + reddit.baseUrl(), "--hearth.sources.reddit.token-url=" + reddit.baseUrl() + "/api/v1/access_token",
                "--hearth.sources.reddit.client-id=cid", "--hearth.sources.reddit.client-secret=csecret",
                "--hearth.sources.reddit.user-agent=" + USER_AGENT, "--hearth.sources.reddit.query=hearth OR \"hearth campaign\"",
                "--hearth.sources.reddit.limit=2", "--hearth.sources.reddit.poll-interval=300",
                "--camel.cluster.file.acquire-lock-delay=100", "--camel.cluster.file.acquire-lock-interval=200");
    }

    private List<String> idsIn(ConfigurableApplicationContext hub) throws Exception {
        return QueueProbe.processedMentionIds(hub);
    }

    private static Map<String, String> query(Request request) {
        return request.params();
    }
}
