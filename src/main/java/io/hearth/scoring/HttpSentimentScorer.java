package io.hearth.scoring;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;

/**
 * Sentiment from a team's own model behind HTTP, called through camel-http. The scorer POSTs
 * {@code {"text": "...", "lang": "de"}} (lang omitted when unknown) to the configured URL and reads
 * {@code {"score": -0.8}} (−1 … 1; {@code "sentiment"} is accepted as well), optionally with
 * {@code "label"} and {@code "explanation"} (a string or an array of strings).
 * <p>
 * Whatever goes wrong — connection refused, timeout, non-2xx answer, unreadable JSON, a missing or
 * out-of-range score — the mention is scored by the lexicon instead (its {@code scorer} then says
 * {@code lexicon (http fallback: reason)}), and for {@code retryAfter} the service is not asked
 * again, so an outage costs one timeout, not one per mention. The reasons never quote the text.
 */
public final class HttpSentimentScorer implements SentimentScorer {

    private final ProducerTemplate producer;
    private final String endpointUri;
    private final String bearerToken;
    private final SentimentScorer fallback;
    private final Duration retryAfter;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicReference<Instant> pausedUntil = new AtomicReference<>(Instant.MIN);
    private final AtomicLong calls = new AtomicLong();
    private final AtomicLong fallbacks = new AtomicLong();

    /**
     * @param url         the service, {@code http://} or {@code https://}
     * @param timeout     connect and response timeout of one call
     * @param bearerToken sent as {@code Authorization: Bearer …} when not blank
     * @param retryAfter  how long to use only the fallback after a failure (zero: ask every time)
     */
    public HttpSentimentScorer(ProducerTemplate producer, String url, Duration timeout, String bearerToken,
                               SentimentScorer fallback, Duration retryAfter, Clock clock) {
        if (url == null || !(url.startsWith("http://") || url.startsWith("https://"))) {
            throw new IllegalArgumentException("hearth.scoring.sentiment.http.url must be an http:// or https:// URL, was '"
                    + url + "'");
        }
        this.producer = producer;
        this.endpointUri = endpointUri(url, timeout);
        this.bearerToken = bearerToken;
        this.fallback = fallback;
        this.retryAfter = retryAfter == null ? Duration.ZERO : retryAfter;
        this.clock = clock;
    }

    /** The camel-http endpoint: POST, failures as exceptions, per-endpoint timeouts. */
    static String endpointUri(String url, Duration timeout) {
        long ms = Math.max(1, timeout.toMillis());
        String options = "httpMethod=POST&throwExceptionOnFailure=true"
                + "&httpClient.connectTimeout=" + ms
                + "&httpClient.connectionRequestTimeout=" + ms
                + "&httpClient.responseTimeout=" + ms
                + "&httpConnection.soTimeout=" + ms;
        return url + (url.contains("?") ? "&" : "?") + options;
    }

    @Override
    public Sentiment score(String text, String lang) {
        if (text == null || text.isBlank()) {
            return fallback.score(text, lang);
        }
        Instant now = clock.instant();
        if (now.isBefore(pausedUntil.get())) {
            return fallback("paused after an earlier failure", text, lang);
        }
        calls.incrementAndGet();
        try {
            ObjectNode request = json.createObjectNode();
            request.put("text", text);
            String language = Languages.supported(lang);
            if (language != null) {
                request.put("lang", language);
            } else if (lang != null && !lang.isBlank()) {
                request.put("lang", lang);
            }
            Map<String, Object> headers = new HashMap<>();
            headers.put(Exchange.CONTENT_TYPE, "application/json; charset=utf-8");
            headers.put("Accept", "application/json");
            if (bearerToken != null && !bearerToken.isBlank()) {
                headers.put("Authorization", "Bearer " + bearerToken);
            }
            String body = producer.requestBodyAndHeaders(endpointUri, json.writeValueAsString(request), headers, String.class);
            return read(body, language);
        } catch (Exception e) {
            pausedUntil.set(now.plus(retryAfter));
            return fallback(reason(e), text, lang);
        }
    }

    private Sentiment read(String body, String language) throws Exception {
        if (body == null || body.isBlank()) {
            throw new BadAnswer("empty answer");
        }
        JsonNode answer;
        try {
            answer = json.readTree(body);
        } catch (Exception e) {
            throw new BadAnswer("answer is not JSON");
        }
        JsonNode score = answer.has("score") ? answer.get("score") : answer.get("sentiment");
        if (score == null || !score.isNumber()) {
            throw new BadAnswer("answer has no numeric 'score'");
        }
        double value = score.asDouble();
        if (!(value >= -1 && value <= 1)) {
            throw new BadAnswer("score " + value + " is outside -1 … 1");
        }
        List<Sentiment.Cue> cues = new ArrayList<>();
        JsonNode explanation = answer.get("explanation");
        if (explanation != null && explanation.isArray()) {
            explanation.forEach(e -> cues.add(new Sentiment.Cue(e.asText(), 0, "model")));
        } else if (explanation != null && explanation.isTextual()) {
            cues.add(new Sentiment.Cue(explanation.asText(), 0, "model"));
        } else if (answer.hasNonNull("label")) {
            cues.add(new Sentiment.Cue(answer.get("label").asText(), 0, "model label"));
        }
        return new Sentiment(Math.round(value * 1000) / 1000.0, language, cues, "http");
    }

    private Sentiment fallback(String reason, String text, String lang) {
        fallbacks.incrementAndGet();
        Sentiment s = fallback.score(text, lang);
        return new Sentiment(s.score(), s.lang(), s.cues(), "lexicon (http fallback: " + reason + ")");
    }

    private static String reason(Exception e) {
        Throwable t = e;
        while (t.getCause() != null && !(t instanceof BadAnswer)) {
            if (t instanceof org.apache.camel.http.base.HttpOperationFailedException) {
                break;
            }
            t = t.getCause();
        }
        if (t instanceof BadAnswer) {
            return t.getMessage();
        }
        if (t instanceof org.apache.camel.http.base.HttpOperationFailedException h) {
            return "HTTP " + h.getStatusCode();
        }
        if (t instanceof java.net.SocketTimeoutException || t.getClass().getSimpleName().contains("Timeout")) {
            return "timeout";
        }
        if (t instanceof java.net.ConnectException) {
            return "connection refused";
        }
        return t.getClass().getSimpleName();
    }

    /** Calls made to the service (not counting paused ones). */
    public long calls() {
        return calls.get();
    }

    /** Mentions scored by the fallback because the service failed or was paused. */
    public long fallbacks() {
        return fallbacks.get();
    }

    private static final class BadAnswer extends Exception {
        BadAnswer(String message) {
            super(message, null, false, false);
        }
    }
}
