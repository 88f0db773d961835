package io.hearth.routes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.hearth.ingest.InboxFiles;
import io.hearth.ingest.Ingest;
import io.hearth.channel.ChannelRegistry;
import io.hearth.channel.mention.CanonicalMentionMapper;
import io.hearth.mention.TestObjectMappers;
import io.hearth.support.Mentions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockComponent;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The file-drop source (routes/sources/inbox.camel.yaml with its error configuration, source-errors.camel.yaml) on its
 * own, with Camel's test kit: the route file as the hub loads it, the real {@link Ingest} and {@link InboxFiles}, and
 * instead of the broker a mock {@code queue} component, so {@code queue:social.inbound} is a {@link MockEndpoint}. The
 * pipeline behind the queue is PipelineAcceptanceIT's. Replaces InboxSourceIT, which booted the whole hub for this.
 */
@CamelSpringBootTest
@SpringBootTest(classes = InboxRouteTest.Wiring.class, properties = {
        "camel.main.routes-include-pattern=file:routes/sources/inbox.camel.yaml,file:routes/sources/source-errors.camel.yaml",
        "hearth.sources.inbox.enabled=true",
        "hearth.sources.inbox.poll-delay=100"})
@ExtendWith(OutputCaptureExtension.class)
class InboxRouteTest {

    @TempDir
    static Path inbox;

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(CamelAutoConfiguration.class)
    static class Wiring {

        /** The broker's stand-in: every {@code queue:} endpoint is a mock. */
        @Bean("queue")
        MockComponent queue() {
            return new MockComponent();
        }

        /** {@code {{bean:paths.inbox}}} in the route. */
        @Bean("paths")
        InboxPath paths() {
            return new InboxPath();
        }

        @Bean("inboxFiles")
        InboxFiles inboxFiles() {
            return new InboxFiles();
        }

        @Bean("ingest")
        Ingest ingest(CamelContext camel) {
            ChannelRegistry channels = new ChannelRegistry(List.of(new CanonicalMentionMapper(TestObjectMappers.springLike())));
            return new Ingest(channels, camel.createProducerTemplate(), Clock.systemUTC(), new SimpleMeterRegistry());
        }
    }

    public static class InboxPath {
        public String inbox() {
            return inbox.toString();
        }
    }

    @Autowired
    CamelContext camel;
    @EndpointInject("queue:social.inbound")
    MockEndpoint inbound;

    @Test
    void filesAreIngestedOrFailedWithTheReason(CapturedOutput output) throws Exception {
        inbound.expectedMessageCount(1);
        inbound.expectedHeaderReceived(ChannelRegistry.CHANNEL_HEADER, "mention");
        inbound.expectedHeaderReceived(Ingest.INGESTED_VIA_HEADER, "inbox");
        inbound.expectedHeaderReceived(Ingest.MENTION_COUNT_HEADER, 20);
        NotifyBuilder threeFiles = new NotifyBuilder(camel).fromRoute("source-inbox").whenDone(3).create();

        Path mentionInbox = Files.createDirectories(inbox.resolve("mention"));
        Path unknownInbox = Files.createDirectories(inbox.resolve("nosuch"));
        Files.writeString(mentionInbox.resolve("good.jsonl"), Mentions.jsonl(0, 20));
        Files.writeString(mentionInbox.resolve("broken.json"), "{\"channel\": \"x\",");
        Files.writeString(unknownInbox.resolve("any.json"), Mentions.json("x", "u1"));

        assertThat(threeFiles.matches(30, TimeUnit.SECONDS)).as("three files taken by source-inbox").isTrue();
        inbound.assertIsSatisfied();
        assertThat(inbound.getExchanges().get(0).getMessage().getBody(String.class)).isEqualTo(Mentions.jsonl(0, 20));
        // the file consumer moves a file when its exchange is done: wait for the moves, not for time
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(mentionInbox.resolve("done/good.jsonl"))
                && Files.exists(mentionInbox.resolve("failed/broken.json.error"))
                && Files.exists(unknownInbox.resolve("failed/any.json.error"))
                && Files.exists(mentionInbox.resolve("failed/broken.json"))
                && Files.exists(unknownInbox.resolve("failed/any.json")));
        assertThat(Files.readString(mentionInbox.resolve("failed/broken.json.error"))).contains("malformed JSON");
        assertThat(Files.readString(unknownInbox.resolve("failed/any.json.error"))).contains("unknown channel 'nosuch'");
        assertThat(mentionInbox.resolve("good.jsonl")).doesNotExist();
        // the log names the file and the error kind; the parser's message (it may quote post text) stays in .error
        assertThat(output.getAll()).contains("Inbox file broken.json failed").doesNotContain("Unexpected end-of-input");
    }
}
