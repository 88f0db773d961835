package io.hearth.privacy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.crm.CrmCommand;
import io.hearth.crm.CrmCommands;
import io.hearth.crm.InvalidCrmCommandException;
import io.hearth.identity.HandleNormaliser;
import io.hearth.queue.DeadLetterPublisher;
import io.hearth.queue.StageQueues;
import org.springframework.stereotype.Component;

/**
 * Erasure's last broker step: removes from every dead-letter queue ({@code DLQ.<stage>}) the messages about the erased
 * person, which would otherwise keep their posts and handles for ever (a DLQ keeps what it holds until an operator acts).
 *
 * <p>A message is about the person when
 * <ul>
 * <li>it is a CRM command the {@link PrivacyGate} drops now (the erasure has already blocked the person), or</li>
 * <li>its JSON body holds, as a whole string value, one of the person's contact ids (15 or 18 characters) or handles
 * (compared as {@link HandleNormaliser} spells them, also as a profile URL or a {@code channel:handle} external id;
 * when the JSON names its {@code channel}, only that channel's handles count), or</li>
 * <li>a body that is not JSON (XML feed items, unreadable payloads) or the failure reason holds one of them as a whole
 * word.</li>
 * </ul>
 * A post by someone else that only quotes the handle inside its text is kept (JSON); in XML and unparsable bodies the
 * word match also removes such posts: the handle is the person's data too, and such items are failures awaiting an
 * operator anyway.
 *
 * <p>Works with the embedded and with an external broker: JMS browse, then each chosen message is consumed by its
 * {@code JMSMessageID} in a transacted session.
 */
@Component
public class DeadLetterPurge {

    /** Who is erased: contact ids and handles (channel + handle as given). */
    public record Subject(Collection<String> contactIds, Collection<Handle> handles) {
    }

    public record Handle(String channel, String handle) {
    }

    private static final Pattern WORD = Pattern.compile("[^\\p{L}\\p{N}_.@:/\\-]+");
    private static final long RECEIVE_TIMEOUT_MS = 2_000;

    private final ConnectionFactory connectionFactory;
    private final ObjectMapper json;
    private final CrmCommands commands;
    private final PrivacyGate gate;

    public DeadLetterPurge(ConnectionFactory connectionFactory, ObjectMapper json, CrmCommands commands, PrivacyGate gate) {
        this.connectionFactory = connectionFactory;
        this.json = json;
        this.commands = commands;
        this.gate = gate;
    }

    /** Removes the subject's messages from every DLQ; returns how many were removed. */
    public int purge(Subject subject) {
        if (subject.contactIds().isEmpty() && subject.handles().isEmpty()) {
            return 0;
        }
        int removed = 0;
        try (Connection connection = connectionFactory.createConnection()) {
            connection.start();
            for (String stage : StageQueues.STAGES) {
                removed += purge(connection, StageQueues.deadLetterQueueOf(stage), subject);
            }
        } catch (JMSException e) {
            throw new IllegalStateException("broker unavailable while purging dead letters", e);
        }
        return removed;
    }

    private int purge(Connection connection, String dlq, Subject subject) throws JMSException {
        List<String> ids = new ArrayList<>();
        try (Session browsing = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            Queue queue = browsing.createQueue(dlq);
            try (QueueBrowser browser = browsing.createBrowser(queue)) {
                Enumeration<?> messages = browser.getEnumeration();
                while (messages.hasMoreElements()) {
                    Message m = (Message) messages.nextElement();
                    if (m.getJMSMessageID() != null && concerns(m, subject)) {
                        ids.add(m.getJMSMessageID());
                    }
                }
            }
        }
        int removed = 0;
        try (Session session = connection.createSession(true, Session.SESSION_TRANSACTED)) {
            Queue queue = session.createQueue(dlq);
            for (String id : ids) {
                try (MessageConsumer consumer = session.createConsumer(queue, "JMSMessageID = '" + id.replace("'", "''") + "'")) {
                    if (consumer.receive(RECEIVE_TIMEOUT_MS) != null) {
                        removed++;
                    }
                }
                session.commit();
            }
        }
        return removed;
    }

    /** True when the message is about the subject (see the class comment). */
    boolean concerns(Message m, Subject subject) throws JMSException {
        String body = body(m);
        String reason = m.getStringProperty(DeadLetterPublisher.REASON_HEADER);
        if (reason != null && anyWord(reason, null, subject)) {
            return true;
        }
        if (body == null) {
            return false;
        }
        JsonNode tree;
        try {
            tree = json.readTree(body);
        } catch (java.io.IOException notJson) {
            return anyWord(body, null, subject);
        }
        if (tree == null || tree.isMissingNode()) {
            return anyWord(body, null, subject);
        }
        if (tree.isObject() && CrmCommand.SCHEMA.equals(tree.path("schema").asText(null))) {
            try {
                if (gate.drops(commands.parse(body))) {
                    return true;
                }
            } catch (InvalidCrmCommandException invalid) {
                // an invalid command: still checked by its values below
            }
        }
        String channel = tree.path("channel").isTextual() ? canonicalChannel(tree.path("channel").asText()) : null;
        return anyValue(tree, channel, subject);
    }

    private boolean anyValue(JsonNode node, String channel, Subject subject) {
        if (node.isTextual()) {
            return matches(node.asText(), channel, subject);
        }
        if (node.isContainerNode()) {
            Iterator<JsonNode> children = node.elements();
            while (children.hasNext()) {
                if (anyValue(children.next(), channel, subject)) {
                    return true;
                }
            }
        }
        return false;
    }

    private boolean anyWord(String text, String channel, Subject subject) {
        for (String word : WORD.split(text)) {
            if (!word.isEmpty() && matches(word, channel, subject)) {
                return true;
            }
        }
        return false;
    }

    /** One value: a contact id of the subject, or one of its handles in any of the spellings the hub knows. */
    static boolean matches(String value, String channel, Subject subject) {
        String v = value.strip();
        if (v.isEmpty() || v.length() > 512) {
            return false;
        }
        if (v.length() == 15 || v.length() == 18) {
            for (String contact : subject.contactIds()) {
                if (contact != null && contact.length() >= 15 && v.startsWith(contact.substring(0, 15))) {
                    return true;
                }
            }
        }
        for (Handle h : subject.handles()) {
            String c;
            try {
                c = HandleNormaliser.channel(h.channel());
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (channel != null && !channel.equals(c)) {
                continue;
            }
            String normalised = HandleNormaliser.normalise(c, h.handle());
            if (normalised == null) {
                continue;
            }
            String candidate = v.toLowerCase(Locale.ROOT);
            if (candidate.equals(c + ":" + normalised) || normalised.equals(safeNormalise(c, v))) {
                return true;
            }
        }
        return false;
    }

    private static String safeNormalise(String channel, String value) {
        try {
            return HandleNormaliser.normalise(channel, value);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String canonicalChannel(String channel) {
        try {
            return HandleNormaliser.channel(channel);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String body(Message m) throws JMSException {
        if (m instanceof TextMessage t) {
            return t.getText();
        }
        if (m instanceof BytesMessage b) {
            byte[] bytes = new byte[(int) Math.min(b.getBodyLength(), 16 * 1024 * 1024)];
            b.readBytes(bytes);
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
        return null;
    }
}
