package io.hearth.queue;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.DefaultConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes up to {@code batchSize} messages (or as many as produce {@code batchSize} sends) inside one
 * transacted session, routes each one
 * synchronously, and commits once. A message whose routing ends in an exception that the route's
 * error handler did not handle (e.g. the dead-letter send failed) rolls the whole batch back;
 * the broker then redelivers it, and after its delivery limit moves it to the DLQ itself.
 * A crash mid-batch is the same as a rollback: nothing of the batch was committed.
 */
public class StageQueueConsumer extends DefaultConsumer {

    /** Exchange property naming the stage queue a message was consumed from. */
    public static final String STAGE_PROPERTY = "HearthStage";

    private static final Logger LOG = LoggerFactory.getLogger(StageQueueConsumer.class);

    private final StageQueueEndpoint endpoint;
    private final Counter consumed;
    private final Counter committedBatches;
    private final Counter rolledBack;
    private ExecutorService workers;
    private volatile boolean running;
    /** Ends the workers' pauses when the consumer stops. */
    private final Object stopSignal = new Object();
    /** Workers routing a batch (which a stop waits for). */
    private final java.util.concurrent.atomic.AtomicInteger inBatch = new java.util.concurrent.atomic.AtomicInteger();
    /**
     * The workers' consumers while they wait for a batch's first message, and nothing else (guarded by itself). A stop
     * closes these, which ends their wait at once: before, each stage route's stop sat out the rest of the receive
     * timeout (up to 1 s), one route after the other, some 2.5 s per hub shutdown. A worker routing a batch is not in
     * here: it finishes and commits its batch as before.
     */
    private final Set<MessageConsumer> idle = new HashSet<>();

    StageQueueConsumer(StageQueueEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.endpoint = endpoint;
        MeterRegistry registry = endpoint.getComponent().meterRegistry();
        String queue = endpoint.getQueueName();
        this.consumed = Counter.builder("hearth.queue.consumed").tag("queue", queue)
                .description("messages consumed and committed from a stage queue").register(registry);
        this.committedBatches = Counter.builder("hearth.queue.batches").tag("queue", queue)
                .description("transactions committed by a stage consumer").register(registry);
        this.rolledBack = Counter.builder("hearth.queue.rollbacks").tag("queue", queue)
                .description("batches rolled back (their messages are redelivered)").register(registry);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        running = true;
        int n = endpoint.getConcurrentConsumers();
        workers = getEndpoint().getCamelContext().getExecutorServiceManager()
                .newFixedThreadPool(this, "queue-" + endpoint.getQueueName(), n);
        for (int i = 0; i < n; i++) {
            workers.submit(this::consumeUntilStopped);
        }
    }

    @Override
    protected void doStop() throws Exception {
        running = false;
        synchronized (stopSignal) {
            stopSignal.notifyAll();
        }
        wakeIdleWorkers();
        if (workers != null) {
            workers.shutdown();
            // A worker routing a batch finishes and commits it. One that is connecting holds nothing: with the broker
            // gone it sits in the connection factory (whose connects are serialised, ~2 s each with retries) and would
            // hold up the stop, one route after the other; it is interrupted and ends on its own.
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(endpoint.getReceiveTimeout() + 30_000);
            synchronized (stopSignal) {
                long left;
                while (inBatch.get() > 0 && (left = deadline - System.nanoTime()) > 0) {
                    TimeUnit.NANOSECONDS.timedWait(stopSignal, left);
                }
            }
            if (!workers.awaitTermination(200, TimeUnit.MILLISECONDS)) {
                getEndpoint().getCamelContext().getExecutorServiceManager().shutdownNow(workers);
            }
            workers = null;
        }
        super.doStop();
    }

