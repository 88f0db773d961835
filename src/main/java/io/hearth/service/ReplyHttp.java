package io.hearth.service;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The HTTP side shared by the reply clients: one call, its answer as JSON, and the channels' rate-limit headers read
 * into one "not before" instant (X: {@code x-rate-limit-reset} epoch seconds; Mastodon: {@code x-ratelimit-reset}
 * ISO-8601; Bluesky: {@code ratelimit-reset} epoch seconds).
 */
public final class ReplyHttp {

    public record Answer(int status, JsonNode body, HttpResponse<String> raw) {
        public Optional<String> header(String name) {
            return raw.headers().firstValue(name);
        }
    }

    public static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final Duration timeout;
    private final Clock clock;
    private final Duration defaultBackOff;
    /** Host → not before: the API said 0 calls remain in its window (x-rate-limit-remaining and the like). */
    private final Map<String, Instant> spent = new java.util.concurrent.ConcurrentHashMap<>();

    public ReplyHttp(Duration timeout, Duration defaultBackOff, Clock clock) {
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.timeout = timeout;
        this.clock = clock;
        this.defaultBackOff = defaultBackOff;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Sends the request. A connection refused before anything was sent is {@code NOT_POSTED}; a timeout or a lost
     * connection afterwards is {@code UNCERTAIN} when the call creates something ({@code creates}).
     */
    public Answer send(String method, String url, Map<String, String> headers, String body, boolean creates)
            throws ReplyException {
        String host = host(url);
        Instant gate = spent.get(host);
        if (gate != null && gate.isAfter(clock.instant())) {
            throw new ReplyException(ReplyException.Kind.RATE_LIMITED, method + " " + path(url)
                    + ": the rate-limit window is spent until " + gate, gate, null);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout);
        headers.forEach(b::header);
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        HttpResponse<String> response;
        try {
            response = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (java.net.ConnectException e) {
            throw new ReplyException(ReplyException.Kind.NOT_POSTED, method + " " + path(url) + ": connection refused", null, e);
        } catch (HttpTimeoutException e) {
            throw new ReplyException(creates ? ReplyException.Kind.UNCERTAIN : ReplyException.Kind.NOT_POSTED,
                    method + " " + path(url) + ": timed out", null, e);
        } catch (IOException e) {
            throw new ReplyException(creates ? ReplyException.Kind.UNCERTAIN : ReplyException.Kind.NOT_POSTED,
                    method + " " + path(url) + ": " + e.getClass().getSimpleName(), null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ReplyException(ReplyException.Kind.UNCERTAIN, method + " " + path(url) + ": interrupted", null, e);
        }
        JsonNode json;
        try {
            json = response.body() == null || response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            json = JSON.createObjectNode();
        }
        Answer answer = new Answer(response.statusCode(), json, response);
        // the window's last call: the next one would be refused, so wait for the reset instead of provoking a 429
        spentUntil(answer).ifPresentOrElse(until -> spent.put(host, until), () -> spent.remove(host));
        return answer;
    }

    private static String host(String url) {
        URI u = URI.create(url);
        return u.getHost() + ":" + u.getPort();
    }

    /** When the window a 429 (or a spent remaining count) closed opens again. */
    public Instant retryAt(Answer a) {
        Instant now = clock.instant();
        for (String name : new String[] {"x-rate-limit-reset", "ratelimit-reset", "x-ratelimit-reset", "retry-after"}) {
            Optional<String> v = a.header(name);
            if (v.isEmpty() || v.get().isBlank()) {
                continue;
            }
            String s = v.get().strip();
            try {
                long n = Long.parseLong(s);
                // retry-after: seconds to wait; the reset headers: epoch seconds
                return name.equals("retry-after") ? now.plusSeconds(n) : Instant.ofEpochSecond(n);
            } catch (NumberFormatException notANumber) {
                try {
                    return Instant.parse(s);
                } catch (DateTimeParseException notAnInstant) {
                    // try the next header
                }
            }
        }
        return now.plus(defaultBackOff);
    }

    /** 0 remaining in the window: the channel's next call would be refused, so the gate closes until the reset. */
    public Optional<Instant> spentUntil(Answer a) {
        for (String name : new String[] {"x-rate-limit-remaining", "ratelimit-remaining", "x-ratelimit-remaining"}) {
            Optional<String> v = a.header(name);
            if (v.isPresent() && v.get().strip().equals("0")) {
                return Optional.of(retryAt(a));
            }
        }
        return Optional.empty();
    }

    /** The error text an API gave (X problem detail, Mastodon/Bluesky error and message), cut to 300 characters. */
    public static String detail(Answer a) {
        JsonNode b = a.body();
        StringBuilder s = new StringBuilder("HTTP ").append(a.status());
        for (String f : new String[] {"title", "error", "detail", "message"}) {
            if (b.hasNonNull(f) && b.get(f).isTextual()) {
                s.append(' ').append(f).append('=').append(b.get(f).asText());
            }
        }
        if (b.path("errors").isArray() && !b.path("errors").isEmpty()) {
            s.append(" errors=").append(b.path("errors").get(0).path("message").asText(""));
        }
        return s.length() > 300 ? s.substring(0, 300) : s.toString();
    }

    private static String path(String url) {
        URI u = URI.create(url);
        return u.getPath();
    }
}
