package io.hearth.config;

import java.nio.file.Path;

import org.springframework.stereotype.Component;

/**
 * Absolute locations under {@code hearth.data-dir}, resolved once so every user agrees (H2 and
 * the inbox's move paths insist on absolute paths). Routes reach them as {@code {{bean:paths.inbox}}}.
 */
@Component("paths")
public class DataPaths {

    private final Path root;

    public DataPaths(HearthProperties properties) {
        this.root = properties.getDataDir().toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    public Path broker() {
        return root.resolve("broker");
    }

    public Path state() {
        return root.resolve("state");
    }

    public String inbox() {
        return root.resolve("inbox").toString();
    }
}
