package io.hearth.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP scorer against a real JDK HttpServer on loopback, through camel-http. */
class HttpSentimentScorerTest {

    record Answer(int status, String body) {
    }

    record Received(String path, String contentType, String authorization, JsonNode body) {
    }

    private HttpServer server;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private volatile Function<JsonNode, Answer> script = body -> new Answer(200, "{\"score\":0.5}");
    private final CountDownLatch release = new CountDownLatch(1);
    private CamelContext camel;
    private ProducerTemplate producer;
    private final ObjectMapper json = new ObjectMapper();
    private final LexiconSentimentScorer lexicon = new LexiconSentimentScorer();
    private MutableClock clock;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            JsonNode body = json.readTree(exchange.getRequestBody().readAllBytes());
            received.add(new Received(exchange.getRequestURI().getPath(), exchange.getRequestHeaders().getFirst("Content-Type"),
                    exchange.getRequestHeaders().getFirst("Authorization"), body));
            Answer answer = script.apply(body);
            if (answer == null) { // hang until the test ends: the client must time out
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                answer = new Answer(200, "{\"score\":0.9}");
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            } catch (IOException ignored) {
                // the client gave up
            }
        });
        server.start();
        camel = new DefaultCamelContext();
        camel.start();
        producer = camel.createProducerTemplate();
        clock = new MutableClock(Instant.parse("2026-11-20T10:00:00Z"));
    }

    @AfterEach
    void stop() {
        release.countDown();
        camel.stop();
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/sentiment";
    }

    private HttpSentimentScorer scorer(String url, Duration retryAfter) {
        return new HttpSentimentScorer(producer, url, Duration.ofMillis(500), "s3cret", lexicon, retryAfter, clock);
    }

    @Test
    void scoresThroughTheService() {
        script = body -> new Answer(200, "{\"score\": -0.42, \"label\": \"negative\"}");
        Sentiment s = scorer(url(), Duration.ofSeconds(30)).score("Der Zug ist zu spät", "de-DE");
        assertThat(s.score()).isEqualTo(-0.42);
        assertThat(s.scorer()).isEqualTo("http");
        assertThat(s.lang()).isEqualTo("de");
        assertThat(s.cues()).extracting(Sentiment.Cue::cue).containsExactly("negative");
        assertThat(received).hasSize(1);
        Received r = received.get(0);
        assertThat(r.path()).isEqualTo("/v1/sentiment");
        assertThat(r.contentType()).startsWith("application/json");
        assertThat(r.authorization()).isEqualTo("Bearer s3cret");
        assertThat(r.body().get("text").asText()).isEqualTo("Der Zug ist zu spät");
        assertThat(r.body().get("lang").asText()).isEqualTo("de");
    }

    @Test
    void acceptsSentimentFieldAndExplanationArray() {
        script = body -> new Answer(200, "{\"sentiment\": 0.8, \"explanation\": [\"love\", \"😍\"]}");
        Sentiment s = scorer(url(), Duration.ZERO).score("love it 😍", null);
        assertThat(s.score()).isEqualTo(0.8);
        assertThat(s.cues()).extracting(Sentiment.Cue::cue).containsExactly("love", "😍");
        assertThat(received.get(0).body().has("lang")).isFalse();
    }

    @Test
    void fallsBackToTheLexiconOnBadAnswers() {
        record Bad(Answer answer, String reason) {
        }
        for (Bad bad : List.of(
                new Bad(new Answer(500, "{\"error\":\"boom\"}"), "HTTP 500"),
                new Bad(new Answer(401, "{}"), "HTTP 401"),
                new Bad(new Answer(200, "not json"), "answer is not JSON"),
                new Bad(new Answer(200, "{\"label\":\"positive\"}"), "answer has no numeric 'score'"),
                new Bad(new Answer(200, "{\"score\":\"high\"}"), "answer has no numeric 'score'"),
                new Bad(new Answer(200, "{\"score\":1.7}"), "score 1.7 is outside -1 … 1")
        )) {
            script = body -> bad.answer();
            Sentiment s = scorer(url(), Duration.ZERO).score("Der Zug hat schon wieder Verspätung 😡", "de");
            assertThat(s.scorer()).as(bad.reason()).isEqualTo("lexicon (http fallback: " + bad.reason() + ")");
            assertThat(s.score()).isEqualTo(lexicon.score("Der Zug hat schon wieder Verspätung 😡", "de").score());
        }
    }

    @Test
    void fallsBackOnTimeoutAndPausesTheService() {
        script = body -> null; // never answers in time
        HttpSentimentScorer scorer = scorer(url(), Duration.ofSeconds(30));
        long started = System.nanoTime();
        Sentiment s = scorer.score("great service", "en");
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        assertThat(s.scorer()).isEqualTo("lexicon (http fallback: timeout)");
        assertThat(s.score()).isPositive();
        assertThat(tookMs).isLessThan(5_000);

        // paused: the next mentions do not wait for the service
        script = body -> new Answer(200, "{\"score\":0.1}");
        assertThat(scorer.score("great service", "en").scorer()).isEqualTo("lexicon (http fallback: paused after an earlier failure)");
        assertThat(scorer.calls()).isEqualTo(1);
        assertThat(scorer.fallbacks()).isEqualTo(2);

        clock.advance(Duration.ofSeconds(31));
        assertThat(scorer.score("great service", "en").scorer()).isEqualTo("http");
        assertThat(scorer.calls()).isEqualTo(2);
    }

    @Test
    void fallsBackWhenNothingListens() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Sentiment s = scorer("http://127.0.0.1:" + port + "/score", Duration.ZERO).score("awful", "en");
        assertThat(s.scorer()).isEqualTo("lexicon (http fallback: connection refused)");
        assertThat(s.score()).isNegative();
    }

    @Test
    void emptyTextDoesNotCallTheService() {
        Sentiment s = scorer(url(), Duration.ZERO).score("  ", "en");
        assertThat(s.score()).isZero();
        assertThat(received).isEmpty();
    }

    @Test
    void rejectsNonHttpUrls() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> scorer("ftp://127.0.0.1/x", Duration.ZERO))
                .hasMessageContaining("hearth.scoring.sentiment.http.url");
    }

    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
