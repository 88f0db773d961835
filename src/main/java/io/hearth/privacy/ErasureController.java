package io.hearth.privacy;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.identity.HandleNormaliser;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Right to be forgotten and deleted posts over the API (bearer key, like /api/ingest):
 * <ul>
 * <li>{@code POST /api/erasure} {@code {"contactId": "003…"}} or {@code {"channel": "x", "handle": "…"}} →
 * {@code 202 {"erasureId": "…"}}; the request is stored and job-erasure works it off;</li>
 * <li>{@code GET /api/erasure/{id}} → status, timestamps and counts (no personal data);</li>
 * <li>{@code DELETE /api/mentions/{mentionId}} → {@code 202}: a post its author deleted (for feeds the hub does not
 * read itself, e.g. Mastodon streaming {@code delete} events or X compliance jobs).</li>
 * </ul>
 */
@RestController
public class ErasureController {

    private static final Pattern SALESFORCE_ID = Pattern.compile("[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?");
    private static final Pattern MENTION_ID = Pattern.compile("[a-z0-9-]{1,32}:[^\\s]{1,480}");

    private final PrivacyStore store;
    private final ObjectMapper json;

    public ErasureController(PrivacyStore store, ObjectMapper json) {
        this.store = store;
        this.json = json;
    }

    @PostMapping("/api/erasure")
    public ResponseEntity<Map<String, Object>> request(@RequestBody(required = false) String body) {
        JsonNode request;
        try {
            request = body == null ? null : json.readTree(body);
        } catch (JsonProcessingException e) {
            request = null;
        }
        if (request == null || !request.isObject()) {
            return error(HttpStatus.BAD_REQUEST, "send {\"contactId\": \"003…\"} or {\"channel\": \"x\", \"handle\": \"…\"}");
        }
        String contactId = request.path("contactId").asText(null);
        String channel = request.path("channel").asText(null);
        String handle = request.path("handle").asText(null);
        String id;
        if (contactId != null && channel == null && handle == null) {
            if (!SALESFORCE_ID.matcher(contactId).matches()) {
                return error(HttpStatus.BAD_REQUEST, "contactId: not a Salesforce record id");
            }
            // the hub and the CRM hold 18-character ids; a 15-character one is the same record
            String id18 = PrivacyKeys.id18(contactId);
            id = store.request("contact", PrivacyKeys.contact(id18), id18, null, null, "api");
        } else if (contactId == null && channel != null && handle != null) {
            if (HandleNormaliser.normalise(channel, handle) == null || channel.length() > 32 || handle.length() > 255) {
                return error(HttpStatus.BAD_REQUEST, "channel and handle: a channel name and a non-empty handle");
            }
            id = store.request("handle", PrivacyKeys.handle(channel, handle), null, HandleNormaliser.channel(channel),
                    handle, "api");
        } else {
            return error(HttpStatus.BAD_REQUEST, "give either contactId, or channel and handle");
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("erasureId", id));
    }

    @GetMapping("/api/erasure/{id}")
    public ResponseEntity<Map<String, Object>> status(@PathVariable String id) throws JsonProcessingException {
        PrivacyStore.Request r = store.find(id).orElse(null);
        if (r == null) {
            return error(HttpStatus.NOT_FOUND, "no erasure with this id");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("erasureId", r.erasureId());
        out.put("status", r.status().name());
        out.put("subject", r.subjectKind());
        out.put("requestedAt", r.requestedAt());
        out.put("startedAt", r.startedAt());
        out.put("finishedAt", r.finishedAt());
        out.put("attempts", r.attempts());
        if (r.lastError() != null) {
            out.put("lastError", r.lastError());
        }
        if (r.counts() != null) {
            out.put("counts", json.readTree(r.counts()));
        }
        return ResponseEntity.ok(out);
    }

    @DeleteMapping("/api/mentions/{mentionId}")
    public ResponseEntity<Map<String, Object>> deletedPost(@PathVariable String mentionId) {
        if (!MENTION_ID.matcher(mentionId).matches()) {
            return error(HttpStatus.BAD_REQUEST, "not a mention id (channel:nativeId)");
        }
        boolean recorded = store.deletePost(mentionId, "api");
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("mentionId", mentionId, "recorded", recorded));
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", status == HttpStatus.NOT_FOUND ? "not_found" : "invalid_request");
        body.put("message", message);
        return ResponseEntity.status(status).body(body);
    }
}
