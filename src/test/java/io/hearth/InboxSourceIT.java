package io.hearth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.support.Mentions;
import io.hearth.support.QueueProbe;
import jakarta.jms.ConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** The file-drop source: <data>/inbox/<channel>/ files are ingested and moved to done/ or failed/ with a .error file. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
class InboxSourceIT {

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("hearth.data-dir", () -> dataDir.toString());
        registry.add("hearth.api-key", () -> "inbox-key");
        registry.add("hearth.sources.inbox.enabled", () -> "true");
        registry.add("hearth.sources.inbox.poll-delay", () -> "100");
    }

    @Autowired
    ConnectionFactory connectionFactory;
    @Autowired
    io.hearth.queue.BrokerConfiguration.EmbeddedBroker broker;
    @Autowired
    ObjectMapper objectMapper;
    @Autowired
    org.springframework.context.ApplicationContext context;

    @Test
    void filesAreIngestedOrFailedWithTheReason(org.springframework.boot.test.system.CapturedOutput output) throws Exception {
        Path mentionInbox = Files.createDirectories(dataDir.resolve("inbox/mention"));
        Path unknownInbox = Files.createDirectories(dataDir.resolve("inbox/nosuch"));
        Files.writeString(mentionInbox.resolve("good.jsonl"), Mentions.jsonl(0, 20));
        Files.writeString(mentionInbox.resolve("broken.json"), "{\"channel\": \"x\",");
        Files.writeString(unknownInbox.resolve("any.json"), Mentions.json("x", "u1"));

        await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(mentionInbox.resolve("done/good.jsonl"))
                && Files.exists(mentionInbox.resolve("failed/broken.json"))
                && Files.exists(unknownInbox.resolve("failed/any.json")));
        assertThat(Files.readString(mentionInbox.resolve("failed/broken.json.error"))).contains("malformed JSON");
        assertThat(Files.readString(unknownInbox.resolve("failed/any.json.error"))).contains("unknown channel 'nosuch'");
        assertThat(mentionInbox.resolve("good.jsonl")).doesNotExist();
        // the log names the file and the error kind; the parser's message (it may quote post text) stays in .error
        assertThat(output.getAll()).contains("Inbox file broken.json failed").doesNotContain("Unexpected end-of-input");

        await().atMost(Duration.ofSeconds(30)).until(() -> QueueProbe.processedMentionIds(context).size() == 20);
        assertThat(QueueProbe.processedMentionIds(context)).contains("x:t0", "x:t19");
    }

    private String idOf(String json) {
        try {
            return objectMapper.readTree(json).get("id").asText();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
