package io.hearth.config;

import java.util.List;

/**
 * A source the hub can run: its name under {@code hearth.sources} and the settings it cannot run
 * without when enabled (credentials, URLs). Each source contributes one as a bean.
 */
public record SourceDescriptor(String name, List<String> requiredSettings) {
}
