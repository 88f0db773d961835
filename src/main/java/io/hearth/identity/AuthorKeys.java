package io.hearth.identity;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;


/**
 * The pseudonym of a social author: hex SHA-256 of {@code channel:normalised-handle}. Stable across mentions, so counts
 * per author survive the purge of clear handles, and safe to log (it names nobody without the handle).
 */
public final class AuthorKeys {

    private AuthorKeys() {
    }

    public static String of(String channel, String handle) {
        String normalised = HandleNormaliser.normalise(channel, handle);
        String key = HandleNormaliser.channel(channel) + ":" + (normalised == null ? "" : normalised);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
    }

    /** A short form for log lines (first 12 hex digits). */
    public static String shortOf(String channel, String handle) {
        return of(channel, handle).substring(0, 12);
    }
}
