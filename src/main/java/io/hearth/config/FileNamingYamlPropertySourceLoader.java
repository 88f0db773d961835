package io.hearth.config;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.Resource;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Spring's YAML loader, except that a syntax error names the file it is in: Spring's own loader
 * lets SnakeYAML's exception through, which only knows a line in "'reader'". Registered ahead of
 * Spring's loader (META-INF/spring.factories), so it loads every {@code .yml}/{@code .yaml} config file.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
public class FileNamingYamlPropertySourceLoader extends YamlPropertySourceLoader {

    @Override
    public List<PropertySource<?>> load(String name, Resource resource) throws IOException {
        try {
            return super.load(name, resource);
        } catch (MarkedYAMLException e) {
            int line = e.getProblemMark() == null ? 0 : e.getProblemMark().getLine() + 1;
            int column = e.getProblemMark() == null ? 0 : e.getProblemMark().getColumn() + 1;
            throw new MalformedYamlException(describe(resource), line, column, e.getProblem(), e);
        }
    }

    static String describe(Resource resource) {
        try {
            if (resource.isFile()) {
                Path file = resource.getFile().toPath().toAbsolutePath().normalize();
                Path workingDir = Path.of("").toAbsolutePath();
                return file.startsWith(workingDir) ? workingDir.relativize(file).toString() : file.toString();
            }
        } catch (IOException | RuntimeException ignored) {
            // fall back to the description
        }
        return resource.getDescription();
    }
}
