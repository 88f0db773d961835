package io.hearth;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The test layers (docs/testing.md): a test class that boots the whole hub is an {@code *IT} (failsafe), so that
 * {@code ./mvnw test} and the {@code *Test} layer stay free of hub boots. Booting the whole hub: a {@code @SpringBootTest}
 * without {@code classes} (it finds HearthApplication), {@code HearthApplication} started by hand, or a hub in a child
 * JVM ({@code ChildHub}). The suites of their own profiles ({@code *Bench}, {@code *Chaos}, {@code *ClusterTest}) are
 * tagged and selected by name there.
 */
class TestLayersTest {

    private static final Path TESTS = Path.of("src/test/java");
    private static final Pattern WHOLE_HUB_SPRING_BOOT_TEST = Pattern.compile("(?m)^@(?:[\\w.]+\\.)?SpringBootTest\\b(?!\\([^)]*\\bclasses\\s*=)");
    private static final Pattern HUB_BY_HAND = Pattern.compile("HearthApplication\\.class|\"io\\.hearth\\.HearthApplication\"|new ChildHub\\(|ChildHub\\.\\w+\\(");

    @Test
    void testsThatBootTheWholeHubAreNamedIT() throws IOException {
        List<String> misnamed;
        try (Stream<Path> files = Files.walk(TESTS)) {
            misnamed = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.startsWith(TESTS.resolve("io/hearth/support")))
                    .filter(TestLayersTest::bootsTheWholeHub)
                    .map(p -> p.getFileName().toString())
                    .filter(name -> !name.endsWith("IT.java") && !name.endsWith("Bench.java") && !name.endsWith("Chaos.java")
                            && !name.endsWith("ClusterTest.java"))
                    .sorted().toList();
        }
        assertThat(misnamed).as("whole-hub tests not named *IT (failsafe runs *IT; docs/testing.md)").isEmpty();
    }

    /**
     * A Spring test context stays cached after its class (spring.properties keeps 2), but JUnit deletes the class's
     * {@code @TempDir} at once: the cached hub's broker then loses its journal, and when a later class evicts the context
     * its stage consumers reconnect in vain until each route's stop gives up (11-24 s per eviction, 84 s of a verify
     * run's IT time). A hub whose data directory belongs to its class is closed with the class instead.
     */
    @Test
    void hubsWithADataDirectoryOfTheirOwnAreClosedWithTheirClass() throws IOException {
        List<String> cached;
        try (Stream<Path> files = Files.walk(TESTS)) {
            cached = files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> {
                        try {
                            String source = Files.readString(p);
                            return source.contains("@SpringBootTest") && source.contains("\"hearth.data-dir\"")
                                    && !source.contains("@DirtiesContext")
                                    && !source.contains("@org.springframework.test.annotation.DirtiesContext");
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    })
                    .map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertThat(cached).as("@SpringBootTest classes with their own hearth.data-dir but no @DirtiesContext").isEmpty();
    }

    @Test
    void theRuleSeesTheWholeHubTests() throws IOException {
        assertThat(bootsTheWholeHub(TESTS.resolve("io/hearth/PipelineAcceptanceIT.java"))).isTrue();
        assertThat(bootsTheWholeHub(TESTS.resolve("io/hearth/CrashSafetyIT.java"))).as("ChildHub").isTrue();
        assertThat(bootsTheWholeHub(TESTS.resolve("io/hearth/routes/InboxRouteTest.java"))).as("classes = ...").isFalse();
    }

    private static boolean bootsTheWholeHub(Path file) {
        try {
            String source = Files.readString(file);
            return WHOLE_HUB_SPRING_BOOT_TEST.matcher(source).find() || HUB_BY_HAND.matcher(source).find();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
