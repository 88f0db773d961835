package io.hearth.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.jms.JMSException;

import io.hearth.config.HearthProperties;
import io.hearth.crm.CrmWriterControl;
import io.hearth.deadletter.DeadLetterQueues;
import io.hearth.identity.DirectorySyncStatus;
import io.hearth.identity.linking.LinkingSettings;
import io.hearth.queue.QueueDepths;
import io.hearth.queue.StageQueues;
import io.hearth.rules.Rules;
import io.hearth.rules.RulesHolder;
import io.hearth.source.SourceStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The console's read-only JSON (role VIEWER; docs/console.md): one endpoint per page, each answering from the source the
 * metrics and health use — the broker's queue counts ({@link QueueDepths}, as {@code hearth_queue_depth}), the health
 * indicators (sources, directory, CRM writer), the Micrometer counters, and the hub's tables ({@link ConsoleReports}).
 */
@RestController
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)   // with ConsoleConfiguration's beans
@RequestMapping("/api/console")
@Tag(name = "console", description = "read-only figures behind the operator console pages (VIEWER)")
public class ConsoleController {

    static final int RATE_MINUTES = 60;

    private final ConsoleReports reports;
    private final QueueDepths depths;
    private final MeterRegistry meters;
    private final Clock clock;
    private final HearthProperties properties;
    private final SourceStatus sources;
    private final HealthIndicator sourcesHealth;
    private final DirectorySyncStatus directory;
    private final ObjectProvider<CrmWriterControl> writer;
    private final ObjectProvider<RulesHolder> rules;
    private final ObjectProvider<LinkingSettings> linking;

    public ConsoleController(ConsoleReports reports, QueueDepths depths, MeterRegistry meters, Clock clock,
                             HearthProperties properties, SourceStatus sources,
                             @Qualifier("sources") HealthIndicator sourcesHealth,
                             DirectorySyncStatus directory, ObjectProvider<CrmWriterControl> writer,
                             ObjectProvider<RulesHolder> rules, ObjectProvider<LinkingSettings> linking) {
        this.reports = reports;
        this.depths = depths;
        this.meters = meters;
        this.clock = clock;
        this.properties = properties;
        this.sources = sources;
        this.sourcesHealth = sourcesHealth;
        this.directory = directory;
        this.writer = writer;
        this.rules = rules;
        this.linking = linking;
    }

    @GetMapping("/me")
    @Operation(summary = "the caller's roles (the console shows operator buttons only to OPERATOR)")
    public Map<String, Object> me(Authentication who) {
        List<String> roles = who.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(a -> a.startsWith("ROLE_")).map(a -> a.substring(5)).sorted().toList();
        return Map.of("roles", roles, "operator", roles.contains("OPERATOR"));
    }

    @GetMapping("/flow")
    @Operation(summary = "mentions per minute per channel (last hour), queue and DLQ depths, sources, directory sync,"
            + " CRM API budget, writer state")
    public Map<String, Object> flow() {
        Instant now = clock.instant();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("at", now);
        ConsoleReports.Rate rate = reports.mentionRate(now, RATE_MINUTES);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("from", rate.from());
        r.put("minutes", rate.minutes());
        r.put("total", rate.total());
        r.put("channels", rate.perChannel());
        out.put("mentionsPerMinute", r);
        out.put("queues", queues());
        out.put("sources", sources(now));
        out.put("directory", health(directory));
        out.put("crm", crm());
        return out;
    }

