package io.hearth.deadletter;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.channel.ChannelRegistry;
import io.hearth.pipeline.MentionChecks;
import io.hearth.queue.DeadLetterPublisher;
import io.hearth.queue.StageQueues;

/**
 * Plain logic over a dead letter's JMS properties: what the operations show of it, and the properties its replay carries
 * back to its stage (the failure marks cleared, its history kept, the dedup source reference preserved).
 */
public final class DeadLetterHeaders {

    /** Shown in lists: the exception kind and the start of its cause. */
    static final int SHORT_REASON = 160;
    /** Artemis' own property on a message it moved to a dead-letter address. */
    static final String ARTEMIS_ORIGINAL_QUEUE = "_AMQ_ORIG_QUEUE";
    static final String MENTION_SCHEMA = "hearth.mention/v1";
    static final String MENTION_CHANNEL = "mention";

    private static final ObjectMapper JSON = new ObjectMapper();

    private DeadLetterHeaders() {
    }

    /** The id the operations use: the JMS message id without {@code ID:}. */
    public static String idOf(String jmsMessageId) {
        return jmsMessageId != null && jmsMessageId.startsWith("ID:") ? jmsMessageId.substring(3) : jmsMessageId;
    }

    /** A message id as given in a path: hex and dashes only (it goes into a JMS selector). */
    public static boolean validId(String id) {
        return id != null && id.matches("[0-9A-Fa-f-]{1,64}");
    }

    public static DeadLetter read(String queue, String jmsMessageId, Map<String, Object> properties, long jmsTimestamp,
                                  String body) {
        String stage = StageQueues.STAGES.stream().filter(s -> StageQueues.deadLetterQueueOf(s).equals(queue)).findFirst()
                .orElse(null);
        String fullReason = string(properties.get(DeadLetterPublisher.REASON_HEADER));
        String exception = string(properties.get(DeadLetterPublisher.EXCEPTION_HEADER));
        Instant last = instant(properties.get(DeadLetterPublisher.FAILED_AT_HEADER));
        boolean byBroker = fullReason == null && properties.get(ARTEMIS_ORIGINAL_QUEUE) != null;
        if (byBroker) {
            fullReason = "moved by the broker after max-delivery-attempts rolled-back deliveries from "
                    + properties.get(ARTEMIS_ORIGINAL_QUEUE);
            exception = "BrokerDeadLetter";
        }
        if (last == null && jmsTimestamp > 0) {
            last = Instant.ofEpochMilli(jmsTimestamp);
        }
        Instant first = instant(properties.get(DeadLetterPublisher.FIRST_FAILED_AT_HEADER));
        Object attempts = properties.get(DeadLetterPublisher.ATTEMPTS_HEADER);
        Object replays = properties.get(DeadLetterPublisher.REPLAYS_HEADER);
        String route = string(properties.get(DeadLetterPublisher.ROUTE_HEADER));
        String failedStage = string(properties.get(DeadLetterPublisher.STAGE_HEADER));
        return new DeadLetter(idOf(jmsMessageId), queue, failedStage != null ? failedStage : stage, route,
                shortReason(exception, fullReason), exception, first != null ? first : last, last,
                attempts instanceof Number n ? n.intValue() : null, replays instanceof Number r ? r.intValue() : 0,
                string(properties.get(MentionChecks.MENTION_ID_HEADER)), string(properties.get(ChannelRegistry.CHANNEL_HEADER)),
                byBroker, fullReason, body);
    }

    /**
     * The short reason of a list: the exception's simple name and the start of the cause. The cause may quote the payload
     * (a parser error), so lists carry only its start, and only operators see lists.
     */
    static String shortReason(String exception, String fullReason) {
        if (fullReason == null) {
            return exception == null ? "unknown" : exception;
        }
        if (fullReason.length() <= SHORT_REASON) {
            return fullReason;
        }
        int end = Character.isHighSurrogate(fullReason.charAt(SHORT_REASON - 1)) ? SHORT_REASON - 1 : SHORT_REASON;
        return fullReason.substring(0, end) + "…";
    }

    /**
     * The properties a replayed message carries back to {@code stage}: the failure marks (reason, exception, stage, route,
     * failure time, the CRM error details) are removed so nothing downstream takes it for a failed message, and the next
     * failure stamps fresh ones; its first failure time and attempts stay (its history), its replay count grows; the
     * original message id stays, so the normalise stage's dedup recognises a replayed payload's own mentions instead of
     * dropping them as a replay of themselves; a single canonical mention dead-lettered out of a split payload goes back
     * to {@code social.inbound} under the channel {@code mention} (its header named the post's channel, whose mapper
     * cannot read a canonical mention).
     */
    public static Map<String, Object> replayProperties(Map<String, Object> properties, String jmsMessageId, String stage,
                                                       String body, Instant now) {
        Map<String, Object> out = new LinkedHashMap<>();
        properties.forEach((name, value) -> {
            if (!name.startsWith("_AMQ") && !name.startsWith("JMS") && !isFailureMark(name)) {
                out.put(name, value);
            }
        });
        out.putIfAbsent(DeadLetterPublisher.ORIGINAL_MESSAGE_HEADER, jmsMessageId);
        if (!out.containsKey(DeadLetterPublisher.FIRST_FAILED_AT_HEADER)) {
            Object failedAt = properties.get(DeadLetterPublisher.FAILED_AT_HEADER);
            if (failedAt != null) {
                out.put(DeadLetterPublisher.FIRST_FAILED_AT_HEADER, failedAt);
            }
        }
        Object replays = properties.get(DeadLetterPublisher.REPLAYS_HEADER);
        out.put(DeadLetterPublisher.REPLAYS_HEADER, (replays instanceof Number n ? n.intValue() : 0) + 1);
        out.put(DeadLetterPublisher.REPLAYED_AT_HEADER, now.toString());
        // a whole payload failed before the split has no mention id; a mention of a split payload has one
        if (StageQueues.INBOUND.equals(stage) && properties.get(MentionChecks.MENTION_ID_HEADER) != null
                && isCanonicalMention(body)) {
            out.put(ChannelRegistry.CHANNEL_HEADER, MENTION_CHANNEL);
        }
        return out;
    }

    static boolean isFailureMark(String name) {
        return name.equals(DeadLetterPublisher.REASON_HEADER) || name.equals(DeadLetterPublisher.EXCEPTION_HEADER)
                || name.equals(DeadLetterPublisher.STAGE_HEADER) || name.equals(DeadLetterPublisher.ROUTE_HEADER)
                || name.equals(DeadLetterPublisher.FAILED_AT_HEADER) || name.startsWith("HearthCrmError");
    }

    /**
     * A body that is exactly one canonical mention object ({@code "schema":"hearth.mention/v1"}), not a native payload
     * (nor JSON Lines of several mentions).
     */
    static boolean isCanonicalMention(String body) {
        if (body == null || body.isBlank() || body.strip().charAt(0) != '{') {
            return false;
        }
        try (com.fasterxml.jackson.core.JsonParser parser = JSON.createParser(body)) {
            JsonNode node = JSON.readTree(parser);
            boolean single = parser.nextToken() == null;
            return single && node != null && node.isObject() && MENTION_SCHEMA.equals(node.path("schema").asText(null));
        } catch (java.io.IOException notJson) {
            return false;
        }
    }

    private static String string(Object value) {
        return value == null ? null : value.toString();
    }

    private static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value.toString());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
