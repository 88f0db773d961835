package io.hearth.source.twitter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.hearth.HearthApplication;
import io.hearth.enrich.MentionLog;
import io.hearth.state.SourceCheckpoints;
import io.hearth.source.SourceStatus;
import io.hearth.support.ScriptedHttpServer;
import io.hearth.support.ScriptedHttpServer.Request;
import io.hearth.support.ScriptedHttpServer.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Issue 4 acceptance 2 and 3 for the camel-twitter source: twitter4j pointed at a local server
 * (system property twitter4j.restBaseURL) speaking X API v1.1 (mentions_timeline JSON, OAuth 1.0a
 * signed requests, x-rate-limit-* headers). Two polls from the since_id checkpoint, a 429 waited out
 * until x-rate-limit-reset, restart from the checkpoint stored in the state database, 401 → DOWN.
 */
class TwitterMentionsSourceIT {

    private static final String PATH = "/1.1/statuses/mentions_timeline.json";

    @TempDir
    Path dataDir;

    @AfterEach
    void forgetTheServer() {
        System.clearProperty("twitter4j.restBaseURL");
    }

    @Test
    void pollsFromTheCheckpointWaitsOutA429AndResumesAfterARestart() throws Exception {
        Instant[] reset = new Instant[1];
        Map<Integer, Instant> servedAt = new ConcurrentHashMap<>();
        int[] served = {0};
        try (ScriptedHttpServer x = new ScriptedHttpServer(request -> {
            servedAt.put(served[0]++, Instant.now());
            String since = request.params().get("since_id");
            if ("1".equals(since)) {
                return timeline(List.of("2000000000000000102", "2000000000000000101"));
            }
            if ("2000000000000000102".equals(since)) {
                if (reset[0] == null) {
                    // Epoch seconds on the wire: at least 2 s ahead, rounded up.
                    reset[0] = Instant.ofEpochSecond(Instant.now().plusSeconds(3).getEpochSecond());
                    return new Response(429, Map.of("Content-Type", "application/json;charset=utf-8",
                            "x-rate-limit-limit", "75", "x-rate-limit-remaining", "0",
                            "x-rate-limit-reset", String.valueOf(reset[0].getEpochSecond())),
                            "{\"errors\":[{\"message\":\"Rate limit exceeded\",\"code\":88}]}");
                }
                return timeline(List.of("2000000000000000103"));
            }
            return timeline(List.of());
        })) {
            System.setProperty("twitter4j.restBaseURL", x.baseUrl() + "/1.1/");
            ConfigurableApplicationContext hub = startHub();
            try {
                MentionLog log = hub.getBean(MentionLog.class);
                await().atMost(Duration.ofSeconds(40)).until(() -> log.ids().size() == 3);
                assertThat(log.ids()).containsExactlyInAnyOrder("x:2000000000000000101", "x:2000000000000000102",
                        "x:2000000000000000103");
                List<Request> requests = x.requests();
                assertThat(requests.get(0).path()).isEqualTo(PATH);
                assertThat(requests.get(0).params()).containsEntry("since_id", "1").containsEntry("count", "2");
                // OAuth 1.0a user context, signed by twitter4j with the configured keys.
                assertThat(requests.get(0).header("Authorization")).startsWith("OAuth ")
                        .contains("oauth_consumer_key=\"test-consumer-key\"").contains("oauth_token=\"test-access-token\"");
                // camel-twitter 4.17 asks twice per poll (upstream bug, docs/channels/twitter.md): if this
                // fails because it asks once, the bug is fixed: drop the second request count in commit().
                assertThat(requests.get(1).params()).containsEntry("since_id", "1");
                assertThat(requests.get(2).params()).containsEntry("since_id", "2000000000000000102");
                // The 429'd poll was not retried before the reset, then asked again from the same checkpoint.
                assertThat(requests.get(3).params()).containsEntry("since_id", "2000000000000000102");
                assertThat(servedAt.get(3)).isAfterOrEqualTo(reset[0]);
                await().atMost(Duration.ofSeconds(10)).until(() -> x.requests().size() >= 6);
                assertThat(x.requests().get(5).params()).containsEntry("since_id", "2000000000000000103");
                assertThat(hub.getBean(SourceCheckpoints.class).load("twitter")).contains("{\"sinceId\":2000000000000000103}");
                assertThat(hub.getBean(SourceStatus.class).of("twitter").down()).isFalse();
                // Reads per new mention: the three new mentions are attributed to this source (not a PollingSource).
                io.micrometer.core.instrument.MeterRegistry meters = hub.getBean(io.micrometer.core.instrument.MeterRegistry.class);
                assertThat(meters.get("hearth.source.new.mentions").tag("source", "twitter").counter().count()).isEqualTo(3.0);
                assertThat(meters.get("hearth.source.posts.read").tag("source", "twitter").counter().count()).isEqualTo(3.0);
            } finally {
                hub.close();
            }
            int before = x.requests().size();
            ConfigurableApplicationContext restarted = startHub();
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> x.requests().size() > before);
                assertThat(x.requests().get(before).params()).containsEntry("since_id", "2000000000000000103");
                assertThat(restarted.getBean(MentionLog.class).ids()).hasSize(3);
            } finally {
                restarted.close();
            }
        }
    }

    @Test
    void refusedCredentialsShowTheSourceDownWithTheReason() throws Exception {
        try (ScriptedHttpServer x = new ScriptedHttpServer(request -> Response.json(401,
                "{\"errors\":[{\"code\":89,\"message\":\"Invalid or expired token.\"}]}"))) {
            System.setProperty("twitter4j.restBaseURL", x.baseUrl() + "/1.1/");
            ConfigurableApplicationContext hub = startHub();
            try {
                SourceStatus status = hub.getBean(SourceStatus.class);
                await().atMost(Duration.ofSeconds(20)).until(() -> status.of("twitter").down());
                assertThat(status.of("twitter").reason()).startsWith("HTTP 401: check the credentials of hearth.sources.twitter");
                int asked = x.requests().size();
                // a window: not one request more at any look for 2 s (DOWN backs off)
                await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> x.requests().size() == asked);
            } finally {
                hub.close();
            }
        }
    }

    /** A v1.1 mentions timeline (tweet_mode=extended: full_text), newest first. */
    private static Response timeline(List<String> ids) {
        StringBuilder body = new StringBuilder("[");
        for (String id : ids) {
            body.append(body.length() == 1 ? "" : ",").append("{\"created_at\":\"Fri Nov 20 10:20:00 +0000 2026\",\"id\":")
                    .append(id).append(",\"id_str\":\"").append(id).append("\",")
                    .append("\"full_text\":\"@acme loving the winter menu \\u2615\\ud83c\\udf84 #AcmeWinter\",\"truncated\":false,")
                    .append("\"display_text_range\":[0,44],")
                    .append("\"entities\":{\"hashtags\":[{\"text\":\"AcmeWinter\",\"indices\":[33,44]}],\"symbols\":[],")
                    .append("\"user_mentions\":[{\"screen_name\":\"acme\",\"name\":\"Acme\",\"id\":14000001,\"id_str\":\"14000001\",\"indices\":[0,5]}],\"urls\":[]},")
                    .append("\"source\":\"<a href=\\\"http://twitter.com/download/iphone\\\" rel=\\\"nofollow\\\">Twitter for iPhone</a>\",")
                    .append("\"in_reply_to_status_id\":null,\"in_reply_to_status_id_str\":null,\"in_reply_to_user_id\":null,")
                    .append("\"in_reply_to_user_id_str\":null,\"in_reply_to_screen_name\":null,")
                    .append("\"user\":{\"id\":3300000003,\"id_str\":\"3300000003\",\"name\":\"Latte Lover\",\"screen_name\":\"latte_lover\",")
                    .append("\"followers_count\":240,\"friends_count\":50,\"verified\":false,\"protected\":false,")
                    .append("\"created_at\":\"Wed Aug 29 11:56:16 +0000 2012\",\"statuses_count\":800},")
                    .append("\"geo\":null,\"coordinates\":null,\"place\":null,\"contributors\":null,\"is_quote_status\":false,")
                    .append("\"retweet_count\":1,\"favorite_count\":3,\"favorited\":false,\"retweeted\":false,\"lang\":\"en\"}");
        }
        return new Response(200, Map.of("Content-Type", "application/json;charset=utf-8", "x-rate-limit-limit", "75",
                "x-rate-limit-remaining", "70", "x-rate-limit-reset", String.valueOf(Instant.now().plusSeconds(900).getEpochSecond())),
                body.append("]").toString());
    }

    private ConfigurableApplicationContext startHub() {
        return new SpringApplicationBuilder(HearthApplication.class).run(
                "--hearth.data-dir=" + dataDir, "--server.port=0", "--hearth.api-key=twitter-source-key",
                "--hearth.sources.inbox.enabled=false", "--hearth.sources.twitter.enabled=true",
                "--hearth.sources.twitter.consumer-key=test-consumer-key", "--hearth.sources.twitter.consumer-secret=test-consumer-secret",
                "--hearth.sources.twitter.access-token=test-access-token", "--hearth.sources.twitter.access-token-secret=test-token-secret",
                "--hearth.sources.twitter.count=2", "--hearth.sources.twitter.poll-interval=300",
                "--camel.cluster.file.acquire-lock-delay=100", "--camel.cluster.file.acquire-lock-interval=200");
    }
}
