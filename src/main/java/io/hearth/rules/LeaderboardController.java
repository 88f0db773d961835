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
 * {@code GET /api/rules/leaderboards/{key}?period=2026-11&limit=10}: a leaderboard of the rules in force, from the
 * reward ledger (contact ids and points; the CRM has the names). Period: {@code yyyy-MM} (month boards),
 * {@code yyyy-MM-dd} (day boards), none for campaign boards; default the current one. Behind the API key (/api/**).
 */
@RestController
@ConditionalOnProperty(name = "hearth.rules.enabled", havingValue = "true", matchIfMissing = true)
@RequestMapping("/api/rules/leaderboards")
public class LeaderboardController {

    private final RulesHolder holder;
    private final RulesStore store;

    public LeaderboardController(RulesHolder holder, RulesStore store) {
        this.holder = holder;
        this.store = store;
    }

    @GetMapping("/{key}")
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
                    p = period == null ? YearMonth.now(ZoneOffset.UTC).toString() : YearMonth.parse(period).toString();
                }
                case day -> {
                    column = "day_key";
                    p = period == null ? LocalDate.now(ZoneOffset.UTC).toString() : LocalDate.parse(period).toString();
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
}
