package io.hearth.identity.linking;

import java.time.Clock;
import java.time.Duration;

import io.hearth.config.HearthConfigurationException;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * {@code hearth.linking.*} rate limits of {@code POST /api/links} (docs/privacy.md), beside {@code max-open-codes}:
 *
 * @param perContact       codes issued for one contact within {@code contactWindow} (default 10 per 1h)
 * @param contactWindow    the window of {@code perContact}
 * @param perCaller        issue requests of one caller (the authenticated key) within {@code callerWindow}, counted
 *                         before the CRM look-up, refused ones included (default 120 per 1m)
 * @param callerWindow     the window of {@code perCaller}
 */
public record LinkRateLimits(int perContact, Duration contactWindow, int perCaller, Duration callerWindow) {

    public static LinkRateLimits from(Environment env) {
        String p = "hearth.linking.";
        Binder b = Binder.get(env);
        LinkRateLimits l = new LinkRateLimits(
                b.bind(p + "codes-per-contact", Integer.class).orElse(10),
                b.bind(p + "codes-per-contact-window", Duration.class).orElse(Duration.ofHours(1)),
                b.bind(p + "requests-per-caller", Integer.class).orElse(120),
                b.bind(p + "requests-per-caller-window", Duration.class).orElse(Duration.ofMinutes(1)));
        if (l.perContact < 1) {
            throw new HearthConfigurationException(p + "codes-per-contact", "must be at least 1, was " + l.perContact);
        }
        if (l.perCaller < 1) {
            throw new HearthConfigurationException(p + "requests-per-caller", "must be at least 1, was " + l.perCaller);
        }
        if (l.contactWindow.isNegative() || l.contactWindow.isZero()) {
            throw new HearthConfigurationException(p + "codes-per-contact-window", "must be positive, was " + l.contactWindow);
        }
        if (l.callerWindow.isNegative() || l.callerWindow.isZero()) {
            throw new HearthConfigurationException(p + "requests-per-caller-window", "must be positive, was " + l.callerWindow);
        }
        return l;
    }

    /** The two limiters: per contact and per caller. */
    public record Limiters(SlidingWindowLimiter contacts, SlidingWindowLimiter callers) {
    }

    /** The two limiters, counted in the state database: shared by every hub on it (V36 {@code hearth_rate_event}). */
    public Limiters limiters(JdbcTemplate jdbc, Clock clock) {
        return new Limiters(new SlidingWindowLimiter(jdbc, "link-contact", perContact, contactWindow, clock),
                new SlidingWindowLimiter(jdbc, "link-caller", perCaller, callerWindow, clock));
    }
}
