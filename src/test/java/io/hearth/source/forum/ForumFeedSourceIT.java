package io.hearth.source.forum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
 * Issue 4 acceptance 2 and 3 for the forum feed source: two feeds (RSS and Atom) fetched in turn
 * with conditional GETs (ETag / Last-Modified kept in the checkpoint, 304 = nothing new), a 429 with
 * Retry-After waited out and resumed at the same feed, the validators used again after a restart,
 * and broken feeds (truncated XML, HTTP 500) that do not hold up the good one.
 */
class ForumFeedSourceIT {

    private static final String LAST_MODIFIED = "Fri, 20 Nov 2026 10:00:00 GMT";

    @TempDir
    Path dataDir;

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void conditionalGetsPerFeedA429WithRetryAfterAndTheValidatorsAfterARestart() throws Exception {
        AtomicInteger aServed = new AtomicInteger();
        AtomicInteger bServed = new AtomicInteger();
        Instant[] retryAfter = new Instant[1];
        Instant[] resumedAt = new Instant[1];
        try (ScriptedHttpServer forum = new ScriptedHttpServer(request -> {
            if (request.path().equals("/external.php")) {
                String etag = request.header("If-None-Match");
                if (etag == null && aServed.get() == 0) {
                    aServed.incrementAndGet();
                    return rss(List.of("a2", "a1")).withHeaders(Map.of("ETag", "\"a-v1\""));
                }
                if ("\"a-v1\"".equals(etag)) {
                    aServed.incrementAndGet();
                    return rss(List.of("a3", "a2", "a1")).withHeaders(Map.of("ETag", "\"a-v2\""));
                }
                return "\"a-v2\"".equals(etag) ? notModified() : Response.json(500, "unexpected");
            }
            if (request.path().equals("/feeds/b.atom")) {
                int n = bServed.incrementAndGet();
                if (n == 1) {
                    return atom("b1").withHeaders(Map.of("Last-Modified", LAST_MODIFIED));
                }
                if (n == 2) {
                    retryAfter[0] = Instant.now().plusSeconds(2);
                    return new Response(429, Map.of("Retry-After", "2", "Content-Type", "text/html"), "<html>slow down</html>");
                }
                if (n == 3) {
                    resumedAt[0] = Instant.now();
                }
                return LAST_MODIFIED.equals(request.header("If-Modified-Since")) ? notModified() : Response.json(500, "unexpected");
            }
            return Response.json(404, "not found");
        })) {
            ConfigurableApplicationContext hub = startHub(forum, "/external.php?type=RSS2&forumids=123", "/feeds/b.atom");
            try {
                SourceStatus status = hub.getBean(SourceStatus.class);
                await().atMost(Duration.ofSeconds(15)).until(() -> retryAfter[0] != null);
                // the recorded event, not the short-lived status (the wait lasts 1.5 s: a loaded machine can miss it)
                await().atMost(Duration.ofSeconds(15)).until(() -> status.lastRateLimit("forum") != null);
                assertThat(status.lastRateLimit("forum").reason()).startsWith("rate limited (429)");
                assertThat(hub.getBean(io.micrometer.core.instrument.MeterRegistry.class).counter("hearth.source.rate.limited",
                        "source", "forum").count()).isGreaterThanOrEqualTo(1);
                await().atMost(Duration.ofSeconds(30)).until(() -> forum.requests().size() >= 7);
                List<Request> r = forum.requests();
                assertThat(r.stream().map(Request::path).toList().subList(0, 7)).containsExactly(
                        "/external.php", "/feeds/b.atom", "/external.php", "/feeds/b.atom", "/feeds/b.atom", "/external.php", "/feeds/b.atom");
                assertThat(r.get(0).query()).isEqualTo("type=RSS2&forumids=123");
                assertThat(r.get(0).header("If-None-Match")).isNull();
                assertThat(r.get(0).header("Accept")).startsWith("application/rss+xml");
                assertThat(r.get(1).header("If-Modified-Since")).isNull();
                assertThat(r.get(2).header("If-None-Match")).isEqualTo("\"a-v1\"");
                // After the 429 the poll resumes at the refused feed, not at the first one, once Retry-After has passed.
                assertThat(r.get(4).header("If-Modified-Since")).isEqualTo(LAST_MODIFIED);
                assertThat(resumedAt[0]).isAfterOrEqualTo(retryAfter[0].minusMillis(50));
                assertThat(r.get(5).header("If-None-Match")).isEqualTo("\"a-v2\"");
                await().atMost(Duration.ofSeconds(20)).until(() -> idsIn(hub).size() == 4);
                assertThat(idsIn(hub)).containsExactlyInAnyOrder(id("a1"), id("a2"), id("a3"), "forum:tag:forum.example,2026:b1");
                assertThat(status.of("forum").down()).isFalse();
            } finally {
                hub.close();
            }
            int before = forum.requests().size();
            ConfigurableApplicationContext restarted = startHub(forum, "/external.php?type=RSS2&forumids=123", "/feeds/b.atom");
            try {
                await().atMost(Duration.ofSeconds(30)).until(() -> forum.requests().size() >= before + 2);
                for (Request request : forum.requests().subList(before, before + 2)) {
                    if (request.path().equals("/external.php")) {
                        assertThat(request.header("If-None-Match")).isEqualTo("\"a-v2\"");
                    } else {
                        assertThat(request.header("If-Modified-Since")).isEqualTo(LAST_MODIFIED);
                    }
                }
                assertThat(idsIn(restarted)).hasSize(4);
            } finally {
                restarted.close();
            }
        }
    }

