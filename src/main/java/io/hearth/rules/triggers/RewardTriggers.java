package io.hearth.rules.triggers;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The reward triggers' outbox (V32 {@code hearth_reward_trigger}, docs/rules.md "Reward triggers"). When the rules grant
 * a reward whose rule lists {@code triggers:}, {@link #record} writes one row per target in the grant's own transaction
 * (the stage batch's connection): the grant and its triggers commit together or not at all, and the row's body is fixed
 * there, so an event id is never sent with two different bodies. A replayed or redelivered mention finds the grant and
 * records nothing new. Job {@code job-reward-triggers} puts rows not yet queued on {@code rewards.triggers}
 * ({@link #due}, {@link #queued}); {@link RewardTriggerSender} delivers them and {@link #delivered} marks them.
 */
public class RewardTriggers {

    /** Event id = the reward key (Social_Reward__c.External_Id__c): one reward, one event. */
    public record Event(String eventId, String target, String body) {
    }

    /** What a granted reward announces. */
    public record Granted(String rewardKey, String rule, String contactId, String mentionId, long points, String itemKey,
                          String itemReason, String reason, Instant awardedAt) {
    }

    public static final String TYPE = "hearth.reward.granted";

    private final Supplier<JdbcTemplate> template;
    private final ObjectMapper json;

    public RewardTriggers(Supplier<JdbcTemplate> template, ObjectMapper json) {
        this.template = template;
        this.json = json;
    }

    /**
     * Where a grant is announced; the same names as rules.yml's {@code triggers:} ({@code Rules.Trigger}), kept here so
     * that this package does not import {@code io.hearth.rules} back (ArchitectureTest: no cycles between sub-packages).
     */
    public enum Target { salesforce, webhook }

    /** One row per target, insert-once by (event id, target); true when at least one was new. */
    public boolean record(Granted g, List<Target> targets, Instant now) {
        boolean any = false;
        for (Target t : targets) {
            String body = t == Target.salesforce ? platformEvent(g) : webhook(g);
            int n = template.get().update("INSERT INTO hearth_reward_trigger (event_id, target, contact_id, body, created_at)"
                    + " SELECT ?, ?, ?, ?, ? WHERE NOT EXISTS (SELECT 1 FROM hearth_reward_trigger WHERE event_id = ?"
                    + " AND target = ?)", g.rewardKey(), t.name(), g.contactId(), body, Timestamp.from(now),
                    g.rewardKey(), t.name());
            any |= n > 0;
        }
        return any;
    }

    /** The fields of the Hearth_Reward__e platform event (salesforce/…/objects/Hearth_Reward__e). */
    public String platformEvent(Granted g) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("Event_Id__c", g.rewardKey());
        f.put("Contact_Id__c", g.contactId());
        f.put("Rule__c", g.rule());
        f.put("Item__c", g.itemKey());
        f.put("Item_Reason__c", g.itemReason());
        f.put("Points__c", g.points());
        f.put("Mention_Id__c", cut(g.mentionId()));
        f.put("Awarded_At__c", millis(g.awardedAt()));
        return write(f);
    }

    /** The webhook's JSON body. */
    public String webhook(Granted g) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("id", g.rewardKey());
        f.put("type", TYPE);
        f.put("contactId", g.contactId());
        f.put("rule", g.rule());
        if (g.itemKey() != null) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("key", g.itemKey());
            item.put("reason", g.itemReason());
            f.put("item", item);
        }
        f.put("points", g.points());
        f.put("reason", g.reason());
        f.put("mentionId", g.mentionId());
        f.put("awardedAt", millis(g.awardedAt()));
        return write(f);
    }

    private String write(Map<String, Object> f) {
        try {
            return json.writeValueAsString(f);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** ISO 8601 to the millisecond: Salesforce's DateTime takes no more digits (a clock's nanoseconds would fail). */
    private static String millis(Instant at) {
        return at.truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
    }

    private static String cut(String s) {
        return s == null || s.length() <= 255 ? s : s.substring(0, 255);
    }

    /** Rows not queued yet, oldest first. */
    public List<Event> due(int limit) {
        return template.get().query("SELECT event_id, target, body FROM hearth_reward_trigger WHERE queued_at IS NULL"
                        + " ORDER BY created_at, event_id, target LIMIT " + Math.max(1, limit),
                (rs, i) -> new Event(rs.getString(1), rs.getString(2), rs.getString(3)));
    }

    /** These events are on rewards.triggers. */
    public void queued(List<Event> events, Instant now) {
        for (Event e : events) {
            template.get().update("UPDATE hearth_reward_trigger SET queued_at = ? WHERE event_id = ? AND target = ?"
                    + " AND queued_at IS NULL", Timestamp.from(now), e.eventId(), e.target());
        }
    }

    public boolean isDelivered(String eventId, String target) {
        Integer n = template.get().queryForObject("SELECT COUNT(*) FROM hearth_reward_trigger WHERE event_id = ?"
                + " AND target = ? AND delivered_at IS NOT NULL", Integer.class, eventId, target);
        return n != null && n > 0;
    }

    /** The target accepted the event. */
    public void delivered(String eventId, String target, Instant now) {
        template.get().update("UPDATE hearth_reward_trigger SET delivered_at = ? WHERE event_id = ? AND target = ?"
                + " AND delivered_at IS NULL", Timestamp.from(now), eventId, target);
    }
}
