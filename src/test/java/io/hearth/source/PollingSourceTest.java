package io.hearth.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.ingest.Ingest;
import io.hearth.state.SourceCheckpoints;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

/**
 * The decisions every polling source shares ({@link PollingSource}), once, without a hub: a page is ingested and then
 * checkpointed; 304 is nothing new; 429 waits for the reset (or {@code rate-limit-pause}); 401/403 are DOWN for
 * {@code auth-failure-pause}; the quota is DOWN until {@code usage-cap-pause}; other codes fail until the next poll;
 * a paused source does not call its API. The per-source tests keep only what their API says differently.
 */
class PollingSourceTest {

    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final String PAGE = "{\"posts\":2}";

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final SourceStatus status = new SourceStatus(clock, new SimpleMeterRegistry());
    private final Map<String, String> saved = new HashMap<>();
    private final SourceCheckpoints checkpoints = new SourceCheckpoints(null, clock) {
        @Override
        public Optional<String> load(String source) {
            return Optional.ofNullable(saved.get(source));
        }

        @Override
        public void save(String source, String checkpoint) {
            saved.put(source, checkpoint);
        }
    };
    private final Ingest ingest = mock(Ingest.class);
    private final SourceSupport support = new SourceSupport(null, checkpoints, status, ingest, new ObjectMapper(), clock);
    private final TestSettings settings = new TestSettings(true, Duration.ofSeconds(30), Duration.ofSeconds(45),
            Duration.ofMinutes(20), Duration.ofHours(2));
    private final FakeSource source = new FakeSource(settings, support);
    private final DefaultCamelContext camel = new DefaultCamelContext();

    record TestSettings(boolean enabled, Duration pollInterval, Duration rateLimitPause, Duration authFailurePause,
                        Duration usageCapPause) implements PollingSettings {
    }

    /** A source whose checkpoint is a page number; its API says "quota" in the body and resets in header "reset". */
    static final class FakeSource extends PollingSource<FakeSource.Checkpoint> {
        record Checkpoint(int page) {
        }

        FakeSource(PollingSettings settings, SourceSupport support) {
            super("fake", Checkpoint.class, new Checkpoint(0), settings, support);
        }

        @Override
        public String url() {
            return "http://fake.invalid/search";
        }

        @Override
        protected String query(Checkpoint checkpoint) {
            return "page=" + checkpoint.page();
        }

        @Override
        protected Map<String, String> requestHeaders() {
            return Map.of("Authorization", "Bearer t");
        }

        @Override
        protected Page<Checkpoint> onPage(Checkpoint checkpoint, String body, Message response) throws Exception {
            int posts = body.contains("\"posts\":2") ? 2 : 0;
            return new Page<>(new Checkpoint(checkpoint.page() + 1), posts > 0, posts);
        }

        @Override
        protected Instant rateLimitReset(Message response) {
            String reset = response.getHeader("reset", String.class);
            return reset == null ? null : Instant.parse(reset);
        }

        @Override
        protected boolean rateLimitExhausted(Message response) {
            return "0".equals(response.getHeader("remaining", String.class));
        }

        @Override
        protected boolean isQuotaExhausted(int status, String body) {
            return status == 403 && body != null && body.contains("quota");
        }
    }

    @Test
    void theRouteTemplateReadsEnabledPollIntervalAndUrlFromTheBean() {
        assertThat(source.enabled()).isTrue();
        assertThat(source.pollIntervalMillis()).isEqualTo(30_000);
        assertThat(source.url()).isEqualTo("http://fake.invalid/search");
    }

    @Test
    void aRequestCarriesOnlyTheMethodTheQueryAndTheSourcesHeaders() throws Exception {
        Exchange exchange = started();
        exchange.getMessage().setHeader("HearthSomething", "internal");
        exchange.getMessage().setBody("left over");

        source.prepareRequest(exchange);

        Message request = exchange.getMessage();
        assertThat(request.getHeaders()).containsOnlyKeys(Exchange.HTTP_METHOD, Exchange.HTTP_QUERY, "Authorization");
        assertThat(request.getHeader(Exchange.HTTP_METHOD)).isEqualTo("GET");
        assertThat(request.getHeader(Exchange.HTTP_QUERY)).isEqualTo("page=0");
        assertThat(request.getBody()).isNull();
    }

    @Test
    void aPageIsIngestedThenCheckpointedAndThePollGoesOnWhileThePageSaysMore() throws Exception {
        Exchange exchange = started();

        answer(exchange, 200, PAGE, Map.of());

        verify(ingest).accept("fake", PAGE, "poll", "fake");
        assertThat(saved).containsEntry("fake", "{\"page\":1}");
        assertThat(poll(exchange).isMore()).isTrue();
        assertThat(status.of("fake").lastSuccessAt()).isEqualTo(NOW);

        answer(exchange, 200, "{\"posts\":0}", Map.of());
        assertThat(saved).containsEntry("fake", "{\"page\":2}");
        assertThat(poll(exchange).isMore()).isFalse();
    }

