package io.hearth.rules;

import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The rules' reports, behind the API key (/api/**):
 * <ul>
 * <li>{@code GET /api/rules/leaderboards/{key}?period=2026-11&limit=10}: a leaderboard of the rules in force, from the
 * reward ledger (contact ids and points; the CRM has the names). Period: {@code yyyy-MM} (month boards),
 * {@code yyyy-MM-dd} (day boards), none for campaign boards; default the current one.</li>
 * <li>{@code GET /api/rules/prospects?hashtag=ENDviolence&days=30&limit=100}: authors the CRM does not know who used the
 * hashtag (channel, handle, posts, reach) — reported, never created as contacts (no consent).</li>
 * </ul>
 */
@RestController
@ConditionalOnProperty(name = "hearth.rules.enabled", havingValue = "true", matchIfMissing = true)
@RequestMapping("/api/rules")
public class RulesController {

    private final RulesHolder holder;
    private final RulesStore store;
    private final java.time.Clock clock;

    public RulesController(RulesHolder holder, RulesStore store, java.time.Clock clock) {
        this.holder = holder;
        this.store = store;
        this.clock = clock;
    }

    @GetMapping("/leaderboards/{key}")
    public ResponseEntity<Map<String, Object>> board(@PathVariable String key,
                                                     @RequestParam(required = false) String period,
                                                     @RequestParam(defaultValue = "10") int limit) {
        Rules.Leaderboard board = holder.current().leaderboards().stream().filter(b -> b.key().equals(key)).findFirst()
                .orElse(null);
        if (board == null) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).body(Map.of("error", "no_leaderboard",
                    "message", "no leaderboard '" + key + "' in the rules in force"));
        }
        String column = null;
        String p = null;
        try {
            switch (board.period()) {
                case month -> {
                    column = "month_key";
                    p = period == null ? YearMonth.now(clock.withZone(ZoneOffset.UTC)).toString() : YearMonth.parse(period).toString();
                }
                case day -> {
                    column = "day_key";
                    p = period == null ? LocalDate.now(clock.withZone(ZoneOffset.UTC)).toString() : LocalDate.parse(period).toString();
                }
                case campaign -> {
                }
            }
        } catch (DateTimeParseException e) {
            return ResponseEntity.badRequest().body(Map.of("error", "invalid_period",
                    "message", "period must be yyyy-MM (month) or yyyy-MM-dd (day)"));
        }
        List<RulesStore.Standing> standings = store.leaderboard(board.rules(), column, p, Math.max(1, Math.min(limit, 1000)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("key", key);
        body.put("period", p == null ? "campaign" : p);
        body.put("standings", standings);
        return ResponseEntity.ok(body);
    }

    @GetMapping("/prospects")
    public ResponseEntity<Map<String, Object>> prospects(@RequestParam String hashtag,
                                                         @RequestParam(defaultValue = "30") int days,
                                                         @RequestParam(defaultValue = "100") int limit) {
        String tag = hashtag.startsWith("#") ? hashtag.substring(1) : hashtag;
        if (!tag.matches("[\\p{L}\\p{N}_]{1,100}") || days < 1 || days > 3650) {
            return ResponseEntity.badRequest().body(Map.of("error", "invalid_request",
                    "message", "hashtag: letters, digits, underscore; days: 1..3650"));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("hashtag", tag);
        body.put("days", days);
        // The brand's own accounts are not prospects.
        List<String> brand = holder.current().brand().handles().stream()
                .map(h -> (h.startsWith("@") ? h.substring(1) : h).toLowerCase(java.util.Locale.ROOT)).toList();
        body.put("prospects", store.prospects(tag, clock.instant().minus(java.time.Duration.ofDays(days)),
                Math.max(1, Math.min(limit, 1000))).stream()
                .filter(p -> !brand.contains(p.handle().toLowerCase(java.util.Locale.ROOT))).toList());
        return ResponseEntity.ok(body);
    }
}
