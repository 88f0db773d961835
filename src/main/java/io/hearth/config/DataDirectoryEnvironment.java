package io.hearth.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Resolves {@code hearth.data-dir} to an absolute path once, so every user of it (journal, inbox
 * file paths, H2, which insists on absolute paths) agrees, and derives the state database URL
 * from it when none is configured: an H2 file under {@code <data-dir>/state}.
 */
public class DataDirectoryEnvironment implements EnvironmentPostProcessor {

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        Path dataDir = Path.of(environment.getProperty("hearth.data-dir", "data")).toAbsolutePath().normalize();
        Map<String, Object> derived = new HashMap<>();
        derived.put("hearth.data-dir", dataDir.toString());
        String url = environment.getProperty("spring.datasource.url");
        if (url == null || url.isBlank()) {
            // WRITE_DELAY=0: a commit reaches the file before it returns, so a killed hub keeps its keys.
            derived.put("spring.datasource.url", "jdbc:h2:file:" + dataDir.resolve("state").resolve("hearth") + ";WRITE_DELAY=0");
            derived.put("spring.datasource.username", "sa");
            derived.put("spring.datasource.password", "");
        }
        environment.getPropertySources().addFirst(new MapPropertySource("hearth-derived", derived));
    }
}
