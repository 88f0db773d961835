package io.hearth.queue;

import java.util.Enumeration;
import java.util.Map;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import org.apache.camel.Exchange;

/** Copies between Camel messages and JMS text messages: body as text, simple headers as properties. */
final class JmsMessages {

    static final String MESSAGE_ID = "JMSMessageID";
    static final String DELIVERY_COUNT = "JMSXDeliveryCount";
    static final String GROUP_HEADER = StageQueues.GROUP_HEADER;

    private JmsMessages() {
    }

    static TextMessage toJms(Session session, org.apache.camel.Message camel) throws JMSException {
        // Jackson's marshal leaves bytes: decode them directly (the type converter goes through a Reader).
        Object raw = camel.getBody();
        String body = raw instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                : camel.getBody(String.class);
        if (body == null) {
            throw new IllegalArgumentException("cannot enqueue a message without a body");
        }
        TextMessage message = session.createTextMessage(body);
        for (Map.Entry<String, Object> header : camel.getHeaders().entrySet()) {
            if (isPortable(header.getKey(), header.getValue())) {
                message.setObjectProperty(header.getKey(), header.getValue());
            }
        }
        Object group = camel.getHeader(GROUP_HEADER);
        if (group != null) {
            // Artemis message grouping: one group's messages go to one consumer, in order
            message.setStringProperty("JMSXGroupID", group.toString());
        }
        return message;
    }

    static void toCamel(Message jms, Exchange exchange) throws JMSException {
        org.apache.camel.Message in = exchange.getIn();
        if (jms instanceof TextMessage text) {
            in.setBody(text.getText());
        } else {
            throw new IllegalArgumentException("stage queues carry text messages, got " + jms.getClass().getSimpleName());
        }
        Enumeration<?> names = jms.getPropertyNames();
        while (names.hasMoreElements()) {
            String name = (String) names.nextElement();
            if (!name.startsWith("_AMQ") && !name.startsWith("JMSX")) {
                in.setHeader(name, jms.getObjectProperty(name));
            }
        }
        in.setHeader(MESSAGE_ID, jms.getJMSMessageID());
        in.setHeader(DELIVERY_COUNT, jms.getIntProperty(DELIVERY_COUNT));
    }

    /** Only our own simple headers travel: Camel internals, JMS headers and rich objects do not. */
    static boolean isPortable(String name, Object value) {
        if (name.startsWith("Camel") || name.startsWith("JMS") || name.startsWith("_AMQ")) {
            return false;
        }
        // The JMS property types; any other Number (BigDecimal, AtomicLong...) fails the send.
        if (!(value instanceof String || value instanceof Integer || value instanceof Long || value instanceof Double
                || value instanceof Boolean || value instanceof Short || value instanceof Byte || value instanceof Float)) {
            return false;
        }
        if (name.isEmpty() || !Character.isJavaIdentifierStart(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            if (!Character.isJavaIdentifierPart(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
