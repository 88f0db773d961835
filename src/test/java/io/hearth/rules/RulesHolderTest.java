package io.hearth.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.Status;

/** Reload on change: a valid edit takes over, an invalid one keeps the previous rules and shows in health. */
class RulesHolderTest {

    @TempDir
    Path dir;

    @Test
    void invalidEditKeepsThePreviousRulesAndShowsInHealth() throws Exception {
        Path file = dir.resolve("rules.yml");
        Files.writeString(file, "programme: first\nrewards:\n  - { key: a, action: any, points: 1 }\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(1_000_000));
        MutableClock clock = new MutableClock();
        RulesHolder holder = new RulesHolder(file, new RulesLoader(), clock, Duration.ofSeconds(5));
        RulesHealthIndicator health = new RulesHealthIndicator(holder);
        assertThat(holder.current().programme()).isEqualTo("first");

        Files.writeString(file, "programme: second\nrewards:\n  - { key: a, action: any, points: -3 }\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(2_000_000));
        assertThat(holder.current().programme()).as("not checked before the interval").isEqualTo("first");
        clock.now = clock.now.plusSeconds(6);
        assertThat(holder.current().programme()).as("invalid edit: previous rules stay").isEqualTo("first");
        assertThat(holder.lastError()).contains("line 3").contains("rewards[0].points: must not be negative, was -3");
        Health h = health.health();
        assertThat(h.getStatus()).isEqualTo(Status.UP);
        assertThat(h.getDetails()).containsEntry("programme", "first").containsKey("lastError");

        Files.writeString(file, "programme: third\nrewards:\n  - { key: a, action: any, points: 3 }\n");
        Files.setLastModifiedTime(file, FileTime.fromMillis(3_000_000));
        clock.now = clock.now.plusSeconds(6);
        assertThat(holder.current().programme()).isEqualTo("third");
        assertThat(holder.lastError()).isNull();
        assertThat(health.health().getDetails()).doesNotContainKey("lastError");
    }

    static final class MutableClock extends Clock {
        Instant now = Instant.parse("2026-11-22T10:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
