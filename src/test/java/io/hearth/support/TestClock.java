package io.hearth.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The time a date-sensitive test runs at (issue 18: every test independent of the date it runs on). By default the real
 * time; {@code -Dhearth.test.clock=2027-02-01T00:00:30Z} starts this JVM's test world at that instant instead (the
 * clock then ticks on from there), which is how the date independence is proven:
 * <pre>
 * ./mvnw -B test -Dtest='CampaignScenariosIT,DefaultRulesSandboxIT,YoutubeCommentsSourceIT' -Dhearth.test.clock=2027-02-01T00:00:30Z
 * ./mvnw -B test -Dtest='...' -Dhearth.test.clock=2026-11-30T23:59:30Z
 * </pre>
 * Tests take their "now" from {@link #now()} and give the hub the same clock ({@link Config}, an
 * {@code @Import} for {@code @SpringBootTest}s, or {@link #clock()} for hubs they build themselves).
 */
public final class TestClock {

    public static final String PROPERTY = "hearth.test.clock";
    private static final Clock CLOCK = create();

    private TestClock() {
    }

    private static Clock create() {
        String at = System.getProperty(PROPERTY, "").strip();
        if (at.isEmpty()) {
            return Clock.systemUTC();
        }
        Instant start = Instant.parse(at);
        return Clock.offset(Clock.systemUTC(), Duration.between(Instant.now(), start));
    }

    /** The test world's clock (UTC). */
    public static Clock clock() {
        return CLOCK;
    }

    public static Instant now() {
        return CLOCK.instant();
    }

    /** The hub's clock bean (see {@code io.hearth.config.ClockConfiguration}) replaced by the test world's. */
    @TestConfiguration(proxyBeanMethods = false)
    public static class Config {
        @Bean
        @Primary
        Clock testClock() {
            return CLOCK;
        }
    }
}
