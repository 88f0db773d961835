package io.hearth.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The state databases a test opens by kind ({@code "h2"}, {@code "postgresql"}: the value source of tests that run on
 * both), each fresh and migrated, closed (and the H2 files deleted) after each test:
 * {@code @RegisterExtension final StateDatabases databases = new StateDatabases();} then
 * {@code TestStateDatabase db = databases.open(kind);}. A PostgreSQL test is skipped, saying so, when none answers.
 */
public final class StateDatabases implements AfterEachCallback {

    private final List<TestStateDatabase> open = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();

    public TestStateDatabase open(String kind) {
        TestStateDatabase db;
        switch (kind) {
            case "h2" -> {
                try {
                    Path dir = Files.createTempDirectory("hearth-state-test-");
                    dirs.add(dir);
                    db = TestStateDatabase.h2(dir);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            case "postgresql" -> db = TestStateDatabase.postgres();
            default -> throw new IllegalArgumentException("no state database of kind '" + kind + "' (h2 or postgresql)");
        }
        open.add(db);
        return db;
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        for (TestStateDatabase db : open) {
            db.close();
        }
        open.clear();
        for (Path dir : dirs) {
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        dirs.clear();
    }
}
