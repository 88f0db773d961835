package io.hearth.source.x;

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
 * Issue 4 acceptance 2 and 3 for the X v2 recent-search source, against a local HTTP server that
 * answers in X's format: paging, the checkpoint across a restart (asserted on the query string the
 * server received), 429 with a reset, the usage cap and auth failures showing DOWN.
 */
class XRecentSearchSourceIT {

    @TempDir
    Path dataDir;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void pagesThroughStoresTheCheckpointAndAsksFromItAfterARestart() throws Exception {
        try (ScriptedHttpServer x = new ScriptedHttpServer(this::twoPagesThenNothingNew)) {
            ConfigurableApplicationContext hub = startHub(x);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> idsIn(hub).containsAll(List.of("x:1000", "x:1001", "x:1002")));
                List<Request> first = x.requests();
                assertThat(query(first.get(0))).doesNotContainKeys("since_id", "next_token")
                        .containsEntry("query", "@hearth_brand -is:retweet").containsEntry("expansions", "author_id")
                        .containsEntry("user.fields", "public_metrics,verified,username,name");
                assertThat(first.get(0).header("Authorization")).isEqualTo("Bearer test-bearer");
                assertThat(query(first.get(1))).containsEntry("next_token", "page-2").doesNotContainKey("since_id");
                await().atMost(Duration.ofSeconds(10)).until(() -> x.requests().size() >= 3);
                assertThat(query(x.requests().get(2))).containsEntry("since_id", "1002").doesNotContainKey("next_token");
            } finally {
                hub.close();
            }
            int before = x.requests().size();
            ConfigurableApplicationContext restarted = startHub(x);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> x.requests().size() > before);
                assertThat(query(x.requests().get(before))).containsEntry("since_id", "1002").doesNotContainKey("next_token");
                assertThat(idsIn(restarted)).containsExactlyInAnyOrder("x:1000", "x:1001", "x:1002");
                // Each page was read once: never re-read what was already seen.
                assertThat(x.requests().stream().filter(r -> query(r).containsKey("next_token"))).hasSize(1);
            } finally {
                restarted.close();
            }
        }
    }

    @Test
    void aRateLimit429WaitsForTheResetAndResumesWithoutLossOrReRead() throws Exception {
        Instant[] reset = new Instant[1];
        List<Instant> servedAt = new ArrayList<>();
        try (ScriptedHttpServer x = new ScriptedHttpServer(request -> {
            servedAt.add(Instant.now());
            Map<String, String> q = query(request);
            if (!q.containsKey("next_token") && !q.containsKey("since_id") && reset[0] == null) {
                return page(List.of("2002", "2001"), "page-2");
            }
            if (q.containsKey("next_token") && reset[0] == null) {
                reset[0] = Instant.now().plusSeconds(3);
                return Response.json(429, "{\"title\":\"Too Many Requests\",\"detail\":\"Too Many Requests\",\"type\":\"about:blank\",\"status\":429}")
                        .withHeaders(Map.of("x-rate-limit-remaining", "0", "x-rate-limit-reset", String.valueOf(reset[0].getEpochSecond())));
            }
            if (q.containsKey("next_token")) {
                return page(List.of("2000"), null);
            }
            return Response.json(200, "{\"meta\":{\"result_count\":0}}");
        })) {
            ConfigurableApplicationContext hub = startHub(x);
            try {
                await().atMost(Duration.ofSeconds(10)).until(() -> reset[0] != null);
                SourceStatus status = hub.getBean(SourceStatus.class);
                // the recorded event, not the short-lived status (the wait lasts 1.5 s: a loaded machine can miss it)
                await().atMost(Duration.ofSeconds(15)).until(() -> status.lastRateLimit("x") != null);
                assertThat(status.lastRateLimit("x").reason()).startsWith("rate limited (429)");
                assertThat(hub.getBean(io.micrometer.core.instrument.MeterRegistry.class).counter("hearth.source.rate.limited",
                        "source", "x").count()).isGreaterThanOrEqualTo(1);
                assertThat(status.of("x").down()).isFalse();

                await().atMost(Duration.ofSeconds(30)).until(() -> idsIn(hub).containsAll(List.of("x:2000", "x:2001", "x:2002")));
                List<Request> requests = x.requests();
                int retry = indexOfSecondNextTokenRequest(requests);
                // The retry of the 429'd page came after the reset, with the same token: nothing skipped.
                assertThat(servedAt.get(retry)).isAfterOrEqualTo(reset[0].minusMillis(1000));
                assertThat(query(requests.get(retry))).containsEntry("next_token", "page-2");
                // The first page was not asked for again.
                assertThat(requests.stream().filter(r -> query(r).isEmpty() || !query(r).containsKey("next_token")
                        && !query(r).containsKey("since_id"))).hasSize(1);
                assertThat(idsIn(hub)).hasSize(3);
            } finally {
                hub.close();
            }
        }
    }

    @Test
    void usageCapAndBadCredentialsShowTheSourceDownWithTheReason() throws Exception {
        try (ScriptedHttpServer x = new ScriptedHttpServer(request -> Response.json(429,
                "{\"title\":\"UsageCapExceeded\",\"detail\":\"Usage cap exceeded: Monthly product cap\","
                        + "\"type\":\"https://api.twitter.com/2/problems/usage-capped\",\"period\":\"Monthly\",\"scope\":\"Product\"}"))) {
            ConfigurableApplicationContext hub = startHub(x);
            try {
                SourceStatus status = hub.getBean(SourceStatus.class);
                await().atMost(Duration.ofSeconds(15)).until(() -> status.of("x").down());
                assertThat(status.of("x").reason()).startsWith("quota or usage cap exhausted");
                int asked = x.requests().size();
                // DOWN means backing off: no hammering of the API at every poll (not one request more for 2 s).
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> x.requests().size() == asked);

                x.script(request -> Response.json(401, "{\"title\":\"Unauthorized\",\"type\":\"about:blank\",\"status\":401,\"detail\":\"Unauthorized\"}"));
                hub.getBean(SourceStatus.class).succeeded("x");
                await().atMost(Duration.ofSeconds(15)).until(() -> status.of("x").down()
                        && status.of("x").reason().startsWith("HTTP 401"));
            } finally {
                hub.close();
            }
        }
    }

    private static int indexOfSecondNextTokenRequest(List<Request> requests) {
        int seen = 0;
        for (int i = 0; i < requests.size(); i++) {
            if (query(requests.get(i)).containsKey("next_token") && ++seen == 2) {
                return i;
            }
        }
        throw new AssertionError("no retry of the rate-limited page in " + requests.size() + " requests");
    }

    private Response twoPagesThenNothingNew(Request request) {
        Map<String, String> q = query(request);
        if (q.containsKey("since_id")) {
            return Response.json(200, "{\"meta\":{\"result_count\":0}}");
        }
        if ("page-2".equals(q.get("next_token"))) {
            return page(List.of("1000"), null);
        }
        return page(List.of("1002", "1001"), "page-2");
    }

    /** A page in X API v2 format (data, includes.users, meta), newest first. */
    private static Response page(List<String> ids, String nextToken) {
        StringBuilder data = new StringBuilder();
        for (String id : ids) {
            data.append(data.length() == 0 ? "" : ",").append("{\"id\":\"").append(id).append("\",\"text\":\"Loving @hearth_brand \\ud83d\\ude80 #launch\",")
                    .append("\"author_id\":\"42\",\"created_at\":\"2026-11-20T10:00:00.000Z\",\"lang\":\"en\",\"conversation_id\":\"")
                    .append(id).append("\",\"public_metrics\":{\"retweet_count\":1,\"reply_count\":0,\"like_count\":3,\"quote_count\":0}}");
        }
        String meta = "\"newest_id\":\"" + ids.get(0) + "\",\"oldest_id\":\"" + ids.get(ids.size() - 1) + "\",\"result_count\":" + ids.size()
                + (nextToken == null ? "" : ",\"next_token\":\"" + nextToken + "\"");
        return Response.json(200, "{\"data\":[" + data + "],\"includes\":{\"users\":[{\"id\":\"42\",\"username\":\"jane_ng\","
                + "\"name\":\"Jane Ng\",\"verified\":false,\"public_metrics\":{\"followers_count\":120}}]},\"meta\":{" + meta + "}}")
                .withHeaders(Map.of("x-rate-limit-limit", "450", "x-rate-limit-remaining", "440",
                        "x-rate-limit-reset", String.valueOf(Instant.now().plusSeconds(900).getEpochSecond())));
    }

    private ConfigurableApplicationContext startHub(ScriptedHttpServer x) {
        return new SpringApplicationBuilder(HearthApplication.class).run(
                "--hearth.data-dir=" + dataDir, "--server.port=0", "--hearth.api-key=x-source-key",
                "--hearth.sources.inbox.enabled=false", "--hearth.sources.x.enabled=true",
                "--hearth.sources.x.bearer-token=test-bearer", "--hearth.sources.x.query=@hearth_brand -is:retweet",
                "--hearth.sources.x.base-url=" + x.baseUrl(), "--hearth.sources.x.poll-interval=300",
                "--camel.cluster.file.acquire-lock-delay=100", "--camel.cluster.file.acquire-lock-interval=200");
    }

    private List<String> idsIn(ConfigurableApplicationContext hub) throws Exception {
        return QueueProbe.processedMentionIds(hub);
    }

    private static Map<String, String> query(Request request) {
        return request.params();
    }
}