    private void consumeUntilStopped() {
        java.util.function.BooleanSupplier gate = endpoint.getStartWhen();
        while (running && gate != null && !gate.getAsBoolean()) {
            pause(200);   // not ready to consume (e.g. no contact directory yet): the queue holds the messages
        }
        while (running) {
            try (Connection connection = endpoint.getComponent().consumerConnectionFactory().createConnection()) {
                connection.start();
                Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
                MessageConsumer consumer = session.createConsumer(session.createQueue(endpoint.getQueueName()));
                BatchTransaction tx = new BatchTransaction(session);
                // learnt at once, not at the next receive or commit: a batch under way must not start work (a CRM call,
                // a database commit) that its dead session can no longer commit with (BatchTransaction.alive)
                connection.setExceptionListener(tx::connectionLost);
                while (running) {
                    Message first = receiveFirst(consumer);
                    if (first == null) {
                        continue;
                    }
                    // counted before running is read: a stop either sees this batch (and waits for it) or this worker
                    // sees the stop (and routes nothing); never neither (both are volatile/atomic)
                    inBatch.incrementAndGet();
                    try {
                        if (!running) {
                            // stopped while this message came in: give it back untouched (no routing, no side effect)
                            session.rollback();
                            break;
                        }
                        routeBatch(first, consumer, tx);
                    } finally {
                        inBatch.decrementAndGet();
                        synchronized (stopSignal) {
                            stopSignal.notifyAll();
                        }
                    }
                }
            } catch (JMSException | RuntimeException e) {
                if (running) {
                    LOG.warn("Consumer of {} lost its session ({}); reconnecting in 1s", endpoint.getQueueName(), e.toString());
                    pause(1000);
                }
            } catch (Error e) {
                // Before, an Error (e.g. a StackOverflowError in a step) ended this worker silently: one consumer fewer,
                // with nothing in the log. The batch was rolled back (routeBatch); keep consuming.
                if (running) {
                    LOG.error("Consumer of {} hit {} (its batch was rolled back); reconnecting in 1s", endpoint.getQueueName(),
                            e.getClass().getName());
                    pause(1000);
                }
            }
        }
    }

    /** Waits for a batch's first message; a stop ends the wait by closing the consumer (the receive returns null). */
    private Message receiveFirst(MessageConsumer consumer) throws JMSException {
        synchronized (idle) {
            if (!running) {
                return null;
            }
            idle.add(consumer);
        }
        try {
            return consumer.receive(endpoint.getReceiveTimeout());
        } finally {
            synchronized (idle) {
                idle.remove(consumer);
            }
        }
    }

    /** Ends the waits of the workers that have no batch open (JMS: a consumer may be closed from another thread). */
    private void wakeIdleWorkers() {
        synchronized (idle) {
            for (MessageConsumer consumer : idle) {
                try {
                    consumer.close();
                } catch (JMSException | RuntimeException e) {
                    LOG.debug("Consumer of {}: closing an idle consumer on stop failed: {}", endpoint.getQueueName(), e.toString());
                }
            }
            idle.clear();
        }
    }

    /**
     * Routes and commits (or rolls back) one batch. Whatever way it leaves, the batch is closed: on an exception (a
     * broker error while receiving or committing, an error thrown by a step) its participants roll back and give back
     * what they hold (e.g. a state-database connection with an open transaction and its row locks, which the
     * redelivered messages would otherwise wait on for ever), before the exception goes up to reconnect.
     */
    private void routeBatch(Message first, MessageConsumer consumer, BatchTransaction tx) throws JMSException {
        try {
            routeAndCommit(first, consumer, tx);
        } catch (JMSException | RuntimeException | Error e) {
            abandon(tx);
            throw e;
        }
    }

    /** Closes a batch that failed outside the normal rollback: participants first, then the session (best effort). */
    private void abandon(BatchTransaction tx) {
        try {
            tx.rolledBack();
        } catch (RuntimeException e) {
            LOG.warn("Batch from {}: a participant failed to roll back: {}", endpoint.getQueueName(), e.getClass().getName());
        }
        try {
            tx.session().rollback();
        } catch (JMSException | RuntimeException e) {
            // the session is gone with its connection: the broker puts the batch back anyway
        }
        rolledBack.increment();
    }

    private void routeAndCommit(Message first, MessageConsumer consumer, BatchTransaction tx) throws JMSException {
        int count = 0;
        Message message = first;
        long started = System.nanoTime();
        long windowEnds = started + TimeUnit.MILLISECONDS.toNanos(endpoint.getBatchWindow());
        BatchPolicy policy = endpoint.getBatchPolicy();
        if (policy != null) {
            policy.batchStarted();
        }
        while (message != null) {
            count++;
            if (!route(message, tx)) {
                // read before the rollback clears it: the batch was abandoned because the state database is unreachable
                boolean databaseLost = tx.aborted() != null && BatchFailures.isConnectionFailure(tx.aborted());
                rollback(tx);
                if (databaseLost) {
                    awaitStateDatabase();
                }
                return;
            }
            long last = System.nanoTime();
            // Bounded on both sides: a payload of many mentions must not make a huge, slow transaction.
            if (count >= endpoint.getBatchSize() || tx.sent() >= endpoint.getBatchSize() || !running) {
                break;
            }
            if (policy != null && policy.endNow(count, millisSince(started))) {
                break;
            }
            message = consumer.receiveNoWait();
            if (policy != null) {
                while (message == null && running) {
                    long wait = policy.waitForNext(count, millisSince(started), millisSince(last));
                    if (wait <= 0) {
                        break;
                    }
                    message = consumer.receive(wait);   // wait > 0: receive(0) would block for good
                }
            } else if (message == null && endpoint.getBatchWindow() > 0) {
                long left = TimeUnit.NANOSECONDS.toMillis(windowEnds - System.nanoTime());
                message = left > 0 ? consumer.receive(left) : null;
            }
        }
        if (!tx.alive()) {
            // The connection failed while the batch was routed: the JMS commit cannot succeed. Its before-commit work
            // (a database commit, the CRM writer's calls) is not started: the redelivered messages do it, here or on
            // another hub (docs/reliability.md "Broker restart").
            throw new JMSException("the broker connection of " + endpoint.getQueueName() + " was lost during the batch");
        }
        try {
            // e.g. the batch's dedup keys, written in one database transaction before the JMS commit
            tx.beforeCommit();
        } catch (Exception e) {
            LOG.warn("Batch from {} could not complete before commit; rolling it back: {}", endpoint.getQueueName(),
                    e.getClass().getName());
            rollback(tx);
            return;
        }
        tx.session().commit();
        tx.committed();
        committedBatches.increment();
        consumed.increment(count);
    }

