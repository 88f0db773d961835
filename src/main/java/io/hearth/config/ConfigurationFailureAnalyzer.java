package io.hearth.config;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Turns configuration failures into one line that names the setting or the file position, instead
 * of a stack trace: bad Hearth settings and malformed YAML in {@code config/}.
 */
public class ConfigurationFailureAnalyzer implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof HearthConfigurationException e) {
                return new FailureAnalysis("Hearth configuration error: " + e.getMessage(),
                        "Fix '" + e.setting() + "' in config/application.yml or its environment variable.", e);
            }
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
}
