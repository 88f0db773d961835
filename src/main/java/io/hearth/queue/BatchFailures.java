package io.hearth.queue;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.stereotype.Component;

/**
 * Tells a failure of the batch as a whole from a failure of one message (issue 18, chaos run 7), and ends the batch at
 * once on the former.
 * <p>
 * A <b>connection-level</b> failure of the state database (the connection is gone, the database is down or restarting,
 * the pool has no connection for us) is not caused by the message being routed: every later message of the batch fails
 * on the same dead connection, and the batch's database transaction is lost anyway. Retrying and dead-lettering it
 * message by message (as the error handler does for a data error) took ~1.4 s per message on a dead connection and
 * ~80 s for two batches after the database was back. Such a failure now aborts the batch
 * ({@link BatchTransaction#abort}): no in-memory retry, nothing dead-lettered, the whole batch rolled back and redelivered
 * by the broker on a fresh connection. A data error in one message (a constraint, a value too long, an aborted
 * statement) still isolates that message (its retries, then its DLQ with the reason).
 * <p>
 * Wired as the pipeline error handler's {@code onExceptionOccurredRef} ({@code routes/pipeline/error-handling.camel.yaml}):
 * it runs right after an exception, before the retry decision; marking the exchange rollback-only makes the error
 * handler skip the retries, and {@link DeadLetterPublisher} then sends nothing for an aborted batch.
 */
@Component("batchFailures")
public class BatchFailures implements Processor {

    /** SQLSTATEs that mean the connection or the server is gone (besides class 08, connection exception). */
    private static final Set<String> CONNECTION_STATES = Set.of(
            "57P01",   // PostgreSQL admin_shutdown (pg_ctl stop -m fast terminates the backends)
            "57P02",   // crash_shutdown
            "57P03",   // cannot_connect_now (the database system is starting up / in recovery)
            "53300",   // too_many_connections
            "90067",   // H2: connection is broken
            "90098",   // H2: the database has been closed
            "90121");  // H2: database called at shutdown

    @Override
    public void process(Exchange exchange) {
        BatchTransaction tx = exchange.getProperty(BatchTransaction.PROPERTY, BatchTransaction.class);
        if (tx == null || !tx.ownedByCurrentThread()) {
            return;   // not in a stage batch: the error handler does as configured
        }
        Exception failure = exchange.getException();
        if (tx.aborted() != null || isConnectionFailure(failure)) {
            tx.abort(failure);
            // No in-memory retry (it would meet the same dead connection): straight to the failure step, which sends
            // nothing for an aborted batch and leaves the exception in place, so the consumer rolls the batch back.
            exchange.setRollbackOnly(true);
        }
    }

    /**
     * True when {@code failure} (or any of its causes) says the state-database connection is unusable: an
     * {@link SQLException} of SQLSTATE class 08 (connection exception) or one of {@link #CONNECTION_STATES}, a
     * {@link SQLTransientConnectionException} (e.g. Hikari's "Connection is not available, request timed out"),
     * {@link SQLNonTransientConnectionException}, {@link SQLRecoverableException}, or Spring's
     * {@link CannotGetJdbcConnectionException}. A data error (constraint, value too long, syntax, an aborted
     * transaction's 25P02) is not.
     */
    public static boolean isConnectionFailure(Throwable failure) {
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, Boolean.TRUE) == null && seen.size() < 32; t = t.getCause()) {
            if (t instanceof CannotGetJdbcConnectionException || t instanceof SQLTransientConnectionException
                    || t instanceof SQLNonTransientConnectionException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql) {
                SQLException next = sql;
                for (int i = 0; next != null && i < 16; i++, next = next.getNextException()) {
                    String state = next.getSQLState();
                    if (state != null && (state.startsWith("08") || CONNECTION_STATES.contains(state))) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
