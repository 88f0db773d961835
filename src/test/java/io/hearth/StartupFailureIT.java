package io.hearth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.hearth.support.ChildHub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 5 (configuration part): a real hub, started in a child JVM with bad configuration,
 * exits non-zero and says what is wrong in one line naming the setting or the file, without a
 * stack trace.
 */
class StartupFailureIT {

    private static final Duration EXIT_TIMEOUT = Duration.ofSeconds(90);

    @TempDir
    Path temp;

    @Test
    void unknownSourceNamesTheSetting() throws IOException {
        List<String> problem = failedStartup(hub("unknown-source").arg("--hearth.sources.nosuch.enabled=true"));

        assertThat(problem).singleElement().asString()
                .contains("hearth.sources.nosuch")
                .contains("unknown source 'nosuch'")
                .contains("known sources: ").contains("inbox").contains("reddit");
    }

    @Test
    void aSourceSettingOfTheWrongTypeNamesTheSetting() throws IOException {
        List<String> problem = failedStartup(hub("bad-duration").arg("--hearth.sources.bluesky.poll-interval=often"));

        assertThat(problem).singleElement().asString()
                .contains("hearth.sources.bluesky.poll-interval")
                .contains("not a valid Duration");
    }

    @Test
    void malformedConfigYamlNamesTheFileAndLine() throws IOException {
        Path configDir = Files.createDirectories(temp.resolve("config"));
        Path broken = configDir.resolve("application.yml");
        Files.writeString(broken, """
                hearth:
                  queues:
                    batch-size: 5
                   oops: [unclosed
                """);

        List<String> problem = failedStartup(hub("malformed-yaml").env("HEARTH_CONFIG_DIR", configDir.toString()));

        assertThat(problem).singleElement().asString()
                .contains("malformed YAML")
                .contains(broken.toAbsolutePath().toString())
                .contains("line 4");
    }

    @Test
    void batchSizeZeroNamesTheSetting() throws IOException {
        List<String> problem = failedStartup(hub("batch-size").arg("--hearth.queues.batch-size=0"));

        assertThat(problem).singleElement().asString()
                .contains("hearth.queues.batch-size")
                .contains("was 0");
    }

    @Test
    void malformedRouteFileNamesTheFileAndLine() throws IOException {
        Path routes = Files.createDirectories(temp.resolve("routes").resolve("pipeline"));
        Files.writeString(routes.resolve("fine.camel.yaml"), """
                - route:
                    id: fine
                    from:
                      uri: timer:fine?repeatCount=1
                      steps:
                        - log: fine
                """);
        Path broken = routes.resolve("broken.camel.yaml");
        Files.writeString(broken, """
                - route:
                    id: broken
                    from:
                      uri: timer:broken
                      steps:
                        - log: "one"
                       - to: [unclosed
                """);

        List<String> problem = failedStartup(hub("malformed-route").arg("--hearth.routes-dir=" + temp.resolve("routes")));

        assertThat(problem).singleElement().asString()
                .contains("malformed YAML")
                .contains(broken.toAbsolutePath().toString())
                .contains("line 7");
    }

    private ChildHub.Builder hub(String name) {
        return ChildHub.builder("startup-" + name, temp.resolve("data-" + name));
    }

    /**
     * Starts the hub, expects it to exit non-zero on its own, and returns the lines that state the
     * problem (Hearth's failure analysis). The output must hold no stack trace.
     */
    private static List<String> failedStartup(ChildHub.Builder builder) {
        try (ChildHub hub = builder.build()) {
            hub.start();
            int exit = hub.awaitExit(EXIT_TIMEOUT);
            String output = hub.output();
            assertThat(exit).as("exit code of a hub with bad configuration; output in %s", hub.log()).isNotZero();
            assertThat(output).as("output of the failed start (%s)", hub.log())
                    .contains("APPLICATION FAILED TO START")
                    .doesNotContainPattern("(?m)^\\s+at [\\w.$]+\\(");
            return hub.outputLines().stream()
                    .filter(line -> line.startsWith("Hearth configuration error: ") || line.startsWith("Hearth route error: "))
                    .toList();
        }
    }
}
