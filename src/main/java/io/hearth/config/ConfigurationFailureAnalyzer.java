package io.hearth.config;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.camel.FailedToCreateRouteException;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Turns configuration failures into one line that names the setting or the file position, instead
 * of a stack trace: bad Hearth settings (also a value a settings record cannot take), malformed YAML in {@code config/}, and route files that
 * do not parse or whose routes cannot be created.
 */
@Order(Ordered.HIGHEST_PRECEDENCE) // before Spring's BindFailureAnalyzer, for the hearth.* settings records
public class ConfigurationFailureAnalyzer implements FailureAnalyzer {

    /** Camel's YAML DSL: "Error pre-parsing resource: file:/.../x.camel.yaml" (a file that is not YAML). */
    private static final Pattern CAMEL_RESOURCE = Pattern.compile("resource: (\\S+)");
    /** Camel: "Failed to create route: id (source: file:/.../x.camel.yaml:12): ...". */
    private static final Pattern ROUTE_SOURCE = Pattern.compile("\\(source: ([^)]+)\\)");

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HearthConfigurationException e) {
                return new FailureAnalysis("Hearth configuration error: " + e.getMessage(),
                        "Fix '" + e.setting() + "' in config/application.yml or its environment variable.", e);
            }
            if (t instanceof ExplainedFailure e) {
                return new FailureAnalysis(e.failureDescription(), e.failureAction(), t);
            }
            if (t instanceof BindException e && e.getName() != null && e.getName().toString().startsWith("hearth.")) {
                return new FailureAnalysis("Hearth configuration error: " + bindProblem(e),
                        "Fix '" + e.getName() + "' in config/application.yml or its environment variable.", e);
            }
            if (t instanceof MalformedYamlException e) {
                return new FailureAnalysis("Hearth configuration error: " + e.getMessage(),
                        "Correct the YAML syntax in " + e.file() + ".", e);
            }
        }
        FailureAnalysis route = analyzeRouteFailure(failure);
        if (route != null) {
            return route;
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException e) {
                String where = failure.getMessage() != null && failure.getMessage().contains("location '")
                        ? failure.getMessage().replaceAll(".*location '([^']*)'.*", "$1") : "a YAML file";
                String line = e.getProblemMark() == null ? "" : " at line " + (e.getProblemMark().getLine() + 1)
                        + ", column " + (e.getProblemMark().getColumn() + 1);
                return new FailureAnalysis("Hearth configuration error: malformed YAML in " + where + line + ": "
                        + e.getProblem(), "Correct the YAML syntax in " + where + ".", e);
            }
        }
        return null;
    }

    /**
     * A value Spring could not bind to a settings record: the setting and the type it must have. The value itself is
     * not repeated (it may be a secret).
     */
    private static String bindProblem(BindException e) {
        String type = e.getTarget() == null || e.getTarget().getType() == null ? "value"
                : e.getTarget().getType().resolve(Object.class).getSimpleName();
        String hint = type.equals("Duration") ? " (e.g. 60s, 5m or milliseconds)" : "";
        return e.getName() + ": not a valid " + type + hint;
    }

    /** A route file of {@code hearth.routes-dir} that Camel could not load, named with its position. */
    private static FailureAnalysis analyzeRouteFailure(Throwable failure) {
        String resource = null;
        MarkedYamlEngineException yaml = null;
        FailedToCreateRouteException route = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (resource == null && t.getMessage() != null && t.getMessage().startsWith("Error")) {
                Matcher m = CAMEL_RESOURCE.matcher(t.getMessage());
                if (m.find()) {
                    resource = m.group(1);
                }
            }
            if (t instanceof MarkedYamlEngineException e) {
                yaml = e;
            }
            if (route == null && t instanceof FailedToCreateRouteException e) {
                route = e;
            }
        }
        if (yaml != null) {
            Mark mark = yaml.getProblemMark().or(yaml::getContextMark).orElse(null);
            String file = resource != null ? resource : mark != null ? mark.getName() : null;
            if (file == null || !looksLikeFile(file)) {
                return null;
            }
            String where = display(file) + (mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1));
            String problem = yaml.getProblem() == null ? firstLine(yaml.getMessage()) : yaml.getProblem().strip();
            String kind = yaml.getClass().getName().startsWith("org.snakeyaml.") ? "malformed YAML in route file " : "invalid route in ";
            return new FailureAnalysis("Hearth route error: " + kind + where + ": " + problem,
                    "Correct " + display(file) + " (routes are loaded from hearth.routes-dir).", yaml);
        }
        if (route != null) {
            Matcher m = ROUTE_SOURCE.matcher(String.valueOf(route.getMessage()));
            String source = m.find() ? display(m.group(1)) : "hearth.routes-dir";
            Throwable root = route;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return new FailureAnalysis("Hearth route error: route '" + route.getRouteId() + "' in " + source
                    + " cannot be created: " + firstLine(root.getMessage()),
                    "Correct the route in " + source + " (routes are loaded from hearth.routes-dir).", route);
        }
        if (resource != null && looksLikeFile(resource)) {
            Throwable root = failure;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return new FailureAnalysis("Hearth route error: cannot load route file " + display(resource) + ": "
                    + firstLine(root.getMessage()), "Correct " + display(resource) + ".", failure);
        }
        return null;
    }

    private static boolean looksLikeFile(String location) {
        return location.startsWith("file:") || location.startsWith("classpath:") || location.endsWith(".yaml")
                || location.endsWith(".yml");
    }

    /** "file:/abs/project/routes/x.camel.yaml" → "routes/x.camel.yaml" when under the working directory. */
    private static String display(String location) {
        String path = location.startsWith("file:") ? location.substring("file:".length()) : location;
        try {
            Path file = Path.of(path).toAbsolutePath().normalize();
            Path workingDir = Path.of("").toAbsolutePath();
            return file.startsWith(workingDir) ? workingDir.relativize(file).toString() : file.toString();
        } catch (RuntimeException e) {
            return location;
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        String line = message.strip();
        int newline = line.indexOf('\n');
        return newline < 0 ? line : line.substring(0, newline).strip();
    }
}
