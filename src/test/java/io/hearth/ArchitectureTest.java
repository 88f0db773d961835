package io.hearth;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package boundaries of docs/architecture.md, held on the compiled production classes: which top-level package under
 * io.hearth may import which, no cycles between them, every package classified. A new import that crosses a boundary
 * fails here with the class, the member and the line; to change a boundary on purpose, change {@link #MAY_IMPORT} and the
 * table in docs/architecture.md together (the last test compares them).
 */
class ArchitectureTest {

    /** What every package above the base may use: the model, settings, the stage queues, the state database, the cluster. */
    static final Set<String> BASE = Set.of("config", "mention", "queue", "state", "cluster");

    /** Each top-level package under io.hearth and the packages it may import (besides itself and its sub-packages). */
    static final Map<String, Set<String>> MAY_IMPORT = Map.ofEntries(
            entry("mention", Set.of()),
            entry("config", Set.of()),
            entry("queue", Set.of("config")),
            entry("state", Set.of("config", "mention", "queue")),
            entry("cluster", Set.of("config")),
            entry("channel", Set.of("mention")),
            entry("scoring", Set.of("mention")),
            entry("crm", Set.of("config", "queue", "state", "cluster")),
            entry("ingest", base("channel")),
            entry("source", base("channel", "ingest")),
            entry("identity", base("channel", "crm")),
            entry("enrich", base("crm", "identity", "scoring")),
            entry("rules", base("crm", "enrich", "identity", "scoring")),
            entry("pipeline", base("channel", "identity")),
            entry("deadletter", base("channel", "pipeline")),
            entry("privacy", base("channel", "crm", "enrich", "identity", "rules")),
            entry("service", base("crm", "enrich", "identity", "rules")),
            entry("ops", base("source")),
            entry("api", base("channel", "identity", "ingest")),
            entry("console", base("crm", "deadletter", "identity", "rules", "source")),
            entry("sandbox", base("ingest")));

    private static final String APPLICATION = "application (io.hearth)";

    private static JavaClasses classes;

    @BeforeAll
    static void importProductionClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.hearth");
    }

    @Test
    void packagesImportOnlyWhatTheArchitectureAllows() {
        LayeredArchitecture architecture = layeredArchitecture().consideringOnlyDependenciesInLayers()
                .ensureAllClassesAreContainedInArchitecture()
                .layer(APPLICATION).definedBy("io.hearth");
        for (String pkg : MAY_IMPORT.keySet()) {
            architecture = architecture.layer(pkg).definedBy("io.hearth." + pkg + "..");
        }
        for (Map.Entry<String, Set<String>> allowed : MAY_IMPORT.entrySet()) {
            String[] targets = allowed.getValue().toArray(String[]::new);
            architecture = targets.length == 0
                    ? architecture.whereLayer(allowed.getKey()).mayNotAccessAnyLayer()
                    : architecture.whereLayer(allowed.getKey()).mayOnlyAccessLayers(targets);
        }
        architecture = architecture.whereLayer(APPLICATION).mayNotBeAccessedByAnyLayer();
        architecture.because("docs/architecture.md: imports run one way, and only along the allowed directions")
                .check(classes);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.hearth.(*)..").should().beFreeOfCycles().check(classes);
    }

    /** Within a package too: io.hearth.channel and io.hearth.channel.x, io.hearth.identity and identity.linking, ... */
    @Test
    void subPackagesAreFreeOfCycles() {
        slices().matching("io.hearth.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void theArchitecturePageShowsTheseRules() throws IOException {
        assertThat(documentedRules(Path.of("docs/architecture.md")))
                .as("the table under '## Allowed imports' in docs/architecture.md")
                .isEqualTo(new TreeMap<>(MAY_IMPORT));
    }

    /** Rows {@code | `pkg` | `a`, `b`, base |}: the second column's names, {@code base} standing for {@link #BASE}. */
    static Map<String, Set<String>> documentedRules(Path page) throws IOException {
        String text = Files.readString(page);
        int start = text.indexOf("## Allowed imports");
        assertThat(start).as("section '## Allowed imports' in " + page).isNotNegative();
        int end = text.indexOf("\n## ", start + 1);
        String section = text.substring(start, end < 0 ? text.length() : end);
        Map<String, Set<String>> rules = new TreeMap<>();
        Matcher row = Pattern.compile("(?m)^\\|\\s*`([a-z]+)`\\s*\\|([^|]*)\\|").matcher(section);
        while (row.find()) {
            String pkg = row.group(1);
            Set<String> targets = new TreeSet<>();
            for (String cell : row.group(2).split(",")) {
                String name = cell.replace("`", "").strip();
                if (name.equals("base")) {
                    targets.addAll(BASE);
                } else if (!name.isEmpty() && !name.equals("—") && !name.equals("-")) {
                    targets.add(name);
                }
            }
            targets.remove(pkg);
            rules.put(pkg, targets);
        }
        return rules;
    }

    private static Set<String> base(String... more) {
        return Stream.concat(BASE.stream(), Arrays.stream(more)).collect(Collectors.toUnmodifiableSet());
    }
}
