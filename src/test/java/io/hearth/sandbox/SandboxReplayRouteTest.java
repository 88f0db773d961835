package io.hearth.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.ingest.Ingest;
import io.hearth.channel.ChannelRegistry;
import io.hearth.channel.mention.CanonicalMentionMapper;
import io.hearth.config.HearthMode;
import io.hearth.mention.TestObjectMappers;
import io.hearth.state.SourceCheckpoints;
import io.hearth.state.TestStateDatabase;
import io.hearth.support.Mentions;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.EndpointInject;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.component.mock.MockComponent;
import org.apache.camel.component.mock.MockEndpoint;
import org.apache.camel.spring.boot.CamelAutoConfiguration;
import org.apache.camel.test.spring.junit5.CamelSpringBootTest;
import org.apache.camel.test.spring.junit5.UseAdviceWith;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The sandbox replay job (routes/jobs/sandbox-replay.camel.yaml) on its own, with Camel's test kit: its timer replaced
 * by {@code direct:tick} ({@link AdviceWith}), so the test ticks it by hand instead of waiting for the timer; the real
 * {@link SampleMentionReplay}, {@link Ingest} and checkpoints (H2); a mock {@code queue} component instead of the broker.
 * Replaces SampleMentionReplayIT, which booted the whole hub and waited for the timer (its first tick after 3 s).
 */
@CamelSpringBootTest
@UseAdviceWith
@SpringBootTest(classes = SandboxReplayRouteTest.Wiring.class, properties = {
        "camel.main.routes-include-pattern=file:routes/jobs/sandbox-replay.camel.yaml,file:routes/jobs/job-errors.camel.yaml",
        "hearth.sandbox.replay=true",
        "hearth.sandbox.replay-interval=3600000"})
class SandboxReplayRouteTest {

    static final Instant NOW = Instant.parse("2027-01-01T12:00:00Z");

    @TempDir
    static Path dir;

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(CamelAutoConfiguration.class)
    static class Wiring {

        @Bean("queue")
        MockComponent queue() {
            return new MockComponent();
        }

        @Bean(destroyMethod = "close")
        TestStateDatabase state() {
            return TestStateDatabase.h2(dir);
        }

        @Bean("sandboxReplay")
        SampleMentionReplay sandboxReplay(CamelContext camel, TestStateDatabase state, Environment environment) throws Exception {
            Path sample = Files.writeString(dir.resolve("mentions.jsonl"), Mentions.jsonl(0, 12));
            Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
            Ingest ingest = new Ingest(new ChannelRegistry(List.of(new CanonicalMentionMapper(TestObjectMappers.springLike()))),
                    camel.createProducerTemplate(), clock, new SimpleMeterRegistry());
            return new SampleMentionReplay(new HearthMode(environment), ingest, new SourceCheckpoints(state.jdbc(), clock), true,
                    sample.toString(), 5, clock);
        }
    }

    @Autowired
    CamelContext camel;
    @Autowired
    ProducerTemplate producer;
    @Autowired
    TestStateDatabase state;
    @EndpointInject("queue:social.inbound")
    MockEndpoint inbound;

    @Test
    void theSampleGoesOnTheQueueOnceInSmallStepsMovedToAnHourAgo() throws Exception {
        AdviceWith.adviceWith(camel, "job-sandbox-replay", route -> route.replaceFromWith("direct:tick"));
        camel.start();
        inbound.expectedMessageCount(3);
        inbound.expectedHeaderValuesReceivedInAnyOrder(Ingest.MENTION_COUNT_HEADER, 5, 5, 2);

        for (int tick = 0; tick < 5; tick++) {
            producer.sendBody("direct:tick", null); // ticks 4 and 5: finished stays finished
        }

        inbound.assertIsSatisfied();
        assertThat(new SourceCheckpoints(state.jdbc(), Clock.systemUTC()).load(SampleMentionReplay.CHECKPOINT)).contains("12");
        // recorded on 2026-11-20, replayed as if the newest had been posted an hour ago
        String last = inbound.getExchanges().get(2).getMessage().getBody(String.class);
        JsonNode mention = TestObjectMappers.springLike().readTree(last.lines().findFirst().orElseThrow());
        assertThat(Instant.parse(mention.get("createdAt").asText())).isEqualTo(NOW.minusSeconds(3600));
        assertThat(mention.get("nativeId").asText()).isEqualTo("t10");
    }
}
