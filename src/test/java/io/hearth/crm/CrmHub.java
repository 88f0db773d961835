package io.hearth.crm;

import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

import io.hearth.queue.BrokerConfiguration;
import io.hearth.support.QueueProbe;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.DynamicPropertyRegistry;

/** What the CRM writer tests share: a hub in sandbox mode on a known sandbox port, camel-salesforce pointed at it. */
abstract class CrmHub {

    static final DateTimeFormatter SF_DATETIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    @Autowired
    ProducerTemplate producer;
    @Autowired
    CamelContext camel;
    @Autowired
    MeterRegistry meters;
    @Autowired
    BrokerConfiguration.EmbeddedBroker broker;
    @Autowired
    CrmCommands commands;
    @Autowired
    CrmWriterControl control;
    @Autowired
    jakarta.jms.ConnectionFactory connectionFactory;

    /** A hub with the CRM writer on and a sandbox seeded with {@code contacts} demo contacts. */
    static void hub(DynamicPropertyRegistry registry, Path dataDir, int sandboxPort, int contacts) {
        hub(registry, dataDir, sandboxPort, () -> SandboxClient.writeSeed(dataDir.resolve("seed"), contacts));
    }

    /**
     * A hub whose sandbox holds {@code consenting} + {@code refusing} contacts with social identities, and whose
     * directory sync is on (so their mentions are by known authors); the caller sets the sync's timing.
     */
    static void knownContactsHub(DynamicPropertyRegistry registry, Path dataDir, int sandboxPort, int consenting,
            int refusing) {
        hub(registry, dataDir, sandboxPort,
                () -> SandboxClient.writeSeedWithIdentities(dataDir.resolve("seed"), consenting, refusing));
        registry.add("hearth.directory.enabled", () -> "true");
    }

    private interface SeedWriter {
        Path write() throws java.io.IOException;
    }

    private static void hub(DynamicPropertyRegistry registry, Path dataDir, int sandboxPort, SeedWriter seed) {
        registry.add("hearth.data-dir", () -> dataDir.toString());
        registry.add("hearth.api-key", () -> "crm-writer-test-key");
        registry.add("hearth.sources.inbox.enabled", () -> "false");
        registry.add("hearth.sandbox.port", () -> String.valueOf(sandboxPort));
        registry.add("hearth.sandbox.seed", () -> {
            try {
                return seed.write().toString();
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        });
        registry.add("hearth.sandbox.daily-api-budget", () -> "1000000");
        registry.add("hearth.crm.writer.enabled", () -> "true");
    }

    void send(List<CrmCommand> stream) {
        for (CrmCommand c : stream) {
            producer.sendBody("queue:crm.outbound", commands.toJson(c));
        }
    }

    /** Sends the stream while the writer is stopped, then starts it: the writer finds a backlog. */
    void sendAsBacklog(List<CrmCommand> stream) throws Exception {
        camel.getRouteController().stopRoute(CrmWriterControl.ROUTE_ID);
        send(stream);
        camel.getRouteController().startRoute(CrmWriterControl.ROUTE_ID);
    }

    double consumed() {
        Counter c = meters.find("hearth.queue.consumed").tag("queue", "crm.outbound").counter();
        return c == null ? 0 : c.count();
    }

    double rollbacks() {
        Counter c = meters.find("hearth.queue.rollbacks").tag("queue", "crm.outbound").counter();
        return c == null ? 0 : c.count();
    }

    double pauses() {
        return meters.find("hearth.crm.writer.pauses").counters().stream().mapToDouble(Counter::count).sum();
    }

    /** Messages in the queue as the broker counts them: waiting, and delivered to a consumer but not yet acknowledged. */
    long depth(String queue) throws JMSException {
        return new io.hearth.queue.QueueDepths(connectionFactory).depths().get(queue);
    }

    double apiCalls(String operation) {
        Counter c = meters.find("hearth.crm.api.calls").tag("operation", operation).counter();
        return c == null ? 0 : c.count();
    }

    /** Waits until the writer has committed {@code messages} more messages than {@code before}. */
    void awaitConsumed(double before, int messages, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> consumed() >= before + messages);
    }

    List<Message> deadLetters() throws JMSException {
        return QueueProbe.of(broker).browse("DLQ.crm.outbound");
    }

    List<String> bodies(String queue) throws JMSException {
        return new ArrayList<>(QueueProbe.of(broker).bodies(queue));
    }

    static Instant instant(String salesforceDateTime) {
        return OffsetDateTime.parse(salesforceDateTime, SF_DATETIME).toInstant();
    }
}
