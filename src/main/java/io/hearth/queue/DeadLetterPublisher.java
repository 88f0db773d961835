package io.hearth.queue;

import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Dead-letter endpoint of the pipeline's error handler: stamps why and where a message failed and
 * puts it on {@code DLQ.<stage>} inside the stage's transaction, so the failed message leaves its
 * queue and enters the DLQ atomically.
 */
@Component("deadLetterPublisher")
public class DeadLetterPublisher {

    public static final String REASON_HEADER = "HearthFailureReason";
    public static final String EXCEPTION_HEADER = "HearthFailureException";
    public static final String STAGE_HEADER = "HearthFailedStage";
    public static final String ROUTE_HEADER = "HearthFailedRoute";
    public static final String FAILED_AT_HEADER = "HearthFailedAt";
    /** When the message first reached a DLQ; kept across replays. */
    public static final String FIRST_FAILED_AT_HEADER = "HearthFirstFailedAt";
    /** Failed deliveries counted by the hub over all of the message's trips to a DLQ. */
    public static final String ATTEMPTS_HEADER = "HearthFailedAttempts";
    /**
     * The JMS message id the failing stage consumed: a replay keeps it, so the normalise stage's dedup recognises the
     * replayed payload's own mentions (docs/operations.md).
     */
    public static final String ORIGINAL_MESSAGE_HEADER = "HearthOriginalMessageId";
    /** How often the message was replayed from a DLQ (io.hearth.deadletter). */
    public static final String REPLAYS_HEADER = "HearthReplays";
    public static final String REPLAYED_AT_HEADER = "HearthReplayedAt";
    /** A message's failure history: kept on its way to and from a DLQ, not passed on to the next stage. */
    public static final java.util.List<String> HISTORY_HEADERS = java.util.List.of(FIRST_FAILED_AT_HEADER, ATTEMPTS_HEADER,
            ORIGINAL_MESSAGE_HEADER, REPLAYS_HEADER, REPLAYED_AT_HEADER);
    static final int MAX_REASON_LENGTH = 2000;

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterPublisher.class);

    private final ProducerTemplate producer;
    private final ObjectMapper objectMapper;
    private final Clock clock;
    @org.springframework.beans.factory.annotation.Value("${hearth.queues.redelivery.max-redeliveries:0}")
    private int maxRedeliveries;

    public DeadLetterPublisher(ProducerTemplate producer, ObjectMapper objectMapper, Clock clock) {
        this.producer = producer;
        this.objectMapper = objectMapper;
        this.clock = clock;
    }

    public void publish(Exchange exchange) throws Exception {
        String stage = exchange.getProperty(StageQueueConsumer.STAGE_PROPERTY, String.class);
        if (stage == null) {
            throw new IllegalStateException("dead-letter publisher used outside a stage queue route");
        }
        BatchTransaction tx = exchange.getProperty(BatchTransaction.PROPERTY, BatchTransaction.class);
        if (tx != null && tx.aborted() != null) {
            // The batch failed as a whole (BatchFailures: its state-database connection broke), not this message:
            // nothing goes to the DLQ, and the exception stays on the exchange, so the consumer rolls the batch back.
            exchange.getExchangeExtension().setErrorHandlerHandled(false);
            return;
        }
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        org.apache.camel.Message message = exchange.getMessage();
        Object body = message.getBody();
        if (body != null && !(body instanceof String) && !(body instanceof byte[])) {
            // A split part (e.g. one mention of a payload) is an object: keep it readable as JSON.
            message.setBody(objectMapper.writeValueAsString(body));
        }
        String route = exchange.getProperty(Exchange.FAILURE_ROUTE_ID, String.class);
        // The error handler restored the original message (useOriginalMessage), so Camel's redelivery counter header is
        // gone: a message reaching this point exhausted the configured in-memory redeliveries.
        Integer counter = message.getHeader(Exchange.REDELIVERY_COUNTER, Integer.class);
        send(exchange, stage, route == null ? exchange.getFromRouteId() : route, reasonOf(cause),
                cause == null ? "unknown" : cause.getClass().getName(), 1 + (counter != null ? counter : maxRedeliveries));
    }

    /**
     * Puts the exchange's message on {@code DLQ.<stage>} stamped with the given reason; inside a stage
     * batch this joins the batch's transaction.
     */
    public void send(Exchange exchange, String stage, String route, String reason, String exceptionType) throws Exception {
        send(exchange, stage, route, reason, exceptionType, 1);
    }

    private void send(Exchange exchange, String stage, String route, String reason, String exceptionType, int attempts)
            throws Exception {
        org.apache.camel.Message message = exchange.getMessage();
        message.setHeader(REASON_HEADER, reason);
        message.setHeader(EXCEPTION_HEADER, exceptionType);
        message.setHeader(STAGE_HEADER, stage);
        message.setHeader(ROUTE_HEADER, route);
        String now = clock.instant().toString();
        message.setHeader(FAILED_AT_HEADER, now);
        if (message.getHeader(FIRST_FAILED_AT_HEADER) == null) {
            message.setHeader(FIRST_FAILED_AT_HEADER, now);
        }
        Integer before = message.getHeader(ATTEMPTS_HEADER, Integer.class);
        message.setHeader(ATTEMPTS_HEADER, (before == null ? 0 : before) + attempts);
        if (message.getHeader(ORIGINAL_MESSAGE_HEADER) == null && message.getHeader("JMSMessageID") != null) {
            message.setHeader(ORIGINAL_MESSAGE_HEADER, message.getHeader("JMSMessageID", String.class));
        }
        String dlq = StageQueues.deadLetterQueueOf(stage);
        Exchange sent = producer.send("queue:" + dlq, exchange);
        if (sent.getException() != null) {
            throw sent.getException();
        }
        BatchTransaction tx = exchange.getProperty(BatchTransaction.PROPERTY, BatchTransaction.class);
        SendLog log = tx == null ? null : tx.participant(SendLog.class, SendLog::new);
        if (log == null) {
            // not in a stage batch (or not on its thread): the send above was not transacted, it is on the DLQ now
            LOG.warn("Dead-lettered a message from {} (route {}) to {}: {}", stage, route, dlq, exceptionType);
        } else {
            // In a batch the send is part of the batch's transaction: the message is dead-lettered only if it commits.
            log.sends.add(new Send(stage, route, dlq, exceptionType));
        }
    }

    private record Send(String stage, String route, String dlq, String exceptionType) {
    }

    /**
     * The batch's DLQ sends, logged for what they became: "Dead-lettered" once the batch's commit went through, "not
     * dead-lettered" when it rolled back (the send was undone with it: nothing reached the DLQ, the message is
     * redelivered). Before, every send logged "Dead-lettered" at once, also those rolled back (chaos run 7: 103 lines,
     * none on the DLQ).
     */
    private static final class SendLog implements BatchTransaction.Participant {
        final java.util.List<Send> sends = new java.util.ArrayList<>();

        @Override
        public void beforeCommit() {
        }

        @Override
        public void afterCommit() {
            for (Send s : sends) {
                LOG.warn("Dead-lettered a message from {} (route {}) to {}: {}", s.stage(), s.route(), s.dlq(), s.exceptionType());
            }
        }

        @Override
        public void afterRollback() {
            for (Send s : sends) {
                LOG.info("Not dead-lettered: a message from {} (route {}) failed ({}), but its batch rolled back, so its"
                        + " send to {} was undone; the broker redelivers the message", s.stage(), s.route(), s.exceptionType(), s.dlq());
            }
        }
    }

    static String reasonOf(Throwable cause) {
        if (cause == null) {
            return "unknown failure";
        }
        String reason = cause.getClass().getSimpleName() + ": " + cause.getMessage();
        if (reason.length() <= MAX_REASON_LENGTH) {
            return reason;
        }
        // Never cut between the two halves of a surrogate pair (an emoji in the message).
        int end = Character.isHighSurrogate(reason.charAt(MAX_REASON_LENGTH - 1)) ? MAX_REASON_LENGTH - 1 : MAX_REASON_LENGTH;
        return reason.substring(0, end) + "…";
    }
}