    private List<Map<String, Object>> queues() {
        Map<String, Long> all;
        try {
            all = depths.depths();
        } catch (JMSException e) {
            all = Map.of();
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (String stage : StageQueues.STAGES) {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("queue", stage);
            q.put("depth", all.getOrDefault(stage, -1L));
            q.put("deadLetterQueue", StageQueues.deadLetterQueueOf(stage));
            q.put("deadLetters", all.getOrDefault(StageQueues.deadLetterQueueOf(stage), -1L));
            out.add(q);
        }
        return out;
    }

    private List<Map<String, Object>> sources(Instant now) {
        Map<String, Object> details = health(sourcesHealth);
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> each = details.get("sources") instanceof Map<?, ?> m
                ? (Map<String, Map<String, Object>>) m : Map.of();
        List<Map<String, Object>> out = new ArrayList<>();
        each.forEach((name, detail) -> {
            Map<String, Object> s = new LinkedHashMap<>(detail);
            s.put("source", name);
            SourceStatus.State state = sources.of(name);
            s.put("nextPoll", nextPoll(name, state, now));
            out.add(s);
        });
        return out;
    }

    /** When the source polls next: the end of a pause (rate limit, quota), else the last good poll + its interval. */
    Instant nextPoll(String name, SourceStatus.State state, Instant now) {
        if (state.pausedUntil() != null && state.pausedUntil().isAfter(now)) {
            return state.pausedUntil();
        }
        Map<String, String> settings = properties.getSources().get(name);
        String interval = settings == null ? null : settings.get("poll-interval");
        if (interval == null || state.lastSuccessAt() == null) {
            return null;
        }
        try {
            return state.lastSuccessAt().plusMillis(Long.parseLong(interval.trim()));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private Map<String, Object> crm() {
        Map<String, Object> out = new LinkedHashMap<>();
        CrmWriterControl control = writer.getIfAvailable();
        if (control != null) {
            CrmWriterControl.Status s = control.status();
            out.put("writer", s.state().name());
            out.put("why", s.why() == null ? null : s.why().name());
            out.put("reason", s.reason());
            out.put("since", s.since());
            out.put("used", s.lastUsage() == null ? null : s.lastUsage().used());
            out.put("limit", s.lastUsage() == null ? null : s.lastUsage().max());
            out.put("budgetReserve", control.budgetReserve());
        }
        double calls = meters.find("hearth.crm.api.calls").counters().stream().mapToDouble(Counter::count).sum();
        double mentions = meters.find("hearth.enrich.mentions").counters().stream().mapToDouble(Counter::count).sum();
        out.put("apiCalls", (long) calls);
        out.put("mentionsEnriched", (long) mentions);
        out.put("callsPer1000Mentions", mentions == 0 ? null : Math.round(calls * 1000 / mentions * 10) / 10.0);
        return out;
    }

    @GetMapping("/dead-letters")
    @Operation(summary = "each DLQ with its message count (no messages: listing them is OPERATOR's, /api/dead-letters)")
    public Map<String, Object> deadLetters() {
        Map<String, Long> all;
        try {
            all = depths.depths();
        } catch (JMSException e) {
            all = Map.of();
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (String q : DeadLetterQueues.queues()) {
            out.add(Map.of("queue", q, "stage", DeadLetterQueues.stageOf(q), "count", all.getOrDefault(q, -1L)));
        }
        return Map.of("queues", out);
    }

    @GetMapping("/community")
    @Operation(summary = "leaderboards of the rules in force, advocates with tier and reason, recent rewards and badges,"
            + " prize draws with seed, key and result")
    public Map<String, Object> community() {
        Rules current = currentRules();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("programme", current.programme());
        out.put("leaderboards", current.leaderboards().stream()
                .map(b -> Map.of("key", b.key(), "period", b.period().name())).toList());
        out.put("advocates", reports.advocates());
        out.put("rewards", reports.recentRewards(ConsoleReports.LIST_LIMIT));
        out.put("draws", reports.draws(current, ConsoleReports.LIST_LIMIT));
        out.put("campaignHashtags", current.rewards().stream().flatMap(r -> r.hashtags().stream()).distinct().toList());
        return out;
    }

    @GetMapping("/cases")
    @Operation(summary = "recent social cases: conversation (scores, no text), priority and the rule's reason")
    public Map<String, Object> cases() {
        Rules current = currentRules();
        Rules.Priority priority = current.cases() == null ? new Rules.Priority(null, null, null)
                : current.cases().priority();
        return Map.of("cases", reports.recentCases(priority, ConsoleReports.LIST_LIMIT));
    }

    @GetMapping("/campaigns")
    @Operation(summary = "per campaign of the rules in force: reach, participants, points and sentiment per day, interests")
    public Map<String, Object> campaigns() {
        return Map.of("campaigns", reports.campaigns(currentRules()));
    }

    @GetMapping("/privacy")
    @Operation(summary = "erasure requests and their state, link codes issued/used/open/expired and locked authors (counts)")
    public Map<String, Object> privacy() {
        Instant now = clock.instant();
        LinkingSettings l = linking.getIfAvailable();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("erasuresByStatus", reports.erasuresByStatus());
        out.put("erasures", reports.erasures(ConsoleReports.LIST_LIMIT));
        out.put("linkCodes", reports.linkCounts(now, l == null ? 5 : l.maxWrongCodes(),
                l == null ? Duration.ofHours(1) : l.lockoutWindow()));
        return out;
    }

    private Rules currentRules() {
        RulesHolder holder = rules.getIfAvailable();
        return holder == null ? Rules.NONE : holder.current();
    }

    private static Map<String, Object> health(HealthIndicator indicator) {
        Health h = indicator.health();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", h.getStatus().getCode());
        out.putAll(h.getDetails());
        return out;
    }
}
