package io.hearth.source;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

class SourceStatusTest {

    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SourceStatus status = new SourceStatus(clock, meters);

    @Test
    void aFailureStaysVisibleAfterTheNextSuccess() {
        status.failed("x", "HTTP 503; retrying at the next poll");
        status.succeeded("x");

        SourceStatus.State state = status.of("x");
        assertThat(state.reason()).isNull();
        assertThat(state.down()).isFalse();
        assertThat(state.lastError()).isEqualTo("HTTP 503; retrying at the next poll");
        assertThat(state.lastErrorAt()).isEqualTo(clock.instant());
        assertThat(state.lastSuccessAt()).isEqualTo(clock.instant());
    }

    @Test
    void downPausesTheSourceUntilItsRetryTime() {
        status.down("x", clock.instant().plusSeconds(60), "HTTP 401");
        assertThat(status.isPaused("x")).isTrue();
        assertThat(status.of("x").down()).isTrue();
        assertThat(status.of("x").lastError()).isEqualTo("HTTP 401");
        assertThat(status.isPaused("mastodon")).isFalse();
    }

    @Test
    void readsPerNewMentionAreTheSourcesRequestsAndPostsOverItsMentionsThatPassedDedup() {
        for (int i = 0; i < 6; i++) {
            status.requested("x");
        }
        status.read("x", 40);
        assertThat(status.requestsPerNewMention("x")).isNaN();   // nothing new yet
        status.newMention("x");
        status.newMention("x");
        status.newMention(null);                               // API / inbox / webhook: no source
        status.newMention("bluesky");

        assertThat(status.requestsPerNewMention("x")).isEqualTo(3.0);
        assertThat(status.postsReadPerNewMention("x")).isEqualTo(20.0);
        assertThat(meters.get("hearth.source.new.mentions").tag("source", "x").counter().count()).isEqualTo(2.0);
        assertThat(meters.get("hearth.source.requests.per.new.mention").tag("source", "x").gauge().value()).isEqualTo(3.0);
        assertThat(meters.get("hearth.source.posts.read.per.new.mention").tag("source", "x").gauge().value()).isEqualTo(20.0);
        assertThat(status.requestsPerNewMention("bluesky")).isEqualTo(0.0);
    }
}
