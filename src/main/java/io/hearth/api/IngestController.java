package io.hearth.api;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.hearth.channel.UnknownChannelException;
import io.hearth.ingest.Ingest;
import io.hearth.ingest.IngestSettings;
import io.hearth.mention.InvalidMentionException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /api/ingest/{channel}}: a channel's native payload in, {@code 202 {"accepted": n}}
 * out once the payload is durably queued.
 */
@RestController
@RequestMapping("/api/ingest")
public class IngestController {

    private final Ingest ingest;
    private final long maxBytes;

    public IngestController(Ingest ingest, IngestSettings settings) {
        this.ingest = ingest;
        this.maxBytes = settings.maxPayloadSize().toBytes();
    }

    @PostMapping("/{channel}")
    public ResponseEntity<Map<String, Object>> ingest(@PathVariable String channel, HttpServletRequest request)
            throws IOException {
        if (request.getContentLengthLong() > maxBytes) {
            return tooLarge();
        }
        String contentType = request.getContentType() == null ? "" : request.getContentType().toLowerCase(java.util.Locale.ROOT);
        if (contentType.startsWith("application/x-www-form-urlencoded") || contentType.startsWith("multipart/")) {
            return error(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type", "send the payload as it is, with "
                    + "Content-Type application/json, application/x-ndjson or application/xml (curl: --data-binary @file "
                    + "-H 'Content-Type: application/json')");
        }
        // Read here, bounded, not by a message converter: a chunked body (no Content-Length) past the limit is refused
        // while it streams, and memory never holds more than the limit (BoundedBody).
        byte[] bytes = BoundedBody.read(request.getInputStream(), maxBytes);
        if (bytes == null) {
            return tooLarge();
        }
        String body = bytes.length == 0 ? null : new String(bytes, charset(request));
        if (body == null || body.isBlank()) {
            return error(HttpStatus.BAD_REQUEST, "invalid_payload", "empty body: send the channel's native payload");
        }
        Ingest.Accepted accepted = ingest.accept(channel, body, "api");
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("accepted", accepted.mentions());
        if (accepted.rejected() > 0) {
            answer.put("rejected", accepted.rejected());
        }
        answer.put("channel", channel);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(answer);
    }

    @ExceptionHandler(UnknownChannelException.class)
    ResponseEntity<Map<String, Object>> unknownChannel(UnknownChannelException e) {
        ResponseEntity<Map<String, Object>> response = error(HttpStatus.NOT_FOUND, "unknown_channel", e.getMessage());
        response.getBody().put("channels", e.knownChannels());
        return response;
    }

    @ExceptionHandler(InvalidMentionException.class)
    ResponseEntity<Map<String, Object>> invalidPayload(InvalidMentionException e) {
        return error(HttpStatus.BAD_REQUEST, "invalid_payload", e.getMessage());
    }

    @ExceptionHandler(Ingest.QueueUnavailableException.class)
    ResponseEntity<Map<String, Object>> queueUnavailable(Ingest.QueueUnavailableException e) {
        return error(HttpStatus.SERVICE_UNAVAILABLE, "queue_unavailable", e.getMessage() + "; nothing was accepted, retry");
    }

    private ResponseEntity<Map<String, Object>> tooLarge() {
        return error(HttpStatus.PAYLOAD_TOO_LARGE, "payload_too_large",
                "payload is larger than hearth.ingest.max-payload-size (" + maxBytes + " bytes); split it");
    }

    /** The charset the Content-Type names; UTF-8 (JSON's and the feeds' usual one) when it names none or an unknown one. */
    private static Charset charset(HttpServletRequest request) {
        String name = request.getCharacterEncoding();
        if (name != null) {
            try {
                return Charset.forName(name);
            } catch (IllegalArgumentException e) {
                return StandardCharsets.UTF_8;
            }
        }
        return StandardCharsets.UTF_8;
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String code, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", code);
        body.put("message", message);
        return ResponseEntity.status(status).body(body);
    }
}
