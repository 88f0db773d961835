package io.hearth.sandbox;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A sandbox started alone on a free port over a temp directory, with an HTTP client logged in to it. */
final class SandboxFixture implements AutoCloseable {

    static final String V = "/services/data/v62.0";
    static final ObjectMapper JSON = new ObjectMapper();

    /** A clock tests move forward (token expiry) instead of waiting. */
    static final class TestClock extends Clock {
        volatile Instant now = Instant.parse("2026-11-20T10:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }
    }

    record Reply(int status, JsonNode body, HttpResponse<String> raw) {
        String header(String name) {
            return raw.headers().firstValue(name).orElse(null);
        }
    }

    final SalesforceSandbox sandbox;
    final TestClock clock = new TestClock();
    final HttpClient http = io.hearth.support.TestHttp.client();
    String token;

    SandboxFixture(Path dir, UnaryOperator<SandboxSettings> customise) throws Exception {
        SandboxSettings settings = customise.apply(SandboxSettings.defaults(dir.resolve("sandbox"), Path.of("salesforce")));
        sandbox = new SalesforceSandbox(settings, clock).start();
    }

    SandboxFixture(Path dir) throws Exception {
        this(dir, s -> s);
    }

    String base() {
        return sandbox.baseUrl();
    }

    Reply form(String path, String... pairs) throws Exception {
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            if (body.length() > 0) {
                body.append('&');
            }
            body.append(URLEncoder.encode(pairs[i], StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(pairs[i + 1], StandardCharsets.UTF_8));
        }
        return send(HttpRequest.newBuilder(URI.create(base() + path)).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
    }

    SandboxFixture login() throws Exception {
        Reply r = form("/services/oauth2/token", "grant_type", "client_credentials", "client_id", "sandbox", "client_secret", "sandbox");
        if (r.status() != 200) {
            throw new IllegalStateException("login failed: " + r.status() + " " + r.body());
        }
        token = r.body().get("access_token").asText();
        return this;
    }

    Reply get(String path) throws Exception {
        return send(authorised(path).GET());
    }

    Reply query(String soql) throws Exception {
        return get(V + "/query?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8));
    }

    Reply post(String path, Object body) throws Exception {
        return send(authorised(path).header("Content-Type", "application/json").POST(json(body)));
    }

    Reply patch(String path, Object body) throws Exception {
        return send(authorised(path).header("Content-Type", "application/json").method("PATCH", json(body)));
    }

    Reply delete(String path) throws Exception {
        return send(authorised(path).DELETE());
    }

    Reply admin(Object body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base() + "/sandbox/admin/faults"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("sandbox:sandbox".getBytes(StandardCharsets.UTF_8)))
                .POST(json(body)));
    }

    private HttpRequest.Builder authorised(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private static HttpRequest.BodyPublisher json(Object body) throws Exception {
        return HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body));
    }

    Reply send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = r.body() == null || r.body().isBlank() ? null : JSON.readTree(r.body());
        return new Reply(r.statusCode(), body, r);
    }

    static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    @Override
    public void close() {
        sandbox.close();
    }
}
