package io.hearth.queue;

import java.util.Map;

import jakarta.jms.ConnectionFactory;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Endpoint;
import org.apache.camel.support.DefaultComponent;

/**
 * Camel component {@code queue:<name>} for the hub's stage queues. Consumers take messages in
 * batches inside one JMS transaction and commit once per batch; sends made while routing a batch
 * join that transaction. Why not camel-jms: its listener commits every message, and the journal's
 * commit latency then caps a stage at a few hundred messages a second per consumer.
 */
public class StageQueueComponent extends DefaultComponent {

    private final ConnectionFactory connectionFactory;
    /**
     * The stage consumers' own copy of the factory. Artemis serialises an {@code ActiveMQConnectionFactory}'s connects,
     * and with the broker gone each attempt takes ~2 s: a dozen consumers reconnecting in a loop held the one shared
     * factory for good, and a send (the ingest API's, which answers 503 when it fails), broker health and the queue
     * depths waited their turn behind them: 28-56 s for a 503 (StageStopTest). Sends and the rest keep the shared one.
     */
    private final ConnectionFactory consumerConnectionFactory;
    private final StandaloneSender standaloneSender;
    private final MeterRegistry meterRegistry;
    private int batchSize = 100;
    private int concurrentConsumers = 2;
    private java.util.function.BooleanSupplier stateDatabaseProbe;

    public StageQueueComponent(ConnectionFactory connectionFactory, MeterRegistry meterRegistry) {
        this.connectionFactory = connectionFactory;
        this.consumerConnectionFactory = ownCopy(connectionFactory);
        this.standaloneSender = new StandaloneSender(connectionFactory);
        this.meterRegistry = meterRegistry != null ? meterRegistry : new SimpleMeterRegistry();
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (remaining == null || remaining.isBlank()) {
            throw new IllegalArgumentException("queue endpoint needs a queue name, e.g. queue:social.inbound");
        }
        StageQueueEndpoint endpoint = new StageQueueEndpoint(uri, this, remaining);
        endpoint.setBatchSize(batchSize);
        endpoint.setConcurrentConsumers(concurrentConsumers);
        setProperties(endpoint, parameters);
        return endpoint;
    }

    ConnectionFactory connectionFactory() {
        return connectionFactory;
    }

    /** The factory the stage consumers connect with (their own copy; see {@link #consumerConnectionFactory}). */
    ConnectionFactory consumerConnectionFactory() {
        return consumerConnectionFactory;
    }

    /** An Artemis factory copied with every setting (its URI carries them); any other factory as it is. */
    static ConnectionFactory ownCopy(ConnectionFactory factory) {
        if (factory instanceof ActiveMQConnectionFactory artemis) {
            try {
                return new ActiveMQConnectionFactory(artemis.toURI().toString(), artemis.getUser(), artemis.getPassword());
            } catch (Exception e) {
                throw new IllegalStateException("cannot copy the broker connection factory: " + e.getMessage(), e);
            }
        }
        return factory;
    }

    StandaloneSender standaloneSender() {
        return standaloneSender;
    }

    MeterRegistry meterRegistry() {
        return meterRegistry;
    }

    public void setBatchSize(int batchSize) {
        this.batchSize = batchSize;
    }

    public void setConcurrentConsumers(int concurrentConsumers) {
        this.concurrentConsumers = concurrentConsumers;
    }

    /**
     * "Does the state database answer?" A stage consumer whose batch was abandoned for a lost database connection
     * ({@link BatchFailures}) asks this until it says yes before it takes the next batch; null: it does not wait.
     */
    public void setStateDatabaseProbe(java.util.function.BooleanSupplier stateDatabaseProbe) {
        this.stateDatabaseProbe = stateDatabaseProbe;
    }

    java.util.function.BooleanSupplier stateDatabaseProbe() {
        return stateDatabaseProbe;
    }

    /** A probe that borrows a connection and checks it ({@code isValid}, 2 s); false on any failure. */
    public static java.util.function.BooleanSupplier probeOf(javax.sql.DataSource dataSource) {
        return () -> {
            try (java.sql.Connection c = dataSource.getConnection()) {
                return c.isValid(2);
            } catch (java.sql.SQLException | RuntimeException e) {
                return false;
            }
        };
    }

    @Override
    protected void doStop() throws Exception {
        standaloneSender.close();
        super.doStop();
        if (consumerConnectionFactory != connectionFactory && consumerConnectionFactory instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }
}
