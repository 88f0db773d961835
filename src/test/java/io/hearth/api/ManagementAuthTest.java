package io.hearth.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 6, hygiene: over HTTP, /actuator/health answers its status to anyone and its details only with credentials;
 * /actuator/prometheus and the other actuator endpoints answer 401 without, 200 with the API key or the management
 * credentials; /api needs the key.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
@DirtiesContext
class ManagementAuthTest {

    static final String KEY = "hk-management-test-7Rq";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("hearth.data-dir", dataDir::toString);
        registry.add("hearth.api-key", () -> KEY);
        registry.add("hearth.sources.inbox.enabled", () -> "false");
        registry.add("hearth.management.user", () -> "scraper");
        registry.add("hearth.management.password", () -> "scrape-pw-9");
    }

    @LocalServerPort
    int port;

    final HttpClient http = io.hearth.support.TestHttp.client();
    final ObjectMapper json = new ObjectMapper();

    @Test
    void healthStatusForAnyoneDetailsOnlyWithCredentials() throws Exception {
        HttpResponse<String> anonymous = get("/actuator/health", null);
        assertThat(anonymous.statusCode()).isEqualTo(200);
        JsonNode open = json.readTree(anonymous.body());
        assertThat(open.get("status").asText()).isEqualTo("UP");
        assertThat(open.has("components")).as("no details without credentials: " + anonymous.body()).isFalse();

        assertThat(json.readTree(get("/actuator/health", "Bearer wrong").body()).has("components")).isFalse();

        for (String credentials : new String[] {"Bearer " + KEY, basic("scraper", "scrape-pw-9")}) {
            HttpResponse<String> authenticated = get("/actuator/health", credentials);
            assertThat(authenticated.statusCode()).isEqualTo(200);
            assertThat(json.readTree(authenticated.body()).path("components").has("broker")).as(credentials).isTrue();
        }
    }

    @Test
    void prometheusAndOtherEndpointsNeedCredentials() throws Exception {
        for (String path : new String[] {"/actuator/prometheus", "/actuator/info", "/actuator"}) {
            assertThat(get(path, null).statusCode()).as(path).isEqualTo(401);
            assertThat(get(path, "Bearer wrong").statusCode()).as(path).isEqualTo(401);
            assertThat(get(path, basic("scraper", "wrong")).statusCode()).as(path).isEqualTo(401);
            assertThat(get(path, "Bearer " + KEY).statusCode()).as(path).isEqualTo(200);
            assertThat(get(path, basic("scraper", "scrape-pw-9")).statusCode()).as(path).isEqualTo(200);
        }
        assertThat(get("/actuator/prometheus", "Bearer " + KEY).body()).contains("hearth_queue_depth");
    }

    @Test
    void apiNeedsTheKey() throws Exception {
        assertThat(get("/api/links/x/someone", null).statusCode()).isEqualTo(401);
        assertThat(get("/api/links/x/someone", basic("scraper", "scrape-pw-9")).statusCode())
                .as("management credentials are for /actuator only").isEqualTo(401);
    }

    HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
