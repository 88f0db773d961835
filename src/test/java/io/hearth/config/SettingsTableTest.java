package io.hearth.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Parameter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.type.filter.AnnotationTypeFilter;

/**
 * The README's source settings table against the settings records (issue 17): every record component under
 * {@code hearth.sources.*} has its row with the record's default and secret mark, and every row names a component
 * that exists.
 */
class SettingsTableTest {

    private static final Pattern ROW = Pattern.compile("^\\| `(hearth\\.sources\\.[a-z-]+\\.[a-z-]+)` \\| [^|]* \\| ([^|]*) \\| ([^|]*) \\|");

    /** One setting as a row says it: its default cell and its secret cell. */
    record Row(String defaultValue, boolean secret) {
    }

    @Test
    void theReadmeSourceSettingsTableListsEveryRecordSettingWithItsDefaultAndSecretMark() throws Exception {
        Map<String, Row> declared = declaredSourceSettings();
        Map<String, Row> documented = readmeSourceSettings(Path.of("README.md"));
        assertThat(declared).as("settings records").isNotEmpty().containsKeys("hearth.sources.x.bearer-token",
                "hearth.sources.bluesky.query", "hearth.sources.reddit.client-secret", "hearth.sources.youtube.api-key",
                "hearth.sources.forum.feeds");
        assertThat(documented.keySet()).as("README rows without a record component")
                .isSubsetOf(declared.keySet());
        assertThat(declared.keySet()).as("record components without a README row").isSubsetOf(documented.keySet());
        assertThat(documented).as("default and secret mark per setting").isEqualTo(declared);
    }

    @Test
    void everySourceEnvironmentVariableReachesComposeAndEnvExampleAndEverySecretHasItsPlaceInSecretsExample() throws Exception {
        Map<String, String> mapped = mappedSourceVariables(Path.of("config/application.yml"));
        assertThat(mapped).as("hearth.sources environment variables in config/application.yml").isNotEmpty()
                .containsEntry("hearth.sources.youtube.api-key", "HEARTH_YOUTUBE_API_KEY");
        String compose = Files.readString(Path.of("docker/compose.yaml"));
        String envExample = Files.readString(Path.of("docker/.env.example"));
        for (String variable : mapped.values()) {
            assertThat(compose).as("docker/compose.yaml passes " + variable).contains(variable + ": ${" + variable);
            assertThat(envExample).as("docker/.env.example lists " + variable).containsPattern("(?m)^" + variable + "=");
        }
        Map<String, Object> secretsExample = new org.yaml.snakeyaml.Yaml().load(Files.readString(Path.of("config/secrets.yml.example")));
        declaredSourceSettings().forEach((setting, row) -> {
            if (row.secret()) {
                assertThat(valueAt(secretsExample, setting)).as("config/secrets.yml.example has " + setting).isNotNull();
                assertThat(mapped).as("config/application.yml maps an environment variable for the secret " + setting)
                        .containsKey(setting);
            }
        });
    }

    /** Setting → environment variable, from the {@code key: ${VARIABLE:...}} lines under hearth.sources. */
    static Map<String, String> mappedSourceVariables(Path applicationYml) throws IOException {
        Map<String, Object> yml = new org.yaml.snakeyaml.Yaml().load(Files.readString(applicationYml));
        Map<String, String> mapped = new TreeMap<>();
        Object sources = valueAt(yml, "hearth.sources");
        if (sources instanceof Map<?, ?> bySource) {
            bySource.forEach((source, settings) -> {
                if (settings instanceof Map<?, ?> byKey) {
                    byKey.forEach((key, value) -> {
                        Matcher m = Pattern.compile("^\\$\\{([A-Z0-9_]+)[:}]").matcher(String.valueOf(value));
                        if (m.find()) {
                            mapped.put("hearth.sources." + source + "." + key, m.group(1));
                        }
                    });
                }
            });
        }
        return mapped;
    }

    private static Object valueAt(Map<String, Object> yml, String dotted) {
        Object node = yml;
        for (String part : dotted.split("\\.")) {
            if (!(node instanceof Map<?, ?> map)) {
                return null;
            }
            node = map.get(part);
        }
        return node;
    }

    static Map<String, Row> declaredSourceSettings() throws ReflectiveOperationException {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        Map<String, Row> settings = new TreeMap<>();
        for (var candidate : scanner.findCandidateComponents("io.hearth")) {
            Class<?> type = Class.forName(candidate.getBeanClassName());
            String prefix = type.getAnnotation(ConfigurationProperties.class).prefix();
            if (!prefix.startsWith("hearth.sources.") || !type.isRecord()) {
                continue;
            }
            var components = type.getRecordComponents();
            Constructor<?> canonical = type.getDeclaredConstructor(
                    Arrays.stream(components).map(c -> c.getType()).toArray(Class<?>[]::new));
            Parameter[] parameters = canonical.getParameters();
            for (int i = 0; i < components.length; i++) {
                // Annotations on a record component land on the constructor parameter, the component or both
                DefaultValue defaultValue = parameters[i].getAnnotation(DefaultValue.class);
                String cell = defaultValue == null ? "blank" : "`" + String.join(",", defaultValue.value()) + "`";
                boolean secret = parameters[i].isAnnotationPresent(Secret.class) || components[i].isAnnotationPresent(Secret.class);
                settings.put(prefix + "." + kebab(components[i].getName()), new Row(cell, secret));
            }
        }
        return settings;
    }

    /** The rows of the README's section "Source settings". */
    static Map<String, Row> readmeSourceSettings(Path readme) throws IOException {
        Map<String, Row> rows = new TreeMap<>();
        boolean inSection = false;
        for (String line : Files.readAllLines(readme)) {
            if (line.startsWith("#")) {
                inSection = line.equals("### Source settings");
            }
            Matcher m = ROW.matcher(line);
            if (!inSection) {
                continue;
            }
            if (m.find()) {
                rows.put(m.group(1), new Row(m.group(2).strip(), m.group(3).strip().equals("secret")));
            }
        }
        return rows;
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
    }
}