    @Test
    void aPollResumesFromTheSavedCheckpoint() throws Exception {
        saved.put("fake", "{\"page\":7}");
        Exchange exchange = started();
        source.prepareRequest(exchange);
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_QUERY)).isEqualTo("page=7");
    }

    @Test
    void anEmptyPageIsNotIngestedButStillCheckpointed() throws Exception {
        Exchange exchange = started();
        answer(exchange, 200, "{\"posts\":0}", Map.of());
        verify(ingest, never()).accept(anyString(), anyString(), anyString(), anyString());
        assertThat(saved).containsEntry("fake", "{\"page\":1}");
    }

    @Test
    void notModified304IsNothingNewAndEndsThePollWithTheCheckpointAsItIs() throws Exception {
        Exchange exchange = started();
        answer(exchange, 304, "", Map.of());
        verify(ingest, never()).accept(anyString(), anyString(), anyString(), anyString());
        assertThat(saved).containsEntry("fake", "{\"page\":0}");
        assertThat(poll(exchange).isMore()).isFalse();
        assertThat(status.isPaused("fake")).isFalse();
    }

    @Test
    void aUsedUpWindowWaitsForItsResetInsteadOfEarningA429() throws Exception {
        Exchange exchange = started();
        Instant reset = NOW.plusSeconds(300);
        answer(exchange, 200, PAGE, Map.of("remaining", "0", "reset", reset.toString()));
        verify(ingest).accept("fake", PAGE, "poll", "fake");
        assertThat(poll(exchange).isMore()).isFalse();
        assertThat(status.of("fake").pausedUntil()).isEqualTo(reset);
        assertThat(status.of("fake").down()).isFalse();
    }

    @Test
    void rateLimited429WaitsUntilTheResetTheApiNamesAndKeepsTheCheckpoint() throws Exception {
        saved.put("fake", "{\"page\":3}");
        Exchange exchange = started();
        Instant reset = NOW.plusSeconds(900);
        answer(exchange, 429, "", Map.of("reset", reset.toString()));
        assertThat(status.of("fake").pausedUntil()).isEqualTo(reset);
        assertThat(status.of("fake").down()).isFalse();
        assertThat(status.lastRateLimit("fake").until()).isEqualTo(reset);
        assertThat(saved).containsEntry("fake", "{\"page\":3}");
        assertThat(poll(exchange).isMore()).isFalse();
        verify(ingest, never()).accept(anyString(), anyString(), anyString(), anyString());
    }

    @Test
    void rateLimited429WithoutResetWaitsTheRateLimitPause() throws Exception {
        Exchange exchange = started();
        answer(exchange, 429, "", Map.of());
        assertThat(status.of("fake").pausedUntil()).isEqualTo(NOW.plus(settings.rateLimitPause()));
    }

    @Test
    void refusedCredentials401And403AreDownForTheAuthFailurePause() throws Exception {
        for (int code : new int[] {401, 403}) {
            Exchange exchange = started();
            answer(exchange, code, "{}", Map.of());
            SourceStatus.State state = status.of("fake");
            assertThat(state.down()).as("HTTP %s", code).isTrue();
            assertThat(state.pausedUntil()).isEqualTo(NOW.plus(settings.authFailurePause()));
            assertThat(state.reason()).contains("HTTP " + code).contains("hearth.sources.fake");
            assertThat(poll(exchange).isMore()).isFalse();
        }
        verify(ingest, never()).accept(anyString(), anyString(), anyString(), anyString());
    }

    @Test
    void anExhaustedQuotaIsDownForTheUsageCapPauseBeforeAnyOtherReading() throws Exception {
        Exchange exchange = started();
        answer(exchange, 403, "{\"error\":\"quota\"}", Map.of());
        SourceStatus.State state = status.of("fake");
        assertThat(state.down()).isTrue();
        assertThat(state.pausedUntil()).isEqualTo(NOW.plus(settings.usageCapPause()));
        assertThat(state.reason()).startsWith("quota or usage cap exhausted (HTTP 403)");
    }

    @Test
    void otherFailuresAreRetriedAtTheNextPollWithoutPause() throws Exception {
        Exchange exchange = started();
        answer(exchange, 503, "", Map.of());
        SourceStatus.State state = status.of("fake");
        assertThat(state.down()).isFalse();
        assertThat(state.pausedUntil()).isNull();
        assertThat(state.lastError()).isEqualTo("HTTP 503; retrying at the next poll");
        assertThat(poll(exchange).isMore()).isFalse();
    }

    @Test
    void aPausedSourceDoesNotCallItsApi() throws Exception {
        status.down("fake", NOW.plusSeconds(60), "HTTP 401");
        Exchange exchange = started();
        assertThat(poll(exchange).isMore()).isFalse();
        verify(ingest, never()).accept(any(), any(), any(), any());
    }

    private Exchange started() throws Exception {
        Exchange exchange = new DefaultExchange(camel);
        source.startPoll(exchange);
        return exchange;
    }

    private void answer(Exchange exchange, int code, String body, Map<String, String> headers) throws Exception {
        Message message = exchange.getMessage();
        message.removeHeaders("*");
        message.setHeader(Exchange.HTTP_RESPONSE_CODE, code);
        headers.forEach(message::setHeader);
        message.setBody(body);
        source.onResponse(exchange);
    }

    private PollingSource.Poll<?> poll(Exchange exchange) {
        return exchange.getProperty(PollingSource.POLL_PROPERTY, PollingSource.Poll.class);
    }
}
