package io.hearth.rules.backfill;

import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Rules backfill (OPERATOR role, docs/rules.md "Backfill"):
 * <ul>
 * <li>{@code POST /api/rules/backfill {"from":"2026-11-01","until":"2026-11-30","rules":["monthly-goodie"],"cases":false}}
 * → 202 {@code {"id":…}}; a bad request → 400 {@code {"error":"invalid_request","message":…}};</li>
 * <li>{@code GET /api/rules/backfill/{id}} → {@code {"id","state":"running|done|failed","done","total","rewardsAdded",
 * "flagsChanged"}}; 404 for an unknown id.</li>
 * </ul>
 */
@RestController
@ConditionalOnProperty(name = "hearth.rules.enabled", havingValue = "true", matchIfMissing = true)
@RequestMapping("/api/rules/backfill")
public class RulesBackfillController {

    private final RulesBackfill backfill;

    public RulesBackfillController(RulesBackfill backfill) {
        this.backfill = backfill;
    }

    @PostMapping
    public ResponseEntity<Map<String, Object>> start(@RequestBody(required = false) RulesBackfill.Request request) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("id", backfill.request(request)));
    }

    @GetMapping("/{id}")
    public ResponseEntity<Map<String, Object>> status(@PathVariable String id) {
        return backfill.status(id).map(ResponseEntity::ok).orElseGet(() -> ResponseEntity.status(HttpStatus.NOT_FOUND)
                .body(Map.of("error", "not_found", "message", "no backfill " + id)));
    }

    @ExceptionHandler(RulesBackfill.InvalidRequest.class)
    ResponseEntity<Map<String, Object>> invalid(RulesBackfill.InvalidRequest e) {
        return ResponseEntity.badRequest().body(Map.of("error", "invalid_request", "message", e.getMessage()));
    }

    @ExceptionHandler(org.springframework.http.converter.HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, Object>> unreadable(org.springframework.http.converter.HttpMessageNotReadableException e) {
        return ResponseEntity.badRequest().body(Map.of("error", "invalid_request", "message",
                "the body must be JSON: {\"from\":\"YYYY-MM-DD\",\"until\":\"YYYY-MM-DD\",\"rules\":[\"key\"],\"cases\":false}"));
    }
}
