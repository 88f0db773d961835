package io.hearth.rules;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Health component {@code rules}: which rules are in force and since when. An invalid edit does not take the hub down
 * (the previous rules keep running), so it stays UP and shows {@code lastError} (file, line, field) until fixed.
 */
public class RulesHealthIndicator extends AbstractHealthIndicator {

    private final RulesHolder holder;

    public RulesHealthIndicator(RulesHolder holder) {
        this.holder = holder;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Rules rules = holder.current();
        builder.up().withDetail("file", RulesLoader.display(holder.file()))
                .withDetail("programme", rules.programme() == null ? "" : rules.programme())
                .withDetail("loadedAt", holder.loadedAt().toString())
                .withDetail("rewards", rules.rewards().size());
        if (holder.lastError() != null) {
            builder.withDetail("lastError", holder.lastError()).withDetail("lastErrorAt", holder.lastErrorAt().toString());
        }
    }
}
