package io.hearth.identity.linking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import io.hearth.support.MutableClock;
import org.junit.jupiter.api.Test;

class SlidingWindowLimiterTest {

    final MutableClock clock = new MutableClock();

    @Test
    void limitPerKeyWithinTheWindowAndTheWait() {
        SlidingWindowLimiter limiter = new SlidingWindowLimiter(3, Duration.ofMinutes(1), clock);
        assertThat(limiter.tryAcquire("a").allowed()).isTrue();
        clock.advance(Duration.ofSeconds(20));
        assertThat(limiter.tryAcquire("a").allowed()).isTrue();
        assertThat(limiter.tryAcquire("a").allowed()).isTrue();
        SlidingWindowLimiter.Decision refused = limiter.tryAcquire("a");
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfter()).as("until the first event leaves the window (the test clock also runs)")
                .isBetween(Duration.ofSeconds(39), Duration.ofSeconds(40));
        assertThat(limiter.tryAcquire("b").allowed()).as("other keys are not affected").isTrue();

        clock.advance(Duration.ofSeconds(30));
        assertThat(limiter.tryAcquire("a").allowed()).as("a refusal is not counted; still 3 in the window").isFalse();
        clock.advance(Duration.ofSeconds(10));
        assertThat(limiter.tryAcquire("a").allowed()).as("the first has left").isTrue();
        assertThat(limiter.tryAcquire("a").allowed()).isFalse();
    }

    @Test
    void idleKeysAreForgotten() {
        SlidingWindowLimiter limiter = new SlidingWindowLimiter(1, Duration.ofSeconds(10), clock);
        for (int i = 0; i < 999; i++) {
            limiter.tryAcquire("k" + i);
        }
        assertThat(limiter.keys()).isEqualTo(999);
        clock.advance(Duration.ofSeconds(11));
        limiter.tryAcquire("last");
        assertThat(limiter.keys()).as("memory follows the keys active within one window").isEqualTo(1);
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> new SlidingWindowLimiter(0, Duration.ofSeconds(1), clock))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SlidingWindowLimiter(1, Duration.ZERO, clock)).isInstanceOf(IllegalArgumentException.class);
    }
}
