package io.hearth.queue;

import java.util.Map;

import jakarta.jms.ConnectionFactory;

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
    private final StandaloneSender standaloneSender;
    private final MeterRegistry meterRegistry;
    private int batchSize = 100;
    private int concurrentConsumers = 2;
    private java.util.function.BooleanSupplier stateDatabaseProbe;

    public StageQueueComponent(ConnectionFactory connectionFactory, MeterRegistry meterRegistry) {
        this.connectionFactory = connectionFactory;
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
    }
}
