package io.hearth.rules;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/**
 * Health component {@code rules}: which rules are in force and since when. An invalid edit does not take the hub down
 * (the previous rules keep running), so it stays UP and shows {@code lastError} (file, line, field) until fixed.
 */
public class RulesHealthIndicator extends AbstractHealthIndicator {

    private final RulesHolder holder;
    /** null: not recorded (tests without a state database). */
    private final RulesInForce inForce;

    public RulesHealthIndicator(RulesHolder holder) {
        this(holder, null);
    }

    public RulesHealthIndicator(RulesHolder holder, RulesInForce inForce) {
        this.holder = holder;
        this.inForce = inForce;
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
        builder.withDetail("sha256", holder.sha256());
        if (inForce != null) {
            try {
                java.util.List<RulesInForce.Hub> hubs = inForce.hubs();
                java.util.List<String> differing = hubs.stream().filter(h -> !h.sha256().equals(holder.sha256()))
                        .map(h -> h.hubId() + ": programme '" + h.programme() + "', sha256 " + h.sha256().substring(0,
                                Math.min(12, h.sha256().length())) + ", loaded " + h.loadedAt()).toList();
                builder.withDetail("hubsSeen", hubs.size()).withDetail("sameRulesOnAllHubs", differing.isEmpty());
                if (!differing.isEmpty()) {
                    builder.withDetail("differingHubs", differing);
                }
            } catch (RuntimeException e) {
                builder.withDetail("hubsSeen", "unknown: " + e.getClass().getSimpleName());
            }
        }
    }
}
