package io.hearth.queue;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.jms.ConnectionFactory;

import io.hearth.config.BrokerMemory;
import io.hearth.config.DataPaths;
import io.hearth.config.HearthProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.io.aio.AIOSequentialFileFactory;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.DependsOn;

/**
 * The broker: an embedded, persistent Artemis under the data directory unless
 * {@code hearth.broker.url} names an external one. Stage queues, their DLQs and the broker-side
 * redelivery limits are declared here, from {@code hearth.queues.redelivery}.
 */
@org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
public class BrokerConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerConfiguration.class);
    /** Distinct in-VM ids, so several hubs in one JVM (tests) never share a broker by accident. */
    private static final AtomicInteger IN_VM_IDS = new AtomicInteger();

    @Bean(destroyMethod = "stop")
    // Bad configuration must stop startup before the broker writes a journal into the data dir.
    @DependsOn("configurationCheck")
    EmbeddedBroker embeddedBroker(HearthProperties properties, DataPaths paths) throws Exception {
        if (!properties.getBroker().isEmbedded()) {
            BrokerUrl.check(properties.getBroker().getUrl());
            return EmbeddedBroker.none();
        }
        int inVmId = IN_VM_IDS.incrementAndGet();
        Configuration config = brokerConfiguration(properties, paths.broker(), inVmId);
        EmbeddedActiveMQ server = new EmbeddedActiveMQ().setConfiguration(config);
        server.start();
        LOG.info("Embedded Artemis started: journal {} in {}, pages to disk above {} MB of queued messages{}",
                config.getJournalType(), config.getJournalLocation(), config.getGlobalMaxSize() >> 20, properties.getBroker().getEmbeddedPort() > 0
                        ? ", also on tcp://" + properties.getBroker().getEmbeddedHost() + ":" + properties.getBroker().getEmbeddedPort()
                        : "");
        return new EmbeddedBroker(server, "vm://" + inVmId);
    }

    @Bean
    ConnectionFactory connectionFactory(HearthProperties properties, EmbeddedBroker embeddedBroker) {
        HearthProperties.Broker broker = properties.getBroker();
        String url = embeddedBroker.isRunning() ? embeddedBroker.url() : broker.getUrl();
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
        if (!broker.getUser().isBlank()) {
            factory.setUser(broker.getUser());
            factory.setPassword(broker.getPassword());
        }
        // Every send to a stage queue waits for the broker's durable acknowledgement.
        factory.setBlockOnDurableSend(true);
        return factory;
    }

    @Bean("queue")
    StageQueueComponent stageQueueComponent(ConnectionFactory connectionFactory, HearthProperties properties,
                                            ObjectProvider<MeterRegistry> meterRegistry,
                                            ObjectProvider<javax.sql.DataSource> stateDatabase) {
        StageQueueComponent component = new StageQueueComponent(connectionFactory, meterRegistry.getIfAvailable());
        javax.sql.DataSource dataSource = stateDatabase.getIfAvailable();
        if (dataSource != null) {
            component.setStateDatabaseProbe(StageQueueComponent.probeOf(dataSource));
        }
        component.setBatchSize(properties.getQueues().getBatchSize());
        component.setConcurrentConsumers(properties.getQueues().getConcurrentConsumers());
        return component;
    }

    public static Configuration brokerConfiguration(HearthProperties properties, Path root, int inVmId) throws Exception {
        HearthProperties.Broker broker = properties.getBroker();
        ConfigurationImpl config = new ConfigurationImpl();
        config.setName("hearth");
        config.setPersistenceEnabled(true);
        config.setSecurityEnabled(false);
        config.setJMXManagementEnabled(false);
        config.setJournalDirectory(root.resolve("journal").toString());
        config.setBindingsDirectory(root.resolve("bindings").toString());
        config.setPagingDirectory(root.resolve("paging").toString());
        config.setLargeMessagesDirectory(root.resolve("large-messages").toString());
        config.setNodeManagerLockDirectory(root.toString());
        boolean aio = AIOSequentialFileFactory.isSupported();
        config.setJournalType(aio ? JournalType.ASYNCIO : JournalType.NIO);
        int bufferTimeoutNanos = (int) broker.getJournalBufferTimeout().toNanos();
        config.setJournalBufferTimeout_NIO(bufferTimeoutNanos);
        config.setJournalBufferTimeout_AIO(bufferTimeoutNanos);
        // Bounded, so a burst pages to disk instead of filling the heap the hub needs (BrokerMemory says why this size).
        config.setGlobalMaxSize(BrokerMemory.globalMaxSize(broker.getGlobalMaxSize(), Runtime.getRuntime().maxMemory()));
        config.addAcceptorConfiguration("in-vm", "vm://" + inVmId);
        if (broker.getEmbeddedPort() > 0) {
            config.addAcceptorConfiguration("tcp", "tcp://" + broker.getEmbeddedHost() + ":" + broker.getEmbeddedPort());
        }
        HearthProperties.Redelivery redelivery = properties.getQueues().getRedelivery();
        for (String stage : StageQueues.STAGES) {
            String dlq = StageQueues.deadLetterQueueOf(stage);
            AddressSettings stageSettings = new AddressSettings()
                    .setDeadLetterAddress(SimpleString.of(dlq))
                    // PAGE is Artemis's default; said here because BLOCK would stall the ingest API and DROP/FAIL
                    // would lose or refuse accepted mentions once global-max-size is reached.
                    .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                    // Stage messages carry no expiry; should one ever expire, it is a failure too.
                    .setExpiryAddress(SimpleString.of(dlq))
                    .setMaxDeliveryAttempts(redelivery.getMaxDeliveryAttempts())
                    .setRedeliveryDelay(redelivery.getBrokerRedeliveryDelay().toMillis());
            if (StageQueues.GROUPED.contains(stage)) {
                // for a stage queue created later (auto-created); the declared one says it itself (stageQueue)
                stageSettings.setDefaultGroupRebalance(true).setDefaultGroupRebalancePauseDispatch(true);
            }
            config.addAddressSetting(stage, stageSettings);
            // A DLQ keeps what it holds: a tool that reads and rolls back never makes the broker drop it.
            // DLA/expiry point at the DLQ itself only to say "stays here" (and keep Artemis from warning).
            config.addAddressSetting(dlq, new AddressSettings().setMaxDeliveryAttempts(-1)
                    .setAddressFullMessagePolicy(AddressFullMessagePolicy.PAGE)
                    .setDeadLetterAddress(SimpleString.of(dlq)).setExpiryAddress(SimpleString.of(dlq)));
            // Declared as addresses with their queue, as broker.xml's <addresses> does: Configuration.addQueueConfiguration
            // goes through CoreQueueConfiguration, which drops group-rebalance-pause-dispatch (Artemis 2.44).
            config.addAddressConfiguration(anycast(stageQueue(stage)));
            config.addAddressConfiguration(anycast(QueueConfiguration.of(dlq).setRoutingType(RoutingType.ANYCAST).setDurable(true)));
        }
        return config;
    }

    /**
     * A stage queue; a grouped one (StageQueues.GROUPED) rebalances its message groups. A group (one author's messages,
     * StageQueues.GROUP_HEADER) stays pinned to the consumer that took it first: after a broker restart the first
     * consumer to reconnect took every group, and a hub that reconnected later got none of the resent work. Group
     * rebalancing forgets every pinning when a consumer joins, so the groups spread over all consumers again.
     * Pause-dispatch keeps the order while it does: the queue dispatches nothing until every message delivered before
     * (received, or acknowledged in a transaction not yet committed) is committed or back on the queue, so no later
     * message of a group reaches a new consumer while an earlier one is still in another consumer's batch
     * (docs/scaling.md "Group rebalancing"). Set on the queue, not only as the address setting's default: an existing
     * queue (a persisted journal) does not take up address-setting defaults, but the broker updates a declared queue
     * from its declaration at every start (shown by GroupRebalanceTest while rebalancing was on, commit 48d3f24).
     */
    static QueueConfiguration stageQueue(String stage) {
        QueueConfiguration queue = QueueConfiguration.of(stage).setRoutingType(RoutingType.ANYCAST).setDurable(true);
        return StageQueues.GROUPED.contains(stage) ? queue.setGroupRebalance(true).setGroupRebalancePauseDispatch(true) : queue;
    }

    private static CoreAddressConfiguration anycast(QueueConfiguration queue) {
        return new CoreAddressConfiguration().setName(queue.getName().toString()).addRoutingType(RoutingType.ANYCAST)
                .addQueueConfig(queue.setAddress(queue.getName()));
    }

    /** The embedded server, or nothing when an external broker is configured. */
    public static final class EmbeddedBroker {
        private final EmbeddedActiveMQ server;
        private final String url;

        EmbeddedBroker(EmbeddedActiveMQ server, String url) {
            this.server = server;
            this.url = url;
        }

        static EmbeddedBroker none() {
            return new EmbeddedBroker(null, null);
        }

        public boolean isRunning() {
            return server != null && server.getActiveMQServer().isActive();
        }

        public String url() {
            return url;
        }

        public EmbeddedActiveMQ server() {
            return server;
        }

        public void stop() throws Exception {
            if (server != null) {
                server.stop();
            }
        }
    }
}
