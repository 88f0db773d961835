package io.hearth.api.webhook;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;

import io.hearth.ingest.Ingest;
import io.hearth.ingest.IngestSettings;
import io.hearth.config.HearthProperties;
import io.hearth.mention.InvalidMentionException;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ServiceStatus;
import org.apache.camel.builder.ExchangeBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The webhook receivers. They sit outside {@code /api}, so they need no API key: the sender
 * proves itself with an HMAC-SHA256 signature over the raw body (Meta: {@code X-Hub-Signature-256},
 * hex; X: {@code x-twitter-webhooks-signature}, base64), checked in constant time before anything
 * is parsed or queued. A verified body is handed, byte for byte as received, to the source route
 * ({@code source-meta} / {@code source-x-webhook}, in routes/sources/), which passes it to
 * {@link Ingest#accept}: it is durably on {@code social.inbound} before the 200 goes out.
 *
 * <p>A source that is not enabled answers 404; an enabled source without its secret (which the
 * startup check normally prevents) or whose route is stopped answers 503.
 */
@RestController
@RequestMapping("/webhooks")
public class WebhookController {

    static final String META_SIGNATURE_HEADER = "X-Hub-Signature-256";
    static final String X_SIGNATURE_HEADER = "x-twitter-webhooks-signature";
    static final String META_ENDPOINT = "direct:webhook-meta?block=false";
    static final String X_ENDPOINT = "direct:webhook-x?block=false";

    private static final Logger log = LoggerFactory.getLogger(WebhookController.class);

    private final HearthProperties properties;
    private final ProducerTemplate producer;
    private final CamelContext camel;
    private final long maxBytes;

    public WebhookController(HearthProperties properties, ProducerTemplate producer, CamelContext camel,
                             IngestSettings ingest) {
        this.properties = properties;
        this.producer = producer;
        this.camel = camel;
        this.maxBytes = ingest.maxPayloadSize().toBytes();
    }

    // ---- Meta -------------------------------------------------------------------------------

    /** Subscription handshake: echo {@code hub.challenge} when {@code hub.verify_token} is ours. */
    @GetMapping("/meta")
    public ResponseEntity<?> metaHandshake(@RequestParam(name = "hub.mode", required = false) String mode,
                                           @RequestParam(name = "hub.verify_token", required = false) String token,
                                           @RequestParam(name = "hub.challenge", required = false) String challenge) {
        ResponseEntity<Map<String, Object>> unavailable = unavailable(WebhookSources.META, "verify-token");
        if (unavailable != null) {
            return unavailable;
        }
        String expected = WebhookSources.setting(properties, WebhookSources.META, "verify-token");
        if (!"subscribe".equals(mode) || token == null || !constantTimeEquals(expected, token)) {
            log.warn("Meta webhook handshake refused: hub.mode is not 'subscribe' or hub.verify_token does not match "
                    + "hearth.sources.meta.verify-token");
            return error(HttpStatus.FORBIDDEN, "forbidden", "hub.mode must be 'subscribe' and hub.verify_token must "
                    + "equal hearth.sources.meta.verify-token");
        }
        if (challenge == null || challenge.isEmpty()) {
            return error(HttpStatus.BAD_REQUEST, "bad_request", "missing hub.challenge");
        }
        return ResponseEntity.ok().contentType(MediaType.TEXT_PLAIN).header("X-Content-Type-Options", "nosniff").body(challenge);
    }

    @PostMapping("/meta")
    public ResponseEntity<Map<String, Object>> metaEvent(HttpServletRequest request,
                                                         @RequestHeader(name = META_SIGNATURE_HEADER, required = false) String signature)
            throws IOException {
        ResponseEntity<Map<String, Object>> unavailable = unavailable(WebhookSources.META, "app-secret");
        if (unavailable != null) {
            return unavailable;
        }
        byte[] body = readBody(request);
        if (body == null) {
            return tooLarge();
        }
        String secret = WebhookSources.setting(properties, WebhookSources.META, "app-secret");
        if (!WebhookSignatures.verifyMeta(secret, body, signature)) {
            log.warn("Meta webhook POST refused: {} {} (nothing queued)", META_SIGNATURE_HEADER,
                    signature == null ? "missing" : "does not match the body");
            return unauthorized(META_SIGNATURE_HEADER + " missing or wrong: expected sha256=<hex HMAC-SHA256 of the "
                    + "raw body with the app secret>");
        }
        return ingest(WebhookSources.META, "source-meta", META_ENDPOINT, body);
    }

    // ---- X Account Activity ------------------------------------------------------------------

    /**
     * Challenge-response check: {@code {"response_token":"sha256=<base64 HMAC(consumer secret, crc_token)>"}}, only for
     * tokens shaped like X's ({@link XCrcToken}); anything else is 400 and logged.
     */
    @GetMapping("/x")
    public ResponseEntity<Map<String, Object>> xCrc(@RequestParam(name = "crc_token", required = false) String crcToken) {
        ResponseEntity<Map<String, Object>> unavailable = unavailable(WebhookSources.X, "consumer-secret");
        if (unavailable != null) {
            return unavailable;
        }
        String problem = XCrcToken.problem(crcToken);
        if (problem != null) {
            // Not X's: answering would sign an arbitrary string, e.g. a forged event body (XCrcToken).
            log.warn("X webhook CRC refused: {} (length {}); nothing signed", problem, crcToken == null ? 0 : crcToken.length());
            return error(HttpStatus.BAD_REQUEST, "bad_request", problem);
        }
        String secret = WebhookSources.setting(properties, WebhookSources.X, "consumer-secret");
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("response_token", WebhookSignatures.xCrcResponseToken(secret, crcToken)));
    }

    @PostMapping("/x")
    public ResponseEntity<Map<String, Object>> xEvent(HttpServletRequest request,
                                                      @RequestHeader(name = X_SIGNATURE_HEADER, required = false) String signature)
            throws IOException {
        ResponseEntity<Map<String, Object>> unavailable = unavailable(WebhookSources.X, "consumer-secret");
        if (unavailable != null) {
            return unavailable;
        }
        byte[] body = readBody(request);
        if (body == null) {
            return tooLarge();
        }
        String secret = WebhookSources.setting(properties, WebhookSources.X, "consumer-secret");
        if (!WebhookSignatures.verifyX(secret, body, signature)) {
            log.warn("X webhook POST refused: {} {} (nothing queued)", X_SIGNATURE_HEADER,
                    signature == null ? "missing" : "does not match the body");
            return unauthorized(X_SIGNATURE_HEADER + " missing or wrong: expected sha256=<base64 HMAC-SHA256 of the "
                    + "raw body with the consumer secret>");
        }
        return ingest(WebhookSources.X, "source-x-webhook", X_ENDPOINT, body);
    }

    // ---- shared ------------------------------------------------------------------------------

    private ResponseEntity<Map<String, Object>> ingest(String source, String routeId, String endpoint, byte[] body) {
        ServiceStatus status = camel.getRouteController().getRouteStatus(routeId);
        if (status == null || !status.isStarted()) {
            return error(HttpStatus.SERVICE_UNAVAILABLE, "source_not_running", "route " + routeId + " is "
                    + (status == null ? "missing (routes/sources/)" : status.name()) + "; nothing was accepted, retry");
        }
        // The verified bytes as text: Meta and X send UTF-8 JSON (Meta escapes non-ASCII as \\uXXXX).
        Exchange exchange = ExchangeBuilder.anExchange(camel).withBody(new String(body, StandardCharsets.UTF_8)).build();
        Exchange done = producer.send(endpoint, exchange);
        Throwable failure = done.getException();
        if (failure != null) {
            InvalidMentionException invalid = causeOf(failure, InvalidMentionException.class);
            if (invalid != null) {
                return error(HttpStatus.BAD_REQUEST, "invalid_payload", invalid.getMessage());
            }
            log.warn("Webhook source {}: the payload was not queued: {}", source, failure.toString());
            return error(HttpStatus.SERVICE_UNAVAILABLE, "queue_unavailable",
                    "the payload was not queued (" + failure.getClass().getSimpleName() + "); nothing was accepted, retry");
        }
        Ingest.Accepted accepted = done.getMessage().getHeader(Ingest.MENTION_COUNT_HEADER, Ingest.Accepted.class);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accepted", accepted == null ? 0 : accepted.mentions());
        if (accepted != null && accepted.rejected() > 0) {
            answer.put("rejected", accepted.rejected());
        }
        answer.put("source", source);
        return ResponseEntity.ok(answer);
    }

    /** 404 when the source is not enabled, 503 when its secret is missing; null when it can serve. */
    private ResponseEntity<Map<String, Object>> unavailable(String source, String secretKey) {
        if (!WebhookSources.enabled(properties, source)) {
            return error(HttpStatus.NOT_FOUND, "webhook_disabled", "webhook source '" + source
                    + "' is not enabled (hearth.sources." + source + ".enabled)");
        }
        if (WebhookSources.setting(properties, source, secretKey) == null) {
            return error(HttpStatus.SERVICE_UNAVAILABLE, "webhook_not_configured", "webhook source '" + source
                    + "' is enabled but hearth.sources." + source + "." + secretKey + " is not set");
        }
        return null;
    }

    /** The body exactly as received; null when it is larger than hearth.ingest.max-payload-size. */
    private byte[] readBody(HttpServletRequest request) throws IOException {
        if (request.getContentLengthLong() > maxBytes) {
            return null;
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            return body.length > maxBytes ? null : body;
        }
    }

    private static boolean constantTimeEquals(String expected, String given) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    private static <T extends Throwable> T causeOf(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private ResponseEntity<Map<String, Object>> tooLarge() {
        return error(HttpStatus.PAYLOAD_TOO_LARGE, "payload_too_large",
                "payload is larger than hearth.ingest.max-payload-size (" + maxBytes + " bytes)");
    }

    private static ResponseEntity<Map<String, Object>> unauthorized(String message) {
        return error(HttpStatus.UNAUTHORIZED, "invalid_signature", message);
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
    }
}
