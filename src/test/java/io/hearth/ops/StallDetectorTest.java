package io.hearth.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.hearth.queue.QueueWatchdogSettings;

class StallDetectorTest {

    static final Instant T0 = Instant.parse("2026-12-04T23:00:00Z");
    final StallDetector detector = new StallDetector(Duration.ofSeconds(30));

    static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }

    @Test
    void aQueueHoldingMessagesThatNobodyConsumesStallsAfterTheConfiguredTime() {
        assertThat(detector.observe("q", 500, 100, 0, at(0)).stalled()).isFalse();
        assertThat(detector.observe("q", 500, 100, 0, at(29)).stalled()).isFalse();
        StallDetector.QueueState s = detector.observe("q", 520, 100, 0, at(30));
        assertThat(s.stalled()).isTrue();
        assertThat(s.noProgressFor()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.lastProgressAt()).isEqualTo(at(0));
        assertThat(s.depth()).isEqualTo(520);
    }

    @Test
    void consumptionIsProgress() {
        detector.observe("q", 500, 100, 0, at(0));
        detector.observe("q", 500, 101, 0, at(25));
        assertThat(detector.observe("q", 500, 101, 0, at(50)).stalled()).isFalse();
        assertThat(detector.observe("q", 500, 101, 0, at(55)).stalled()).isTrue();
    }

    @Test
    void messagesLeavingTheQueueOtherwiseAreProgressToo() {
        detector.observe("q", 500, 100, 0, at(0));
        detector.observe("q", 400, 100, 0, at(25));  // e.g. moved to the DLQ by the broker
        assertThat(detector.observe("q", 400, 100, 0, at(50)).stalled()).isFalse();
    }

    @Test
    void anEmptyQueueIsNeverStalledAndItsClockRestartsWhenMessagesArrive() {
        detector.observe("q", 0, 100, 0, at(0));
        assertThat(detector.observe("q", 0, 100, 0, at(100)).stalled()).isFalse();
        assertThat(detector.observe("q", 0, 100, 0, at(100)).noProgressFor()).isZero();
        assertThat(detector.observe("q", 3, 100, 0, at(110)).stalled()).isFalse();
        assertThat(detector.observe("q", 3, 100, 0, at(131)).stalled()).isTrue();
    }

    @Test
    void rollbacksAreNotProgressButAreCountedForTheReason() {
        detector.observe("q", 50, 0, 7, at(0));
        detector.observe("q", 50, 0, 9, at(10));
        StallDetector.QueueState s = detector.observe("q", 50, 0, 12, at(31));
        assertThat(s.stalled()).isTrue();
        assertThat(s.rollbacksSinceProgress()).isEqualTo(5);
    }

    @Test
    void aHeldQueueIsNotStalledAndItsClockStartsAgainWhenTheHoldEnds() {
        detector.observe("q", 50, 0, 0, at(0));
        assertThat(detector.observe("q", 50, 0, 0, true, at(100)).stalled()).isFalse();
        assertThat(detector.observe("q", 50, 0, 0, false, at(110)).stalled()).isFalse();
        assertThat(detector.observe("q", 50, 0, 0, false, at(130)).stalled()).isTrue();
    }

    @Test
    void anUnknownDepthKeepsTheLastKnownOne() {
        detector.observe("q", 50, 0, 0, at(0));
        StallDetector.QueueState s = detector.observe("q", -1, 0, 0, at(40));
        assertThat(s.depth()).isEqualTo(50);
        assertThat(s.stalled()).isTrue();
    }

    @Test
    void queuesAreTrackedApartAndAZeroLimitIsRefused() {
        detector.observe("a", 5, 0, 0, at(0));
        detector.observe("b", 5, 0, 0, at(0));
        detector.observe("a", 5, 1, 0, at(40));
        detector.observe("b", 5, 0, 0, at(40));
        assertThat(detector.states().get("a").stalled()).isFalse();
        assertThat(detector.states().get("b").stalled()).isTrue();
        assertThatThrownBy(() -> new StallDetector(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void badWatchdogSettingsNameTheSetting() {
        QueueWatchdogSettings negative = new QueueWatchdogSettings();
        negative.setStallAfter(Duration.ofSeconds(-1));
        assertThatThrownBy(negative::validated).isInstanceOf(io.hearth.config.HearthConfigurationException.class)
                .hasMessageContaining("0 (watchdog off)");
        QueueWatchdogSettings noInterval = new QueueWatchdogSettings();
        noInterval.setStallCheckInterval(Duration.ZERO);
        assertThatThrownBy(noInterval::validated).isInstanceOf(io.hearth.config.HearthConfigurationException.class)
                .extracting(e -> ((io.hearth.config.HearthConfigurationException) e).setting()).isEqualTo("hearth.queues.stall-check-interval");
        QueueWatchdogSettings off = new QueueWatchdogSettings();
        off.setStallAfter(Duration.ZERO);
        assertThat(off.validated().getStallAfter()).isZero();
    }
}
