package io.hearth.source.mastodon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.hearth.HearthApplication;
import io.hearth.enrich.MentionLog;
import io.hearth.source.SourceStatus;
import io.hearth.support.ScriptedHttpServer;
import io.hearth.support.ScriptedHttpServer.Request;
import io.hearth.support.ScriptedHttpServer.Response;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 4 acceptance 2 and 3 for the brand account's Mastodon mention notifications against a
 * local server speaking Mastodon's format: types[]=mention with the account's token, min_id
 * checkpoint (notification ids) apart from the hashtag timeline's, Link rel="prev" paging, a 429
 * waited out until x-ratelimit-reset, restart from the checkpoint; a revoked token shows DOWN.
 */
class MastodonMentionsSourceIT {

    private static final String SOURCE = "mastodon-notifications";
    private static final String TYPES = "types%5B%5D=mention";

    @TempDir
    Path dataDir;

    @Test
    void pagesUpFromItsOwnCheckpointWaitsOutA429AndResumesAfterARestart() throws Exception {
        Instant[] reset = new Instant[1];
        Map<Integer, Instant> servedAt = new ConcurrentHashMap<>();
        int[] served = {0};
        try (ScriptedHttpServer mastodon = new ScriptedHttpServer(request -> {
            servedAt.put(served[0]++, Instant.now());
            Map<String, String> q = request.params();
            String minId = q.get("min_id");
            if (minId == null) {
                return page(List.of("900", "899"), Map.of());
            }
            if (minId.equals("900")) {
                return page(List.of("902", "901"), Map.of());
            }
            if (minId.equals("902")) {
                if (reset[0] == null) {
                    reset[0] = Instant.now().plusSeconds(2);
                    return new Response(429, Map.of("Content-Type", "application/json", "x-ratelimit-limit", "300",
                            "x-ratelimit-remaining", "0", "x-ratelimit-reset", reset[0].toString()),
                            "{\"error\":\"Too many requests\"}");
                }
                return page(List.of("903"), Map.of());
            }
            return Response.json(200, "[]");
        })) {
            ConfigurableApplicationContext hub = startHub(mastodon);
            try {
                MentionLog log = hub.getBean(MentionLog.class);
                // notification 899 → status 113507400000000899, etc.
                await().atMost(Duration.ofSeconds(40)).until(() -> log.ids().size() == 5);
                assertThat(log.ids()).containsExactlyInAnyOrder("mastodon:113507400000000899", "mastodon:113507400000000900",
                        "mastodon:113507400000000901", "mastodon:113507400000000902", "mastodon:113507400000000903");
                List<Request> requests = mastodon.requests();
                assertThat(requests.get(0).path()).isEqualTo("/api/v1/notifications");
                assertThat(requests.get(0).query()).isEqualTo(TYPES + "&limit=2");
                assertThat(requests.get(0).header("Authorization")).isEqualTo("Bearer brand-token");
                assertThat(requests.get(1).query()).isEqualTo(TYPES + "&limit=2&min_id=900");
                assertThat(requests.get(2).query()).isEqualTo(TYPES + "&limit=2&min_id=902");
                // The 429'd page was asked for again, after the reset, from the same checkpoint: nothing skipped.
                assertThat(requests.get(3).query()).isEqualTo(TYPES + "&limit=2&min_id=902");
                assertThat(servedAt.get(3)).isAfterOrEqualTo(reset[0].minusMillis(50));
                await().atMost(Duration.ofSeconds(10)).until(() -> mastodon.requests().size() >= 5);
                assertThat(mastodon.requests().get(4).query()).isEqualTo(TYPES + "&limit=2&min_id=903");
                assertThat(hub.getBean(SourceStatus.class).of(SOURCE).down()).isFalse();
                // The hashtag timeline's checkpoint is not this one.
                assertThat(hub.getBean(io.hearth.state.SourceCheckpoints.class).load("mastodon")).isEmpty();
                assertThat(hub.getBean(io.hearth.state.SourceCheckpoints.class).load(SOURCE)).contains("{\"minId\":\"903\"}");
            } finally {
                hub.close();
            }
            int before = mastodon.requests().size();
            ConfigurableApplicationContext restarted = startHub(mastodon);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> mastodon.requests().size() > before);
                assertThat(mastodon.requests().get(before).query()).isEqualTo(TYPES + "&limit=2&min_id=903");
                assertThat(restarted.getBean(MentionLog.class).ids()).hasSize(5);
            } finally {
                restarted.close();
            }
        }
    }

    @Test
    void aRevokedTokenShowsTheSourceDownWithTheReason() throws Exception {
        try (ScriptedHttpServer mastodon = new ScriptedHttpServer(request -> Response.json(401,
                "{\"error\":\"The access token was revoked\"}"))) {
            ConfigurableApplicationContext hub = startHub(mastodon);
            try {
                SourceStatus status = hub.getBean(SourceStatus.class);
                await().atMost(Duration.ofSeconds(20)).until(() -> status.of(SOURCE).down());
                assertThat(status.of(SOURCE).reason()).startsWith("HTTP 401: check the credentials of hearth.sources." + SOURCE);
                // What an operator sees: the health endpoint names the source and why.
                HttpResponse<String> health = io.hearth.support.TestHttp.client().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + hub.getEnvironment().getProperty("local.server.port") + "/actuator/health"))
                        .header("Authorization", "Bearer mastodon-mentions-key").build(), HttpResponse.BodyHandlers.ofString());
                assertThat(health.statusCode()).isEqualTo(503);
                com.fasterxml.jackson.databind.JsonNode sources = new com.fasterxml.jackson.databind.ObjectMapper().readTree(health.body())
                        .path("components").path("sources");
                assertThat(sources.path("status").asText()).isEqualTo("DOWN");
                assertThat(sources.path("details").path("sources").path(SOURCE).path("status").asText()).isEqualTo("DOWN");
                assertThat(sources.path("details").path("sources").path(SOURCE).path("reason").asText())
                        .startsWith("HTTP 401: check the credentials of hearth.sources." + SOURCE);
                int asked = mastodon.requests().size();
                // DOWN backs off (auth-failure-pause): no request at every poll.
                // a window: not one request more at any look for 2 s (DOWN backs off)
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> mastodon.requests().size() == asked);
            } finally {
                hub.close();
            }
        }
    }

    @Test
    void countsAsNewForTheSourceOnlyTheMentionsThatPassDedup() throws Exception {
        boolean[] mentionsWaiting = {false};
        try (ScriptedHttpServer mastodon = new ScriptedHttpServer(request -> mentionsWaiting[0] && !request.params().containsKey("min_id")
                ? page(List.of("902", "901"), Map.of()) : Response.json(200, "[]"))) {
            ConfigurableApplicationContext hub = startHub(mastodon);
            try {
                MentionLog log = hub.getBean(MentionLog.class);
                String port = hub.getEnvironment().getProperty("local.server.port");
                HttpClient http = io.hearth.support.TestHttp.client();
                // The post of notification 901 arrives first another way (replay through the ingest API).
                HttpResponse<String> replay = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/ingest/mastodon"))
                        .header("Content-Type", "application/json").header("Authorization", "Bearer mastodon-mentions-key")
                        .POST(HttpRequest.BodyPublishers.ofString(page(List.of("901"), Map.of()).body())).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(replay.statusCode()).isEqualTo(202);
                await().atMost(Duration.ofSeconds(20)).until(() -> log.ids().contains("mastodon:113507400000000901"));

                mentionsWaiting[0] = true;
                await().atMost(Duration.ofSeconds(20)).until(() -> log.ids().contains("mastodon:113507400000000902"));
                SourceStatus status = hub.getBean(SourceStatus.class);
                MeterRegistry meters = hub.getBean(MeterRegistry.class);
                // Two posts read, one of them new: 901 was already in, dedup dropped it.
                assertThat(meters.get("hearth.source.posts.read").tag("source", SOURCE).counter().count()).isEqualTo(2.0);
                assertThat(meters.get("hearth.source.new.mentions").tag("source", SOURCE).counter().count()).isEqualTo(1.0);
                double requests = meters.get("hearth.source.requests").tag("source", SOURCE).counter().count();
                assertThat(status.requestsPerNewMention(SOURCE)).isEqualTo(requests);
                assertThat(status.postsReadPerNewMention(SOURCE)).isEqualTo(2.0);
                // What operators scrape.
                String prometheus = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
                                .header("Authorization", "Bearer mastodon-mentions-key").build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                assertThat(prometheus).contains("hearth_source_new_mentions_total{application=\"hearth\",source=\"" + SOURCE + "\"} 1.0")
                        .contains("hearth_source_posts_read_per_new_mention{application=\"hearth\",source=\"" + SOURCE + "\"} 2.0");
            } finally {
                hub.close();
            }
        }
    }

    /** Mention notifications newest first (notification id n, status id 113507400000000n), with Mastodon's Link header. */
    private static Response page(List<String> ids, Map<String, String> headers) {
        String base = "https://social.example";
        StringBuilder body = new StringBuilder("[");
        for (String id : ids) {
            String statusId = "113507400000000" + id;
            body.append(body.length() == 1 ? "" : ",").append("{\"id\":\"").append(id).append("\",\"type\":\"mention\",")
                    .append("\"created_at\":\"2026-11-20T10:30:01.000Z\",\"group_key\":\"ungrouped-").append(id).append("\",")
                    .append("\"account\":{\"id\":\"1093\",\"username\":\"jane\",\"acct\":\"jane@fosstodon.org\",\"display_name\":\"Jane\",")
                    .append("\"url\":\"https://fosstodon.org/@jane\",\"followers_count\":1520},")
                    .append("\"status\":{\"id\":\"").append(statusId).append("\",\"created_at\":\"2026-11-20T10:30:00.000Z\",")
                    .append("\"in_reply_to_id\":null,\"reblog\":null,\"language\":\"en\",\"visibility\":\"public\",")
                    .append("\"uri\":\"https://fosstodon.org/users/jane/statuses/").append(statusId).append("\",")
                    .append("\"url\":\"https://fosstodon.org/@jane/").append(statusId).append("\",")
                    .append("\"content\":\"<p><span class=\\\"h-card\\\"><a href=\\\"").append(base)
                    .append("/@acme\\\" class=\\\"u-url mention\\\">@<span>acme</span></a></span> is the best \\ud83c\\udf89</p>\",")
                    .append("\"replies_count\":0,\"reblogs_count\":0,\"favourites_count\":1,")
                    .append("\"account\":{\"id\":\"1093\",\"username\":\"jane\",\"acct\":\"jane@fosstodon.org\",\"display_name\":\"Jane\",")
                    .append("\"url\":\"https://fosstodon.org/@jane\",\"followers_count\":1520},")
                    .append("\"mentions\":[{\"id\":\"1\",\"username\":\"acme\",\"acct\":\"acme\",\"url\":\"").append(base)
                    .append("/@acme\"}],\"tags\":[]}}");
        }
        Map<String, String> all = new HashMap<>(headers);
        all.put("Content-Type", "application/json");
        all.put("Link", "<" + base + "/api/v1/notifications?max_id=" + ids.get(ids.size() - 1) + "&types%5B%5D=mention>; rel=\"next\", <"
                + base + "/api/v1/notifications?min_id=" + ids.get(0) + "&types%5B%5D=mention>; rel=\"prev\"");
        all.putIfAbsent("x-ratelimit-remaining", "299");
        all.putIfAbsent("x-ratelimit-reset", Instant.now().plusSeconds(300).toString());
        return new Response(200, all, body.append("]").toString());
    }

    private ConfigurableApplicationContext startHub(ScriptedHttpServer mastodon) {
        return new SpringApplicationBuilder(HearthApplication.class).run(
                "--hearth.data-dir=" + dataDir, "--server.port=0", "--hearth.api-key=mastodon-mentions-key",
                "--hearth.sources.inbox.enabled=false", "--hearth.sources." + SOURCE + ".enabled=true",
                "--hearth.sources." + SOURCE + ".base-url=" + mastodon.baseUrl(),
                "--hearth.sources." + SOURCE + ".access-token=brand-token",
                "--hearth.sources." + SOURCE + ".limit=2", "--hearth.sources." + SOURCE + ".poll-interval=300",
                "--camel.cluster.file.acquire-lock-delay=100", "--camel.cluster.file.acquire-lock-interval=200");
    }
}
