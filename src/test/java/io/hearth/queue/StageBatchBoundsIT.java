package io.hearth.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;

import io.hearth.support.Mentions;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * A stage transaction is bounded by what it sends as well as by what it takes: five waiting
 * payloads of 100 mentions each are five transactions, not one of 500 sends.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
// Its hub lives in a data directory of this class only: closed with the class, before that directory is deleted
// (TestLayersTest)
@org.springframework.test.annotation.DirtiesContext
class StageBatchBoundsIT {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("hearth.data-dir", () -> dataDir.toString());
        registry.add("hearth.api-key", () -> "bounds-key");
        registry.add("hearth.sources.inbox.enabled", () -> "false");
        registry.add("hearth.queues.concurrent-consumers", () -> "1");
        registry.add("hearth.queues.batch-size", () -> "100");
    }

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    MeterRegistry meters;

    @Test
    void payloadsWithManyMentionsCommitOnePayloadPerTransaction() throws Exception {
        camel.getRouteController().stopRoute("pipeline-normalise");
        for (int payload = 0; payload < 5; payload++) {
            producer.sendBodyAndHeader("queue:social.inbound", Mentions.jsonl(payload * 100, payload * 100 + 100),
                    "HearthChannel", "mention");
        }
        double batchesBefore = batches();
        double consumedBefore = consumed();
        camel.getRouteController().startRoute("pipeline-normalise");

        await().atMost(Duration.ofSeconds(30)).until(() -> consumed() - consumedBefore == 5);
        assertThat(batches() - batchesBefore).isEqualTo(5);
    }

    private double batches() {
        return meters.get("hearth.queue.batches").tag("queue", "social.inbound").counter().count();
    }

    private double consumed() {
        return meters.get("hearth.queue.consumed").tag("queue", "social.inbound").counter().count();
    }
}
