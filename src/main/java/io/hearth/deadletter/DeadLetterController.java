package io.hearth.deadletter;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.jms.JMSException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Dead-letter operations (docs/operations.md, role OPERATOR): list the DLQs, look at one message, replay one or many back
 * to the stage they failed in, discard one. Every replay and discard answers what it did and is written to the audit log
 * ({@link DeadLetterAudit}).
 */
@RestController
@Tag(name = "dead letters", description = "browse, replay and discard the messages of the dead-letter queues (OPERATOR)")
public class DeadLetterController {

    static final int DEFAULT_PAGE_SIZE = 50;
    static final int MAX_PAGE_SIZE = 500;

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterController.class);

    private final DeadLetterQueues queues;
    private final DeadLetterAudit audit;
    private final ObjectMapper json;

    public DeadLetterController(DeadLetterQueues queues, DeadLetterAudit audit, ObjectMapper json) {
        this.queues = queues;
        this.audit = audit;
        this.json = json;
    }

    @GetMapping("/api/dead-letters")
    @Operation(summary = "every DLQ with its count, its oldest failure and a page of its messages (no bodies)")
    public ResponseEntity<Map<String, Object>> list(
            @Parameter(description = "only this DLQ, e.g. DLQ.crm.outbound") @RequestParam(required = false) String queue,
            @Parameter(description = "index of the first message of the page") @RequestParam(defaultValue = "0") int offset,
            @Parameter(description = "messages per queue (1-500)") @RequestParam(defaultValue = "50") int limit) {
        if (queue != null && !DeadLetterQueues.known(queue)) {
            return unknownQueue(queue);
        }
        if (offset < 0 || limit < 1 || limit > MAX_PAGE_SIZE) {
            return error(HttpStatus.BAD_REQUEST, "invalid_request", "offset must be >= 0 and limit 1.." + MAX_PAGE_SIZE);
        }
        List<Map<String, Object>> out = new ArrayList<>();
        try {
            for (String q : queue == null ? DeadLetterQueues.queues() : List.of(queue)) {
                DeadLetterQueues.Page page = queues.page(q, offset, limit);
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("queue", q);
                entry.put("stage", DeadLetterQueues.stageOf(q));
                entry.put("count", page.count());
                entry.put("oldest", page.oldest());
                entry.put("offset", offset);
                entry.put("limit", limit);
                entry.put("messages", page.messages().stream().map(DeadLetterController::summary).toList());
                out.add(entry);
            }
        } catch (JMSException e) {
            return unavailable(e);
        }
        return ResponseEntity.ok(Map.of("queues", out));
    }

    @GetMapping("/api/dead-letters/{queue}/{messageId}")
    @Operation(summary = "one dead letter; with include=body also its body and full reason (may hold personal data)")
    public ResponseEntity<Map<String, Object>> one(@PathVariable String queue, @PathVariable String messageId,
                                                   @Parameter(description = "'body' to include body and full reason")
                                                   @RequestParam(required = false) String include) {
        ResponseEntity<Map<String, Object>> bad = checkTarget(queue, messageId);
        if (bad != null) {
            return bad;
        }
        if (include != null && !include.equals("body")) {
            return error(HttpStatus.BAD_REQUEST, "invalid_request", "include takes only 'body'");
        }
        try {
            Optional<DeadLetter> letter = queues.find(queue, messageId, "body".equals(include));
            if (letter.isEmpty()) {
                return notFound(queue, messageId);
            }
            Map<String, Object> out = summary(letter.get());
            if ("body".equals(include)) {
                out.put("fullReason", letter.get().fullReason());
                out.put("body", letter.get().body());
            }
            return ResponseEntity.ok(out);
        } catch (JMSException e) {
            return unavailable(e);
        }
    }

    @PostMapping("/api/dead-letters/{queue}/{messageId}/replay")
    @Operation(summary = "replays one message to the stage it failed in (consumed from the DLQ and sent in one transaction)")
    public ResponseEntity<Map<String, Object>> replayOne(@PathVariable String queue, @PathVariable String messageId,
                                                         Authentication who) {
        ResponseEntity<Map<String, Object>> bad = checkTarget(queue, messageId);
        if (bad != null) {
            return bad;
        }
        return run(who, "replay", queue, messageId, null, () -> queues.replay(queue, Set.of(messageId), null));
    }

    @PostMapping("/api/dead-letters/{queue}/replay")
    @Operation(summary = "replays every message of a DLQ, or those matching a filter",
            description = "Body (optional): {\"reason\": substring of the reason or exception type, \"channel\": \"x\","
                    + " \"from\"/\"to\": ISO-8601 instants bounding the last failure}.")
    public ResponseEntity<Map<String, Object>> replayMany(@PathVariable String queue,
                                                          @RequestBody(required = false) String body, Authentication who) {
        if (!DeadLetterQueues.known(queue)) {
            return unknownQueue(queue);
        }
        DeadLetterFilter filter;
        try {
            filter = filter(body);
        } catch (IllegalArgumentException e) {
            return error(HttpStatus.BAD_REQUEST, "invalid_filter", e.getMessage());
        }
        String description;
        try {
            description = filter.describe().isEmpty() ? null : json.writeValueAsString(filter.describe());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ResponseEntity<Map<String, Object>> answer = run(who, "replay-bulk", queue, null, description,
                () -> queues.replay(queue, null, filter));
        if (answer.getBody() != null) {
            answer.getBody().put("filter", filter.describe());
        }
        return answer;
    }

    @DeleteMapping("/api/dead-letters/{queue}/{messageId}")
    @Operation(summary = "discards one message for good")
    public ResponseEntity<Map<String, Object>> discard(@PathVariable String queue, @PathVariable String messageId,
                                                       Authentication who) {
        ResponseEntity<Map<String, Object>> bad = checkTarget(queue, messageId);
        if (bad != null) {
            return bad;
        }
        return run(who, "discard", queue, messageId, null, () -> queues.discard(queue, messageId));
    }

    @GetMapping("/api/dead-letters/audit")
    @Operation(summary = "the latest dead-letter operations, newest first (who, when, what, how many)")
    public ResponseEntity<Map<String, Object>> auditLog(@RequestParam(defaultValue = "100") int limit) {
        if (limit < 1 || limit > 1000) {
            return error(HttpStatus.BAD_REQUEST, "invalid_request", "limit must be 1..1000");
        }
        return ResponseEntity.ok(Map.of("entries", audit.latest(limit)));
    }

    private interface QueueOperation {
        DeadLetterQueues.Outcome run() throws JMSException;
    }

    private ResponseEntity<Map<String, Object>> run(Authentication who, String action, String queue, String messageId,
                                                    String filter, QueueOperation operation) {
        String actor = who == null ? "unknown" : who.getName();
        String roles = who == null ? "" : who.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .map(a -> a.startsWith("ROLE_") ? a.substring(5) : a).sorted().collect(Collectors.joining(","));
        boolean replay = !action.equals("discard");
        String target = replay ? DeadLetterQueues.stageOf(queue) : null;
        long auditId = audit.started(actor, roles, action, queue, target, messageId, filter);
        DeadLetterQueues.Outcome outcome;
        try {
            outcome = operation.run();
        } catch (JMSException | RuntimeException e) {
            audit.finished(auditId, 0, 0, "failed");
            LOG.warn("Dead-letter {} on {} failed: {}", action, queue, e.getClass().getName());
            return e instanceof JMSException jms ? unavailable(jms) : error(HttpStatus.INTERNAL_SERVER_ERROR, "failed",
                    e.getClass().getSimpleName());
        }
        String result = outcome.done() == outcome.selected() ? (messageId != null && outcome.done() == 0 ? "not_found" : "done")
                : outcome.done() == 0 && messageId != null ? "not_found" : "partial";
        audit.finished(auditId, outcome.selected(), outcome.done(), result);
        LOG.info("Dead-letter {} on {} by {}: {} of {} ({}; audit {})", action, queue, actor, outcome.done(),
                outcome.selected(), result, auditId);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("action", action);
        out.put("queue", queue);
        if (target != null) {
            out.put("to", target);
        }
        out.put("selected", outcome.selected());
        out.put(replay ? "replayed" : "discarded", outcome.done());
        out.put("ids", outcome.ids());
        if (!outcome.missing().isEmpty()) {
            out.put("missing", outcome.missing());
        }
        out.put("outcome", result);
        out.put("auditId", auditId);
        if ("not_found".equals(result)) {
            out.put("error", "message_not_found");
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(out);
        }
        return ResponseEntity.ok(out);
    }

    DeadLetterFilter filter(String body) {
        if (body == null || body.isBlank()) {
            return DeadLetterFilter.ALL;
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the body is not JSON: send {\"reason\":…, \"channel\":…, \"from\":…, \"to\":…}");
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("send a JSON object {\"reason\":…, \"channel\":…, \"from\":…, \"to\":…}");
        }
        node.fieldNames().forEachRemaining(name -> {
            if (!List.of("reason", "channel", "from", "to").contains(name)) {
                throw new IllegalArgumentException("unknown filter field '" + name + "' (reason, channel, from, to)");
            }
        });
        return new DeadLetterFilter(text(node, "reason"), text(node, "channel"), instant(node, "from"), instant(node, "to"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new IllegalArgumentException("'" + field + "' must be a string");
        }
        return value.asText();
    }

    private static Instant instant(JsonNode node, String field) {
        String value = text(node, field);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("'" + field + "' must be an ISO-8601 instant, e.g. 2026-12-04T10:00:00Z");
        }
    }

    static Map<String, Object> summary(DeadLetter letter) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", letter.id());
        out.put("stage", letter.stage());
        out.put("failedRoute", letter.failedRoute());
        out.put("reason", letter.reason());
        out.put("exception", letter.exception());
        out.put("firstFailedAt", letter.firstFailedAt());
        out.put("lastFailedAt", letter.lastFailedAt());
        out.put("attempts", letter.attempts());
        out.put("replays", letter.replays());
        out.put("mentionId", letter.mentionId());
        out.put("channel", letter.channel());
        out.put("movedByBroker", letter.movedByBroker());
        return out;
    }

    private ResponseEntity<Map<String, Object>> checkTarget(String queue, String messageId) {
        if (!DeadLetterQueues.known(queue)) {
            return unknownQueue(queue);
        }
        if (!DeadLetterHeaders.validId(messageId)) {
            return error(HttpStatus.BAD_REQUEST, "invalid_message_id",
                    "a message id is the 'id' of a listed message (hex digits and dashes)");
        }
        return null;
    }

    private static ResponseEntity<Map<String, Object>> unknownQueue(String queue) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", "unknown_queue");
        out.put("message", "'" + queue + "' is not one of the hub's dead-letter queues");
        out.put("queues", DeadLetterQueues.queues());
        return ResponseEntity.status(HttpStatus.NOT_FOUND).body(out);
    }

    private static ResponseEntity<Map<String, Object>> notFound(String queue, String id) {
        return error(HttpStatus.NOT_FOUND, "message_not_found", "no message " + id + " in " + queue);
    }

    private static ResponseEntity<Map<String, Object>> unavailable(JMSException e) {
        LOG.warn("Dead-letter operation: the broker did not answer: {}", e.getClass().getName());
        return error(HttpStatus.SERVICE_UNAVAILABLE, "queue_unavailable", "the broker did not answer; each message is"
                + " either still in its DLQ or back in its stage (never both); list again and retry");
    }

    private static ResponseEntity<Map<String, Object>> error(HttpStatus status, String error, String message) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", error);
        out.put("message", message);
        return ResponseEntity.status(status).body(out);
    }
}
