package io.hearth.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The one reader of recorded payloads in the tests: the fixtures under src/test/resources/fixtures/ (from the test
 * classpath, so the working directory does not matter), as bytes (exactly as stored) or UTF-8 text, and the recorded
 * real API payloads beside the repository ({@link #referencePayloads()}, optional).
 */
public final class Fixtures {

    /** Where the recorded real API payloads are: {@code -Dhearth.reference-payloads=...}, by default ../shared/reference-payloads. */
    public static final Path REFERENCE_PAYLOADS = Path.of(System.getProperty("hearth.reference-payloads",
            "/work/shared/reference-payloads"));

    private Fixtures() {
    }

    /** {@code fixtures/<path>} exactly as stored. */
    public static byte[] bytes(String path) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code fixtures/<path>} as UTF-8 text. */
    public static String text(String path) {
        return new String(bytes(path), StandardCharsets.UTF_8);
    }

    /** The files directly in {@code fixtures/<dir>}, sorted by name; empty when there is no such directory. */
    public static List<Path> list(String dir) {
        URL url = Fixtures.class.getResource("/fixtures/" + dir);
        if (url == null) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(Path.of(url.toURI()))) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The files directly in {@code <reference payloads>/<dir>}, sorted by name; empty when it is not there (it is beside
     * the repository, not in it: absent on CI).
     */
    public static List<Path> referencePayloads(String dir) {
        Path d = REFERENCE_PAYLOADS.resolve(dir);
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(d)) {
            return files.filter(Files::isRegularFile).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A file as UTF-8 text (a reference payload, or one that {@link #list} found). */
    public static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
