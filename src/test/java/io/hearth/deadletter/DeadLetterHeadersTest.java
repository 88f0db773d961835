package io.hearth.deadletter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.hearth.support.Mentions;
import org.junit.jupiter.api.Test;

class DeadLetterHeadersTest {

    static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

    static Map<String, Object> failed() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("HearthFailureReason", "IllegalStateException: down");
        p.put("HearthFailureException", "java.lang.IllegalStateException");
        p.put("HearthFailedStage", "social.inbound");
        p.put("HearthFailedRoute", "pipeline-normalise");
        p.put("HearthFailedAt", "2026-12-04T10:00:00Z");
        p.put("HearthFirstFailedAt", "2026-12-04T09:00:00Z");
        p.put("HearthFailedAttempts", 3);
        p.put("HearthCrmErrorCode", "INVALID_FIELD");
        p.put("HearthChannel", "x");
        p.put("_AMQ_ORIG_QUEUE", "social.inbound");
        p.put("JMSXDeliveryCount", 2);
        return p;
    }

    @Test
    void aReplayLosesItsFailureMarksKeepsItsHistoryAndItsOriginalId() {
        Map<String, Object> out = DeadLetterHeaders.replayProperties(failed(), "ID:abc", "social.inbound", "{}", NOW);
        assertThat(out).doesNotContainKeys("HearthFailureReason", "HearthFailureException", "HearthFailedStage",
                "HearthFailedRoute", "HearthFailedAt", "HearthCrmErrorCode", "_AMQ_ORIG_QUEUE", "JMSXDeliveryCount");
        assertThat(out).containsEntry("HearthFirstFailedAt", "2026-12-04T09:00:00Z").containsEntry("HearthFailedAttempts", 3)
                .containsEntry("HearthOriginalMessageId", "ID:abc").containsEntry("HearthReplays", 1)
                .containsEntry("HearthReplayedAt", NOW.toString()).containsEntry("HearthChannel", "x");

        Map<String, Object> second = new LinkedHashMap<>(out);
        second.put("HearthFailedAt", "2026-12-04T11:00:00Z");
        Map<String, Object> again = DeadLetterHeaders.replayProperties(second, "ID:def", "social.inbound", "{}", NOW);
        assertThat(again).as("the first original id stays").containsEntry("HearthOriginalMessageId", "ID:abc")
                .containsEntry("HearthReplays", 2).containsEntry("HearthFirstFailedAt", "2026-12-04T09:00:00Z");
    }

    @Test
    void aSingleMentionOfASplitPayloadGoesBackUnderTheChannelMention() {
        String mention = Mentions.json("x", "1");
        Map<String, Object> split = failed();
        split.put("HearthMentionId", "x:1");
        assertThat(DeadLetterHeaders.replayProperties(split, "ID:a", "social.inbound", mention, NOW))
                .containsEntry("HearthChannel", "mention");
        // a whole payload (no mention id), JSON Lines of two mentions, or another stage: the channel stays
        assertThat(DeadLetterHeaders.replayProperties(failed(), "ID:a", "social.inbound", mention, NOW))
                .containsEntry("HearthChannel", "x");
        assertThat(DeadLetterHeaders.replayProperties(split, "ID:a", "social.inbound", mention + "\n" + Mentions.json("x", "2"),
                NOW)).containsEntry("HearthChannel", "x");
        assertThat(DeadLetterHeaders.replayProperties(split, "ID:a", "social.mentions", mention, NOW))
                .containsEntry("HearthChannel", "x");
    }

    @Test
    void readShowsAShortReasonAndRecognisesWhatTheBrokerMoved() {
        Map<String, Object> p = failed();
        p.put("HearthFailureReason", "IllegalStateException: " + "x".repeat(500));
        DeadLetter letter = DeadLetterHeaders.read("DLQ.social.inbound", "ID:0a-1", p, 0, "body");
        assertThat(letter.id()).isEqualTo("0a-1");
        assertThat(letter.reason()).hasSize(DeadLetterHeaders.SHORT_REASON + 1).endsWith("…");
        assertThat(letter.attempts()).isEqualTo(3);
        assertThat(letter.firstFailedAt()).isEqualTo(Instant.parse("2026-12-04T09:00:00Z"));
        assertThat(letter.withoutPersonalData().body()).isNull();
        assertThat(letter.withoutPersonalData().fullReason()).isNull();

        Map<String, Object> moved = new LinkedHashMap<>();
        moved.put("_AMQ_ORIG_QUEUE", "crm.outbound");
        DeadLetter byBroker = DeadLetterHeaders.read("DLQ.crm.outbound", "ID:0b", moved, 1_700_000_000_000L, null);
        assertThat(byBroker.movedByBroker()).isTrue();
        assertThat(byBroker.stage()).isEqualTo("crm.outbound");
        assertThat(byBroker.reason()).contains("moved by the broker").contains("crm.outbound");
        assertThat(byBroker.lastFailedAt()).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        assertThat(byBroker.attempts()).isNull();
    }

    @Test
    void idsThatCouldBreakASelectorAreRefused() {
        assertThat(DeadLetterHeaders.validId("6d2a0c5e-d1f3-11f0-8f1e-0242ac120002")).isTrue();
        assertThat(DeadLetterHeaders.validId("1' OR '1'='1")).isFalse();
        assertThat(DeadLetterHeaders.validId("")).isFalse();
    }

    @Test
    void theFilterMatchesReasonChannelAndTimeRange() {
        DeadLetter letter = DeadLetterHeaders.read("DLQ.crm.outbound", "ID:1", failed(), 0, null);
        assertThat(DeadLetterFilter.ALL.matches(letter)).isTrue();
        assertThat(new DeadLetterFilter("DOWN", null, null, null).matches(letter)).isTrue();
        assertThat(new DeadLetterFilter("illegalstate", "X", null, null).matches(letter)).isTrue();
        assertThat(new DeadLetterFilter("timeout", null, null, null).matches(letter)).isFalse();
        assertThat(new DeadLetterFilter(null, "mastodon", null, null).matches(letter)).isFalse();
        Instant at = Instant.parse("2026-12-04T10:00:00Z");
        assertThat(new DeadLetterFilter(null, null, at, at.plusSeconds(1)).matches(letter)).isTrue();
        assertThat(new DeadLetterFilter(null, null, at.plusSeconds(1), null).matches(letter)).isFalse();
        assertThat(new DeadLetterFilter(null, null, null, at).matches(letter)).as("'to' is exclusive").isFalse();
        assertThatThrownBy(() -> new DeadLetterFilter(null, null, at, at)).isInstanceOf(IllegalArgumentException.class);
    }
}
