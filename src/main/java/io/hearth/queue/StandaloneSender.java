package io.hearth.queue;

import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

/**
 * Sends that are not part of a stage batch (the ingest API, file drops): each call is its own
 * transaction and returns only after the broker has committed it durably.
 */
final class StandaloneSender implements AutoCloseable {

    private final ConnectionFactory connectionFactory;
    private final BlockingQueue<Session> idle = new ArrayBlockingQueue<>(32);
    private Connection connection;

    StandaloneSender(ConnectionFactory connectionFactory) {
        this.connectionFactory = connectionFactory;
    }

    void send(String queue, List<org.apache.camel.Message> messages) throws JMSException {
        Session session = borrow();
        boolean healthy = false;
        try {
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            producer.setDeliveryMode(jakarta.jms.DeliveryMode.PERSISTENT);
            try {
                for (org.apache.camel.Message message : messages) {
                    producer.send(JmsMessages.toJms(session, message));
                }
                session.commit();
            } catch (RuntimeException | JMSException e) {
                session.rollback();
                throw e;
            } finally {
                producer.close();
            }
            healthy = true;
        } finally {
            if (healthy && idle.offer(session)) {
                return;
            }
            closeQuietly(session);
            if (!healthy) {
                resetConnection();
            }
        }
    }

    private Session borrow() throws JMSException {
        Session session = idle.poll();
        return session != null ? session : connection().createSession(true, Session.SESSION_TRANSACTED);
    }

    private synchronized Connection connection() throws JMSException {
        if (connection == null) {
            connection = connectionFactory.createConnection();
            connection.start();
        }
        return connection;
    }

    private synchronized void resetConnection() {
        // A failed send may mean a dead connection: start afresh next time rather than reuse it.
        idle.clear();
        if (connection != null) {
            try {
                connection.close();
            } catch (JMSException ignored) {
                // already broken
            }
            connection = null;
        }
    }

    private static void closeQuietly(Session session) {
        try {
            session.close();
        } catch (JMSException ignored) {
            // closing a broken session
        }
    }

    @Override
    public synchronized void close() {
        resetConnection();
    }
}
