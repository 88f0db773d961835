package io.hearth.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.hearth.support.ChildHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real hub, in a child JVM, with a rules file holding a negative cap: it exits naming file, line and field. */
class RulesStartupFailureIT {

    @TempDir
    Path temp;

    @Test
    void negativeCapStopsTheHubWithFileLineAndField() throws Exception {
        Path rules = temp.resolve("rules.yml");
        Files.writeString(rules, """
                programme: broken
                rewards:
                  - key: brand-mention
                    action: mention
                    points: 10
                    cap: { per-day: -1 }
                """);
        try (ChildHub hub = ChildHub.builder("rules-negative-cap", temp.resolve("data"))
                .env("HEARTH_RULES_FILE", rules.toString()).build()) {
            hub.start();
            int exit = hub.awaitExit(Duration.ofSeconds(120));
            assertThat(exit).as("exit code; output in %s", hub.log()).isNotZero();
            assertThat(hub.output()).doesNotContainPattern("(?m)^\\s+at [\\w.$]+\\(");
            List<String> lines = hub.outputLines().stream().filter(l -> l.startsWith("Hearth rules error: ")).toList();
            assertThat(lines).singleElement().asString()
                    .contains(rules.toString() + " line 6, column 12: rewards[0].cap.per-day: must not be negative, was -1");
        }
    }
}
