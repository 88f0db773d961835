package io.hearth.rules.triggers;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

/** The triggers' outbox: one row per reward and target, its body fixed at the first record; queued and delivered once. */
class RewardTriggersTest {

    static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
    static final ObjectMapper JSON = new ObjectMapper();

    JdbcTemplate jdbc;
    RewardTriggers triggers;

    @BeforeEach
    void db() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:triggers-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(ds);
        triggers = new RewardTriggers(() -> jdbc, JSON);
    }

    static RewardTriggers.Granted goodie(String item, long points) {
        return new RewardTriggers.Granted("monthly-goodie:003000000000001AAA:2026-12", "monthly-goodie",
                "003000000000001AAA", "x:1", points, item, item == null ? null : "item " + item + " for interest #hiking",
                "mention of the brand on x", NOW);
    }

    @Test
    void oneRowPerTargetWithTheBodyFixedTheFirstTime() throws Exception {
        assertThat(triggers.record(goodie("hiking-flask", 0), List.of(RewardTriggers.Target.salesforce, RewardTriggers.Target.webhook), NOW))
                .isTrue();
        // the same reward again (a replay that reached this far, or a changed choice): nothing new, the body stays
        assertThat(triggers.record(goodie("sticker-pack", 5), List.of(RewardTriggers.Target.salesforce, RewardTriggers.Target.webhook), NOW))
                .isFalse();
        List<RewardTriggers.Event> due = triggers.due(10);
        assertThat(due).extracting(RewardTriggers.Event::target).containsExactly("salesforce", "webhook");
        assertThat(due).extracting(RewardTriggers.Event::eventId).containsOnly("monthly-goodie:003000000000001AAA:2026-12");
        JsonNode event = JSON.readTree(due.get(0).body());
        assertThat(event.get("Event_Id__c").asText()).isEqualTo("monthly-goodie:003000000000001AAA:2026-12");
        assertThat(event.get("Item__c").asText()).isEqualTo("hiking-flask");
        assertThat(event.get("Contact_Id__c").asText()).isEqualTo("003000000000001AAA");
        assertThat(event.get("Awarded_At__c").asText()).isEqualTo("2026-12-05T10:00:00Z");
        JsonNode hook = JSON.readTree(due.get(1).body());
        assertThat(hook.get("id").asText()).isEqualTo("monthly-goodie:003000000000001AAA:2026-12");
        assertThat(hook.get("type").asText()).isEqualTo("hearth.reward.granted");
        assertThat(hook.get("item").get("key").asText()).isEqualTo("hiking-flask");
        assertThat(hook.get("points").asLong()).isZero();
    }

    @Test
    void queuedRowsAreNotDueAgainAndDeliveryIsMarkedOnce() {
        triggers.record(goodie(null, 10), List.of(RewardTriggers.Target.webhook), NOW);
        List<RewardTriggers.Event> due = triggers.due(10);
        assertThat(JSON.valueToTree(due).get(0).has("item")).isFalse();
        triggers.queued(due, NOW);
        assertThat(triggers.due(10)).isEmpty();
        String id = due.get(0).eventId();
        assertThat(triggers.isDelivered(id, "webhook")).isFalse();
        triggers.delivered(id, "webhook", NOW);
        triggers.delivered(id, "webhook", NOW.plusSeconds(5));
        assertThat(triggers.isDelivered(id, "webhook")).isTrue();
        assertThat(jdbc.queryForObject("SELECT delivered_at FROM hearth_reward_trigger WHERE event_id = ?",
                java.sql.Timestamp.class, id).toInstant()).as("the first delivery stays").isEqualTo(NOW);
    }

    @Test
    void noTargetsNoRows() {
        assertThat(triggers.record(goodie("hiking-flask", 0), List.of(), NOW)).isFalse();
        assertThat(triggers.due(10)).isEmpty();
    }
}
