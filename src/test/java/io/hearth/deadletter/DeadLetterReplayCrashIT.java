package io.hearth.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.support.ChildHub;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11: a bulk replay of {@code DLQ.crm.outbound} is cut off by {@code kill -9} of the hub (a child JVM) half-way.
 * After the restart every message is in exactly one place, the DLQ or {@code crm.outbound} (the writer is off, so what
 * the replay moved stays there to be counted): none lost, none doubled. Replaying the rest then moves every message once.
 * The audit log still shows the cut-off replay as {@code started}.
 */
class DeadLetterReplayCrashIT {

    private static final int MESSAGES = 1500;
    private static final String DLQ = "DLQ.crm.outbound";
    private static final String STAGE = "crm.outbound";

    private final ObjectMapper json = new ObjectMapper();

    @Test
    void aReplayCutOffByKillNineNeitherLosesNorDoubles(@TempDir Path dataDir) throws Exception {
        try (ChildHub hub = ChildHub.builder("dlq-replay-crash", dataDir).build()) {
            hub.startAndAwaitReady();
            seed(hub);
            assertThat(hub.messageCounts(DLQ).get(DLQ)).isEqualTo(MESSAGES);

            CompletableFuture<HttpResponse<String>> replay = hub.http().sendAsync(HttpRequest.newBuilder(
                            hub.uri("/api/dead-letters/" + DLQ + "/replay")).header("Authorization", "Bearer test-key")
                    .timeout(Duration.ofMinutes(2)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            long moved = 0;
            while (moved == 0 && System.nanoTime() < deadline && !replay.isDone()) {
                moved = hub.messageCounts(STAGE).get(STAGE);
            }
            hub.kill9();
            assertThat(replay.isDone() && !replay.isCompletedExceptionally()).as("the replay was answered before the kill")
                    .isFalse();

            hub.startAndAwaitReady();
            long inDlq = hub.messageCounts(DLQ).get(DLQ);
            long inStage = hub.messageCounts(STAGE).get(STAGE);
            System.out.printf("Replay cut off by kill -9: %d of %d messages back in %s, %d still in %s (%d moved when the"
                    + " kill was decided)%n", inStage, MESSAGES, STAGE, inDlq, DLQ, moved);
            assertThat(inStage).as("the kill landed after the replay had moved some").isPositive();
            assertThat(inDlq).as("the kill landed before the replay had moved all").isPositive();
            assertThat(inDlq + inStage).as("nothing lost, nothing doubled").isEqualTo(MESSAGES);
            List<String> dlqBodies = hub.browse(DLQ);
            List<String> stageBodies = hub.browse(STAGE);
            Set<String> all = new HashSet<>(dlqBodies);
            all.addAll(stageBodies);
            assertThat(dlqBodies.size() + stageBodies.size()).isEqualTo(MESSAGES);
            assertThat(all).as("every message in exactly one of the two queues").hasSize(MESSAGES);

            JsonNode audit = json.readTree(hub.get("/api/dead-letters/audit").body()).get("entries");
            assertThat(audit.get(0).get("action").asText()).isEqualTo("replay-bulk");
            assertThat(audit.get(0).get("outcome").asText()).as("the cut-off replay").isEqualTo("started");

            long started = System.nanoTime();
            HttpResponse<String> rest = hub.post("/api/dead-letters/" + DLQ + "/replay", "application/json", "");
            System.out.printf("Replay of the remaining %d messages: %d ms%n", inDlq, (System.nanoTime() - started) / 1_000_000);
            assertThat(rest.statusCode()).as(rest.body()).isEqualTo(200);
            assertThat(json.readTree(rest.body()).get("replayed").asLong()).isEqualTo(inDlq);
            assertThat(hub.messageCounts(DLQ, STAGE)).containsEntry(DLQ, 0L).containsEntry(STAGE, (long) MESSAGES);
            assertThat(new HashSet<>(hub.browse(STAGE))).hasSize(MESSAGES);
        }
    }

    private static void seed(ChildHub hub) throws Exception {
        try (ActiveMQConnectionFactory factory = hub.brokerConnectionFactory();
             Connection connection = factory.createConnection()) {
            Session session = connection.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer producer = session.createProducer(session.createQueue(DLQ));
            for (int i = 0; i < MESSAGES; i++) {
                TextMessage m = session.createTextMessage("{\"schema\":\"hearth.crm-command/v1\",\"n\":" + i + "}");
                m.setStringProperty("HearthFailureReason", "Salesforce UNABLE_TO_LOCK_ROW: unable to obtain exclusive access");
                m.setStringProperty("HearthFailureException", "io.hearth.crm.CrmRecordException");
                m.setStringProperty("HearthFailedStage", STAGE);
                m.setStringProperty("HearthFailedRoute", "crm-writer");
                m.setStringProperty("HearthFailedAt", "2026-12-04T10:00:00Z");
                producer.send(m);
                if (i % 500 == 499) {
                    session.commit();
                }
            }
            session.commit();
        }
    }
}
