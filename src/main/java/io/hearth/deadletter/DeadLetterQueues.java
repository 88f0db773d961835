package io.hearth.deadletter;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import io.hearth.queue.StageQueues;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The dead-letter queues over plain JMS (so the same code works with the embedded broker and an external one): browse
 * (never consumes), replay (consume from {@code DLQ.<stage>} and send to {@code <stage>} in one transacted session, so a
 * crash half-way neither loses nor doubles a message), discard (consume and commit).
 * <p>
 * Messages are picked by their JMS message id with a selector ({@code JMSMessageID IN (...)}); the ids come from a
 * browse, so a bulk replay moves what matched its filter when it was asked, never a message that arrived after.
 */
@Component
public class DeadLetterQueues {

    /** Messages moved per transaction of a bulk replay. */
    static final int CHUNK = 100;
    /** How long a replay waits for a selected message to reach its consumer. */
    static final long RECEIVE_TIMEOUT_MS = 2000;

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterQueues.class);

    private final ConnectionFactory connectionFactory;
    private final Clock clock;

    public DeadLetterQueues(ConnectionFactory connectionFactory, Clock clock) {
        this.connectionFactory = connectionFactory;
        this.clock = clock;
    }

    /** The hub's DLQs, one per stage. */
    public static List<String> queues() {
        return StageQueues.STAGES.stream().map(StageQueues::deadLetterQueueOf).toList();
    }

    public static boolean known(String queue) {
        return queues().contains(queue);
    }

    public static String stageOf(String queue) {
        return queue.substring(StageQueues.DLQ_PREFIX.length());
    }

    /** A page of one DLQ: its count (browsed), its oldest message's failure time, and the page's messages. */
    public record Page(String queue, int count, Instant oldest, List<DeadLetter> messages) {
    }

    public Page page(String queue, int offset, int limit) throws JMSException {
        List<DeadLetter> messages = new ArrayList<>();
        int[] count = {0};
        Instant[] oldest = {null};
        browse(queue, message -> {
            int index = count[0]++;
            if (index == 0 || (index >= offset && index < offset + limit)) {
                DeadLetter letter = read(queue, message, false);
                if (index == 0) {
                    oldest[0] = letter.firstFailedAt();
                }
                if (index >= offset && index < offset + limit) {
                    messages.add(letter.withoutPersonalData());
                }
            }
            return true;
        });
        return new Page(queue, count[0], oldest[0], messages);
    }

    /** One message, with its body and full reason when {@code includeBody}. */
    public Optional<DeadLetter> find(String queue, String id, boolean includeBody) throws JMSException {
        DeadLetter[] found = {null};
        browse(queue, message -> {
            if (id.equalsIgnoreCase(DeadLetterHeaders.idOf(message.getJMSMessageID()))) {
                DeadLetter letter = read(queue, message, includeBody);
                found[0] = includeBody ? letter : letter.withoutPersonalData();
                return false;
            }
            return true;
        });
        return Optional.ofNullable(found[0]);
    }

    /** What a replay or discard did: how many were asked for (selected), how many it moved or removed. */
    public record Outcome(int selected, int done, List<String> ids, List<String> missing) {
    }

    /** Replays the messages with these ids (or, with {@code ids == null}, those matching {@code filter}). */
    public Outcome replay(String queue, Set<String> ids, DeadLetterFilter filter) throws JMSException {
        Set<String> selected = ids != null ? ids : select(queue, filter);
        return move(queue, selected, stageOf(queue));
    }

    /** Removes one message for good. */
    public Outcome discard(String queue, String id) throws JMSException {
        return move(queue, Set.of(id), null);
    }

    private Set<String> select(String queue, DeadLetterFilter filter) throws JMSException {
        Set<String> ids = new LinkedHashSet<>();
        browse(queue, message -> {
            if (filter.matches(read(queue, message, false))) {
                ids.add(DeadLetterHeaders.idOf(message.getJMSMessageID()));
            }
            return true;
        });
        return ids;
    }

    /**
     * Consumes the selected messages from {@code queue}, {@value #CHUNK} per transaction, and (when {@code stage} is
     * given) sends each one's replay to the stage in the same transaction; without a stage the messages are discarded.
     */
    private Outcome move(String queue, Set<String> selected, String stage) throws JMSException {
        List<String> done = new ArrayList<>();
        List<String> todo = new ArrayList<>(selected);
        try (Connection connection = connectionFactory.createConnection()) {
            connection.start();
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            Queue source = session.createQueue(queue);
            MessageProducer producer = null;
            if (stage != null) {
                producer = session.createProducer(session.createQueue(stage));
                producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            }
            for (int from = 0; from < todo.size(); from += CHUNK) {
                List<String> chunk = todo.subList(from, Math.min(todo.size(), from + CHUNK));
                String selector = "JMSMessageID IN (" + chunk.stream().map(id -> "'ID:" + id + "'")
                        .collect(Collectors.joining(",")) + ")";
                List<String> moved = new ArrayList<>();
                try (MessageConsumer consumer = session.createConsumer(source, selector)) {
                    while (moved.size() < chunk.size()) {
                        Message message = consumer.receive(RECEIVE_TIMEOUT_MS);
                        if (message == null) {
                            break;
                        }
                        if (producer != null) {
                            producer.send(replayOf(session, message, stage));
                        }
                        moved.add(DeadLetterHeaders.idOf(message.getJMSMessageID()));
                    }
                    session.commit();
                } catch (JMSException | RuntimeException e) {
                    rollbackQuietly(session);
                    throw e;
                }
                done.addAll(moved);
            }
        }
        List<String> missing = new ArrayList<>(todo);
        missing.removeAll(done);
        if (!done.isEmpty()) {
            LOG.info("{} {} message(s) of {}{}", stage != null ? "Replayed" : "Discarded", done.size(), queue,
                    stage != null ? " to " + stage : "");
        }
        return new Outcome(todo.size(), done.size(), done, missing);
    }

    private TextMessage replayOf(Session session, Message message, String stage) throws JMSException {
        String body = text(message);
        if (body == null) {
            throw new IllegalStateException("a dead letter without a text body cannot be replayed");
        }
        TextMessage replay = session.createTextMessage(body);
        Map<String, Object> properties = DeadLetterHeaders.replayProperties(properties(message), message.getJMSMessageID(),
                stage, body, clock.instant());
        for (Map.Entry<String, Object> p : properties.entrySet()) {
            replay.setObjectProperty(p.getKey(), p.getValue());
        }
        Object group = properties.get(StageQueues.GROUP_HEADER);
        if (group != null) {
            replay.setStringProperty("JMSXGroupID", group.toString());
        }
        return replay;
    }

    private interface Visitor {
        /** Answers false to stop the browse. */
        boolean visit(Message message) throws JMSException;
    }

    private void browse(String queue, Visitor visitor) throws JMSException {
        try (Connection connection = connectionFactory.createConnection()) {
            connection.start();
            Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
            try (QueueBrowser browser = session.createBrowser(session.createQueue(queue))) {
                Enumeration<?> messages = browser.getEnumeration();
                while (messages.hasMoreElements()) {
                    if (!visitor.visit((Message) messages.nextElement())) {
                        return;
                    }
                }
            }
        }
    }

    private static DeadLetter read(String queue, Message message, boolean includeBody) throws JMSException {
        return DeadLetterHeaders.read(queue, message.getJMSMessageID(), properties(message), message.getJMSTimestamp(),
                includeBody ? text(message) : null);
    }

    private static Map<String, Object> properties(Message message) throws JMSException {
        Map<String, Object> out = new LinkedHashMap<>();
        Enumeration<?> names = message.getPropertyNames();
        while (names.hasMoreElements()) {
            String name = (String) names.nextElement();
            out.put(name, message.getObjectProperty(name));
        }
        return out;
    }

    private static String text(Message message) throws JMSException {
        return message instanceof TextMessage t ? t.getText() : null;
    }

    private static void rollbackQuietly(Session session) {
        try {
            session.rollback();
        } catch (JMSException ignored) {
            // the session is broken; nothing was committed
        }
    }
}
