package io.hearth.source.mastodon;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * Issue 4 acceptance 2 and 3 for the Mastodon hashtag source against a local server speaking
 * Mastodon's format: min_id checkpoint, Link rel="prev" paging, restart from the checkpoint, and a
 * used-up rate-limit window (x-ratelimit-remaining 0) waited out.
 */
class MastodonTagSourceIT {

    @TempDir
    Path dataDir;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void pagesUpFromTheCheckpointAndResumesFromItAfterARestart() throws Exception {
        Instant[] windowReset = new Instant[1];
        Instant[] nextPageAskedAt = new Instant[1];
        try (ScriptedHttpServer mastodon = new ScriptedHttpServer(request -> {
            String q = request.query() == null ? "" : request.query();
            if (!q.contains("min_id")) {
                return page(mastodonBase(request), List.of("110", "109"), Map.of());
            }
            if (q.contains("min_id=110")) {
                // A full page, and the window is used up: the source must wait before the next page.
                windowReset[0] = Instant.now().plusSeconds(2);
                return page(mastodonBase(request), List.of("112", "111"), Map.of("x-ratelimit-remaining", "0",
                        "x-ratelimit-reset", windowReset[0].toString()));
            }
            if (q.contains("min_id=112")) {
                nextPageAskedAt[0] = Instant.now();
                return page(mastodonBase(request), List.of("113"), Map.of());
            }
            return Response.json(200, "[]");
        })) {
            ConfigurableApplicationContext hub = startHub(mastodon);
            try {
                await().atMost(Duration.ofSeconds(40)).until(() -> idsIn(hub).size() == 5);
                assertThat(idsIn(hub)).containsExactlyInAnyOrder("mastodon:109", "mastodon:110", "mastodon:111",
                        "mastodon:112", "mastodon:113");
                List<Request> requests = mastodon.requests();
                assertThat(requests.get(0).query()).isEqualTo("limit=2");
                assertThat(requests.get(0).path()).isEqualTo("/api/v1/timelines/tag/hearthcampaign");
                assertThat(requests.get(1).query()).isEqualTo("limit=2&min_id=110");
                assertThat(requests.get(2).query()).isEqualTo("limit=2&min_id=112");
                // The used-up window was waited out (the header's reset has second precision on the wire here).
                assertThat(nextPageAskedAt[0]).isAfterOrEqualTo(windowReset[0].minusMillis(50));
                await().atMost(Duration.ofSeconds(10)).until(() -> mastodon.requests().size() >= 4);
                assertThat(mastodon.requests().get(3).query()).isEqualTo("limit=2&min_id=113");
                assertThat(hub.getBean(SourceStatus.class).of("mastodon").down()).isFalse();
            } finally {
                hub.close();
            }
            int before = mastodon.requests().size();
            ConfigurableApplicationContext restarted = startHub(mastodon);
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> mastodon.requests().size() > before);
                assertThat(mastodon.requests().get(before).query()).isEqualTo("limit=2&min_id=113");
                assertThat(idsIn(restarted)).hasSize(5);
            } finally {
                restarted.close();
            }
        }
    }

    private static String mastodonBase(Request request) {
        return "https://social.example";
    }

    /** Statuses newest first, with the Link header Mastodon sends. */
    private static Response page(String base, List<String> ids, Map<String, String> headers) {
        StringBuilder body = new StringBuilder("[");
        for (String id : ids) {
            body.append(body.length() == 1 ? "" : ",").append("{\"id\":\"").append(id).append("\",\"created_at\":\"2026-11-20T10:00:00.000Z\",")
                    .append("\"in_reply_to_id\":null,\"reblog\":null,\"language\":\"en\",\"url\":\"").append(base).append("/@jane/").append(id)
                    .append("\",\"uri\":\"").append(base).append("/users/jane/statuses/").append(id).append("\",")
                    .append("\"content\":\"<p>Love the <a href=\\\"").append(base).append("/tags/hearthcampaign\\\" class=\\\"mention hashtag\\\" rel=\\\"tag\\\">#<span>hearthcampaign</span></a> \\ud83c\\udf89</p>\",")
                    .append("\"replies_count\":0,\"reblogs_count\":1,\"favourites_count\":2,")
                    .append("\"account\":{\"id\":\"7\",\"username\":\"jane\",\"acct\":\"jane\",\"display_name\":\"Jane\",\"url\":\"")
                    .append(base).append("/@jane\",\"followers_count\":12},\"mentions\":[],\"tags\":[{\"name\":\"hearthcampaign\",\"url\":\"")
                    .append(base).append("/tags/hearthcampaign\"}]}");
        }
        Map<String, String> all = new java.util.HashMap<>(headers);
        all.put("Link", "<" + base + "/api/v1/timelines/tag/hearthcampaign?max_id=" + ids.get(ids.size() - 1) + ">; rel=\"next\", <"
                + base + "/api/v1/timelines/tag/hearthcampaign?min_id=" + ids.get(0) + ">; rel=\"prev\"");
        all.putIfAbsent("x-ratelimit-remaining", "299");
        all.putIfAbsent("x-ratelimit-reset", Instant.now().plusSeconds(300).toString());
        return new Response(200, all, body.append("]").toString());
    }

    private ConfigurableApplicationContext startHub(ScriptedHttpServer mastodon) {
        return new SpringApplicationBuilder(HearthApplication.class).run(
                "--hearth.data-dir=" + dataDir, "--server.port=0", "--hearth.api-key=mastodon-source-key",
                "--hearth.sources.inbox.enabled=false", "--hearth.sources.mastodon.enabled=true",
                "--hearth.sources.mastodon.base-url=" + mastodon.baseUrl(), "--hearth.sources.mastodon.hashtag=hearthcampaign",
                "--hearth.sources.mastodon.limit=2", "--hearth.sources.mastodon.poll-interval=300",
                "--camel.cluster.file.acquire-lock-delay=100", "--camel.cluster.file.acquire-lock-interval=200");
    }

    private List<String> idsIn(ConfigurableApplicationContext hub) throws Exception {
        return QueueProbe.processedMentionIds(hub);
    }
}
