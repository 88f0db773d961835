package io.hearth.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Every {@code hearth.*} setting. Defaults live in {@code config/application.yml}; the values
 * here are only the fallback when that file does not set them.
 */
@ConfigurationProperties(prefix = "hearth")
public class HearthProperties {

    /** Where the journal, the state database and the inbox live. */
    private Path dataDir = Path.of("data");
    /** Bearer key for /api; generated per run in sandbox mode when blank. */
    private String apiKey = "";
    private final Broker broker = new Broker();
    private final Queues queues = new Queues();
    /** Source name → its settings ({@code enabled} plus source-specific keys). */
    private Map<String, Map<String, String>> sources = new LinkedHashMap<>();

    public Path getDataDir() { return dataDir; }
    public void setDataDir(Path dataDir) { this.dataDir = dataDir; }
    public String getApiKey() { return apiKey; }
    public void setApiKey(String apiKey) { this.apiKey = apiKey; }
    public Broker getBroker() { return broker; }
    public Queues getQueues() { return queues; }
    public Map<String, Map<String, String>> getSources() { return sources; }
    public void setSources(Map<String, Map<String, String>> sources) { this.sources = sources; }

    public static class Broker {
        /** Blank: run the embedded broker. Otherwise an Artemis URL, e.g. tcp://artemis:61616. */
        private String url = "";
        private String user = "";
        private String password = "";
        /** TCP port the embedded broker also listens on (loopback); 0 keeps it in-VM only. */
        private int embeddedPort = 0;
        private String embeddedHost = "127.0.0.1";
        /** How long the journal waits to group commits into one write (Artemis journal-buffer-timeout). */
        private Duration journalBufferTimeout = Duration.ofNanos(500_000);
        /**
         * The embedded broker's memory bound (Artemis global-max-size): queued messages beyond it are paged to disk
         * under {@code <data-dir>/broker/paging}. Unset: derived from the max heap, see {@link BrokerMemory}.
         */
        private DataSize globalMaxSize;

        public String getUrl() { return url; }
        public void setUrl(String url) { this.url = url; }
        public String getUser() { return user; }
        public void setUser(String user) { this.user = user; }
        public String getPassword() { return password; }
        public void setPassword(String password) { this.password = password; }
        public int getEmbeddedPort() { return embeddedPort; }
        public void setEmbeddedPort(int embeddedPort) { this.embeddedPort = embeddedPort; }
        public String getEmbeddedHost() { return embeddedHost; }
        public void setEmbeddedHost(String embeddedHost) { this.embeddedHost = embeddedHost; }
        public Duration getJournalBufferTimeout() { return journalBufferTimeout; }
        public void setJournalBufferTimeout(Duration journalBufferTimeout) { this.journalBufferTimeout = journalBufferTimeout; }
        public DataSize getGlobalMaxSize() { return globalMaxSize; }
        public void setGlobalMaxSize(DataSize globalMaxSize) { this.globalMaxSize = globalMaxSize; }
        public boolean isEmbedded() { return url == null || url.isBlank(); }
    }

    public static class Queues {
        /** Messages taken and committed in one transaction by a stage consumer. */
        private int batchSize = 100;
        /** Consumers (threads, each with its own transacted session) per stage queue. */
        private int concurrentConsumers = 2;
        private final Redelivery redelivery = new Redelivery();

        public int getBatchSize() { return batchSize; }
        public void setBatchSize(int batchSize) { this.batchSize = batchSize; }
        public int getConcurrentConsumers() { return concurrentConsumers; }
        public void setConcurrentConsumers(int concurrentConsumers) { this.concurrentConsumers = concurrentConsumers; }
        public Redelivery getRedelivery() { return redelivery; }
    }

    /**
     * Redelivery in one place. Camel retries a failing message in memory with back-off
     * ({@code maxRedeliveries}) and then dead-letters it; the broker's own limit
     * ({@code maxDeliveryAttempts}) catches messages whose batch keeps rolling back (e.g. a crash
     * while processing them).
     */
    public static class Redelivery {
        private int maxRedeliveries = 3;
        private Duration initialDelay = Duration.ofMillis(200);
        private double multiplier = 2.0;
        private Duration maxDelay = Duration.ofSeconds(5);
        private int maxDeliveryAttempts = 10;
        private Duration brokerRedeliveryDelay = Duration.ofSeconds(1);

        public int getMaxRedeliveries() { return maxRedeliveries; }
        public void setMaxRedeliveries(int maxRedeliveries) { this.maxRedeliveries = maxRedeliveries; }
        public Duration getInitialDelay() { return initialDelay; }
        public void setInitialDelay(Duration initialDelay) { this.initialDelay = initialDelay; }
        public double getMultiplier() { return multiplier; }
        public void setMultiplier(double multiplier) { this.multiplier = multiplier; }
        public Duration getMaxDelay() { return maxDelay; }
        public void setMaxDelay(Duration maxDelay) { this.maxDelay = maxDelay; }
        public int getMaxDeliveryAttempts() { return maxDeliveryAttempts; }
        public void setMaxDeliveryAttempts(int maxDeliveryAttempts) { this.maxDeliveryAttempts = maxDeliveryAttempts; }
        public Duration getBrokerRedeliveryDelay() { return brokerRedeliveryDelay; }
        public void setBrokerRedeliveryDelay(Duration brokerRedeliveryDelay) { this.brokerRedeliveryDelay = brokerRedeliveryDelay; }
    }
}
