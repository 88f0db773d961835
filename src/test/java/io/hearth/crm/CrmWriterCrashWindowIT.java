package io.hearth.crm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.queue.BatchTransaction;
import io.micrometer.core.instrument.Counter;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Issue 18, the kill -9 rewrites: the writer writes a batch's records before the batch's JMS commit, so a crash between
 * the two delivers the batch again. Here the "crash" is a batch participant that fails after the writer's calls and
 * before the commit (the same rollback a kill -9 leaves, without killing the test JVM; the chaos suite's kill row does
 * the real thing): the redelivered commands must not be written a second time, counted in the sandbox's writes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
@DirtiesContext
class CrmWriterCrashWindowIT extends CrmHub {

    static final int SANDBOX_PORT = SandboxClient.freePort();
    static final int CONTACTS = 20;

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        hub(registry, dataDir, SANDBOX_PORT, CONTACTS);
        // several calls per batch: the crash falls after all of them
        registry.add("hearth.crm.writer.records-per-call", () -> "25");
    }

    @Autowired
    CrmWrittenMarks marks;

    final SandboxClient sandbox = new SandboxClient(SANDBOX_PORT);

    /** Crashes the next {@code crashes} batches between the writer's calls and the JMS commit. */
    final AtomicInteger crashes = new AtomicInteger();
    /** The marks the state database held at the moment of the crash. */
    final AtomicLong marksAtCrash = new AtomicLong(-1);

    @Test
    void aBatchRedeliveredAfterItsRecordsWereWrittenIsNotWrittenAgain() throws Exception {
        AdviceWith.adviceWith(camel, CrmWriterControl.ROUTE_ID, route -> route.weaveAddLast().process(exchange -> {
            BatchTransaction tx = exchange.getProperty(BatchTransaction.PROPERTY, BatchTransaction.class);
            tx.<BatchTransaction.Participant>participant("crash", () -> () -> {
                if (crashes.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                    marksAtCrash.set(marks.count());
                    throw new IllegalStateException("simulated crash between the CRM calls and the JMS commit");
                }
            });
        }));
        CrmStream stream = CrmStream.mentions("crash", 100, CONTACTS);
        long mentionWrites = sandbox.writes("Social_Mention__c");
        long contactWrites = sandbox.writes("Contact");
        double rollbacks = rollbacks();
        double before = consumed();
        int dlqBefore = deadLetters().size();

        crashes.set(1);
        sendAsBacklog(stream.commands);
        awaitConsumed(before, stream.commands.size(), Duration.ofSeconds(60));

        assertThat(rollbacks() - rollbacks).as("the batch crashed once after its calls").isEqualTo(1);
        assertThat(marksAtCrash.get()).as("every command was marked written, committed before the crash")
                .isEqualTo(stream.commands.size());
        List<JsonNode> written = sandbox.records("SELECT External_Id__c FROM Social_Mention__c WHERE External_Id__c LIKE 'x:crash-%'");
        assertThat(written).hasSize(100);
        assertThat(sandbox.writes("Social_Mention__c") - mentionWrites).as("each mention written once, not again on redelivery")
                .isEqualTo(100);
        assertThat(sandbox.writes("Contact") - contactWrites).as("each contact's merged update written once").isEqualTo(CONTACTS);
        assertThat(alreadyWritten("Social_Mention__c")).isEqualTo(100);
        assertThat(marks.count()).as("the marks are forgotten once the batch committed").isZero();
        assertThat(deadLetters()).hasSize(dlqBefore);

        // A batch without a crash: written once, no marks left, nothing skipped.
        CrmStream next = CrmStream.mentions("calm", 50, CONTACTS);
        before = consumed();
        send(next.commands);
        awaitConsumed(before, next.commands.size(), Duration.ofSeconds(60));
        assertThat(sandbox.writes("Social_Mention__c") - mentionWrites).isEqualTo(150);
        assertThat(alreadyWritten("Social_Mention__c")).isEqualTo(100);
        assertThat(marks.count()).isZero();
    }

    private double alreadyWritten(String object) {
        Counter c = meters.find("hearth.crm.records").tag("object", object).tag("outcome", "already_written").counter();
        return c == null ? 0 : c.count();
    }
}