    @Test
    void aTruncatedFeedAndAFailingFeedDoNotHoldUpTheOthers() throws Exception {
        Map<String, AtomicInteger> served = new ConcurrentHashMap<>();
        try (ScriptedHttpServer forum = new ScriptedHttpServer(request -> {
            served.computeIfAbsent(request.path(), k -> new AtomicInteger()).incrementAndGet();
            return switch (request.path()) {
                case "/c.rss" -> {
                    String whole = rss(List.of("c1")).body();
                    yield rss(List.of()).withHeaders(Map.of("ETag", "\"c\"")).withBody(whole.substring(0, whole.length() / 2));
                }
                case "/e.rss" -> Response.json(500, "<html>Internal Server Error</html>");
                default -> request.header("If-None-Match") != null ? notModified()
                        : rss(List.of("d1")).withHeaders(Map.of("ETag", "\"d\""));
            };
        })) {
            ConfigurableApplicationContext hub = startHub(forum, "/c.rss", "/e.rss", "/d.rss");
            try {
                SourceStatus status = hub.getBean(SourceStatus.class);
                await().atMost(Duration.ofSeconds(20)).until(() -> idsIn(hub).contains(id("d1")));
                await().atMost(Duration.ofSeconds(20)).until(() -> served.get("/c.rss").get() >= 2 && served.get("/e.rss").get() >= 2);
                // The broken feeds keep no validators: they are fetched in full again.
                assertThat(forum.requests().stream().filter(r -> !r.path().equals("/d.rss")))
                        .allSatisfy(r -> assertThat(r.header("If-None-Match")).isNull());
                assertThat(forum.requests().stream().filter(r -> r.path().equals("/d.rss")).skip(1))
                        .allSatisfy(r -> assertThat(r.header("If-None-Match")).isEqualTo("\"d\""));
                // The failing feeds stay visible in health after the good one succeeded.
                await().atMost(Duration.ofSeconds(10)).until(() -> status.of("forum").reason() != null
                        && status.of("forum").reason().startsWith("feed(s) failing")
                        && status.of("forum").reason().contains("/c.rss: unreadable") && status.of("forum").reason().contains("/e.rss: HTTP 500"));
                assertThat(status.of("forum").down()).isFalse();
                assertThat(idsIn(hub)).containsExactly(id("d1"));
            } finally {
                hub.close();
            }
        }
    }

    private static String id(String item) {
        return "forum:https://forum.example/showthread.php?p=" + item;
    }

    private static Response notModified() {
        return new Response(304, Map.of(), "");
    }

    /** An RSS 2.0 feed as vBulletin serves it, newest first. */
    private static Response rss(List<String> items) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" "
                + "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">\n<channel>\n"
                + "<title>Forum - Hearth Air</title><link>https://forum.example/</link><description>posts</description><language>en</language>\n");
        int minute = 10;
        for (String item : items) {
            xml.append("<item><title>Re: Hearth lounge access ").append(item).append("</title>")
                    .append("<link>https://forum.example/showthread.php?p=").append(item).append("</link>")
                    .append("<pubDate>Fri, 20 Nov 2026 09:").append(minute--).append(":00 GMT</pubDate>")
                    .append("<description><![CDATA[Loved the <b>lounge</b> &amp; staff \uD83D\uDC4D]]></description>")
                    .append("<dc:creator>jane_doe</dc:creator><guid isPermaLink=\"true\">https://forum.example/showthread.php?p=")
                    .append(item).append("</guid></item>\n");
        }
        return new Response(200, Map.of("Content-Type", "application/rss+xml; charset=UTF-8"), xml.append("</channel>\n</rss>\n").toString());
    }

    private static Response atom(String entry) {
        return new Response(200, Map.of("Content-Type", "application/atom+xml"), "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n"
                + "<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"en\"><title>Board</title><id>tag:forum.example,2026:feed</id>"
                + "<updated>2026-11-20T10:00:00Z</updated><author><name>board</name></author>"
                + "<entry><id>tag:forum.example,2026:" + entry + "</id><title>Hearth status match?</title>"
                + "<link rel=\"alternate\" href=\"https://board.example/t/" + entry + "\"/><published>2026-11-20T09:59:00Z</published>"
                + "<updated>2026-11-20T09:59:00Z</updated><author><name>sam</name></author>"
                + "<content type=\"html\">Does &lt;i&gt;Hearth&lt;/i&gt; match status?</content></entry></feed>");
    }

    private ConfigurableApplicationContext startHub(ScriptedHttpServer forum, String... paths) {
        StringBuilder feeds = new StringBuilder();
        for (String path : paths) {
            feeds.append(feeds.length() == 0 ? "" : ", ").append(forum.baseUrl()).append(path);
        }
        return new SpringApplicationBuilder(HearthApplication.class).run(
                "--hearth.data-dir=" + dataDir, "--server.port=0", "--hearth.api-key=forum-source-key",
                "--hearth.sources.inbox.enabled=false", "--hearth.sources.forum.enabled=true",
                "--hearth.sources.forum.feeds=" + feeds, "--hearth.sources.forum.poll-interval=300",
                "--camel.cluster.file.acquire-lock-delay=100", "--camel.cluster.file.acquire-lock-interval=200");
    }

    private List<String> idsIn(ConfigurableApplicationContext hub) throws Exception {
        return QueueProbe.processedMentionIds(hub);
    }
}
