package io.hearth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.ServiceStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Issue 2 acceptance 4: under the dev profile a route file edited in routes/ takes effect without restart. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.NONE)
@ActiveProfiles("dev")
// Its hub lives in a data directory of this class only: closed with the class, before that directory is deleted
// (TestLayersTest)
@org.springframework.test.annotation.DirtiesContext
class RouteReloadIT {

    @TempDir
    static Path dataDir;
    @TempDir
    static Path routesDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) throws IOException {
        copyTree(Path.of("routes"), routesDir);
        Files.createDirectories(routesDir.resolve("jobs"));
        Files.writeString(routesDir.resolve("jobs/reload-probe.camel.yaml"), probeRoute("v1"));
        registry.add("hearth.data-dir", () -> dataDir.toString());
        registry.add("hearth.routes-dir", () -> routesDir.toString());
        registry.add("hearth.api-key", () -> "reload-key");
    }

    @Autowired
    ProducerTemplate producer;
    @Autowired
    CamelContext camel;

    @Test
    void editedRouteFileTakesEffectWithoutRestart() throws IOException {
        assertThat(producer.requestBody("direct:reload-probe", "", String.class)).isEqualTo("v1");

        Files.writeString(routesDir.resolve("jobs/reload-probe.camel.yaml"), probeRoute("v2"));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> "v2".equals(producer.requestBody("direct:reload-probe", "", String.class)));
        // The routes of the other files kept running.
        assertThat(camel.getRouteController().getRouteStatus("pipeline-normalise")).isEqualTo(ServiceStatus.Started);
        assertThat(camel.getRouteController().getRouteStatus("pipeline-enrich")).isEqualTo(ServiceStatus.Started);
    }

    private static String probeRoute(String answer) {
        return """
                - route:
                    id: job-reload-probe
                    from:
                      uri: direct:reload-probe
                      steps:
                        - setBody:
                            constant: %s
                """.formatted(answer);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : (Iterable<Path>) files::iterator) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
