package io.hearth.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Measures what the HTTP scorer's fallback costs a stream of mentions (docs/scoring.md, "Fallback, measured"): a
 * scripted model service on loopback that answers in 20 ms, then hangs, then is down (10, 50, 6 and 50 mentions). Prints the
 * per-mention latency of each phase and holds the bounds the docs state: an outage costs one timeout, then the lexicon
 * answers at its own speed until {@code retry-after} has passed.
 */
class HttpFallbackMeasurementTest {

    private static final Duration TIMEOUT = Duration.ofMillis(300);
    private static final int MENTIONS = 50;

    private HttpServer server;
    private volatile String mode = "ok"; // ok | hang
    private final CountDownLatch release = new CountDownLatch(1);
    private CamelContext camel;
    private ProducerTemplate producer;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            try {
                if (mode.equals("hang")) {
                    release.await(20, TimeUnit.SECONDS);
                } else {
                    Thread.sleep(20); // a small model's inference time
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] bytes = "{\"score\":0.7,\"label\":\"positive\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
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
    }

    @AfterEach
    void stop() {
        release.countDown();
        camel.stop();
        server.stop(0);
    }

    private record Phase(String name, int mentions, double firstMs, double restMeanMs, int http, int fallbacks) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%-44s first %7.1f ms, next %d: mean %6.2f ms; http answers %d, fallbacks %d",
                    name, firstMs, mentions - 1, restMeanMs, http, fallbacks);
        }
    }

    private static Phase run(String name, HttpSentimentScorer scorer) {
        return run(name, scorer, MENTIONS);
    }

    private static Phase run(String name, HttpSentimentScorer scorer, int mentions) {
        double first = 0;
        double rest = 0;
        int http = 0;
        int fallbacks = 0;
        for (int i = 0; i < mentions; i++) {
            long t = System.nanoTime();
            Sentiment s = scorer.score("Great crew, but the delay was awful " + i, "en");
            double ms = (System.nanoTime() - t) / 1e6;
            if (i == 0) {
                first = ms;
            } else {
                rest += ms;
            }
            if (s.scorer().equals("http")) {
                http++;
            } else {
                fallbacks++;
            }
        }
        return new Phase(name, mentions, first, rest / (mentions - 1), http, fallbacks);
    }

    @Test
    void anOutageCostsOneTimeoutThenTheLexiconAnswersAtItsOwnSpeed() throws Exception {
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/sentiment";
        LexiconSentimentScorer lexicon = new LexiconSentimentScorer();
        lexicon.score("warm-up", "en");

        Phase healthy = run("service answers in 20 ms", new HttpSentimentScorer(producer, url, TIMEOUT, null, lexicon,
                Duration.ofSeconds(30), Clock.systemUTC()), 10);
        mode = "hang";
        Phase hanging = run("service hangs, timeout 300 ms, retry-after 30s", new HttpSentimentScorer(producer, url,
                TIMEOUT, null, lexicon, Duration.ofSeconds(30), Clock.systemUTC()));
        Phase noPause = run("service hangs, retry-after 0 (no pause)", new HttpSentimentScorer(producer, url, TIMEOUT,
                null, lexicon, Duration.ZERO, Clock.systemUTC()), 6);
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        Phase down = run("nothing listens (connection refused)", new HttpSentimentScorer(producer,
                "http://127.0.0.1:" + closed + "/v1/sentiment", TIMEOUT, null, lexicon, Duration.ofSeconds(30),
                Clock.systemUTC()));

        for (Phase p : new Phase[] {healthy, hanging, noPause, down}) {
            System.out.println(p);
        }
        assertThat(healthy.http()).isEqualTo(10);
        assertThat(healthy.restMeanMs()).isGreaterThanOrEqualTo(20);

        assertThat(hanging.fallbacks()).isEqualTo(MENTIONS);
        assertThat(hanging.firstMs()).isBetween((double) TIMEOUT.toMillis(), TIMEOUT.toMillis() + 2_000.0);
        assertThat(hanging.restMeanMs()).as("paused: the lexicon answers without waiting").isLessThan(20);

        assertThat(noPause.fallbacks()).isEqualTo(6);
        assertThat(noPause.restMeanMs()).as("without a pause every mention waits for the timeout")
                .isGreaterThanOrEqualTo(TIMEOUT.toMillis() * 0.9);

        assertThat(down.fallbacks()).isEqualTo(MENTIONS);
        assertThat(down.firstMs()).isLessThan(TIMEOUT.toMillis() + 2_000.0);
        assertThat(down.restMeanMs()).isLessThan(20);
    }
}
