package io.hearth.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The tests' HTTP client never waits for ever (issue 18: a hang must not hold CI). */
class TestHttpTest {

    @Test
    void aRequestWithoutATimeoutGetsTheDefaultOneAndKeepsEverythingElse() {
        HttpRequest plain = HttpRequest.newBuilder(URI.create("http://127.0.0.1:1/x")).header("Authorization", "Bearer k")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        HttpRequest bounded = TestHttp.bounded(plain);
        assertThat(bounded.timeout()).contains(TestHttp.REQUEST_TIMEOUT);
        assertThat(bounded.headers().firstValue("Authorization")).contains("Bearer k");
        assertThat(bounded.method()).isEqualTo("POST");
        HttpRequest own = HttpRequest.newBuilder(URI.create("http://127.0.0.1:1/x")).timeout(Duration.ofSeconds(2)).build();
        assertThat(TestHttp.bounded(own).timeout()).contains(Duration.ofSeconds(2));
        assertThat(TestHttp.client().connectTimeout()).contains(TestHttp.CONNECT_TIMEOUT);
    }

    @Test
    void aServerThatNeverAnswersFailsTheCallInsteadOfHangingIt() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + silent.getLocalPort() + "/"))
                    .timeout(Duration.ofMillis(500)).build();
            long start = System.nanoTime();
            assertThatThrownBy(() -> TestHttp.client().send(request, HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(HttpTimeoutException.class);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        }
    }
}