    /**
     * After a batch abandoned because the state database is unreachable: take nothing more from the queue until the
     * database answers (the component's probe). Each rollback counts as a delivery attempt, and the broker dead-letters a
     * message after {@code max-delivery-attempts} (10): before, a worker took the batch again every ~0.5 s (or every
     * Hikari connection timeout, 30 s), so an outage of about 5 minutes moved healthy messages to the DLQ for nothing
     * (issue 18, left open). Now an outage costs each message at most one attempt per worker; the messages stay queued.
     */
    private void awaitStateDatabase() {
        java.util.function.BooleanSupplier answers = endpoint.getComponent().stateDatabaseProbe();
        if (answers == null) {
            return;
        }
        long since = System.nanoTime();
        boolean waited = false;
        while (running && !answers.getAsBoolean()) {
            if (!waited) {
                LOG.warn("Consumer of {}: the state database does not answer; taking nothing from the queue until it does"
                        + " (its messages stay queued, no delivery attempt is spent meanwhile)", endpoint.getQueueName());
                waited = true;
            }
            pause(1000);
        }
        if (waited && running) {
            LOG.info("Consumer of {}: the state database answers again after {} s; consuming", endpoint.getQueueName(),
                    millisSince(since) / 1000);
        }
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }

    private void rollback(BatchTransaction tx) throws JMSException {
        tx.rolledBack();
        tx.session().rollback();
        rolledBack.increment();
        // Give a broken downstream (a database, the DLQ) a moment before the redelivery.
        pause(500);
    }

    private boolean route(Message message, BatchTransaction tx) {
        tx.routing();
        Exchange exchange = createExchange(false);
        try {
            JmsMessages.toCamel(message, exchange);
            exchange.setProperty(BatchTransaction.PROPERTY, tx);
            exchange.setProperty(STAGE_PROPERTY, endpoint.getQueueName());
            // Transacted exchanges are routed synchronously on this thread, so every send in the
            // route (and the dead-letter send) joins the batch transaction.
            exchange.getExchangeExtension().setTransacted(true);
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        Exception failure = exchange.getException();
        releaseExchange(exchange, false);
        Throwable aborted = tx.aborted();
        if (aborted != null) {
            // A failure of the batch as a whole (BatchFailures: e.g. its state-database connection broke): the rest of
            // the batch would fail the same way, so it ends here, and nothing of it was retried or dead-lettered.
            LOG.warn("Batch from {} abandoned after {} message(s): {} (a connection-level failure, not the message's);"
                            + " rolling the whole batch back, nothing dead-lettered; the broker redelivers it",
                    endpoint.getQueueName(), tx.routed(), describe(aborted));
            return false;
        }
        if (failure != null) {
            // The exception text may quote personal data from the payload: log its type only.
            LOG.error("Unhandled failure routing a message from {}; rolling back its batch: {}",
                    endpoint.getQueueName(), failure.getClass().getName());
            return false;
        }
        return true;
    }

    /** Exception types down the cause chain, with the SQLSTATE where there is one; never a message (personal data). */
    static String describe(Throwable failure) {
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (Throwable t = failure; t != null && depth < 6; t = t.getCause() == t ? null : t.getCause(), depth++) {
            if (out.length() > 0) {
                out.append(" <- ");
            }
            out.append(t.getClass().getName());
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null) {
                out.append(" (SQLState ").append(sql.getSQLState()).append(')');
            }
        }
        return out.toString();
    }

    /**
     * Waits {@code millis}, or less when the consumer stops: before, a route's stop sat out its workers' pauses (1 s
     * between reconnects to a broker that is gone), one route after the other, 11-24 s for a hub stopped while its
     * broker was down.
     */
    private void pause(long millis) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (stopSignal) {
            long left;
            while (running && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(stopSignal, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
