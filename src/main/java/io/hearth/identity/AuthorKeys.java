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

    /**
     * One thread's digest and its last key: a stage asks for the same author's key several times per mention (privacy
     * gate, mention log, group header), and {@code MessageDigest.getInstance} looks up the provider each call.
     */
    private static final ThreadLocal<Last> LAST = ThreadLocal.withInitial(Last::new);

    private static final class Last {
        final MessageDigest sha256;
        String channel;
        String handle;
        String key;

        Last() {
            try {
                sha256 = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 missing from the JVM", e);
            }
        }
    }

    public static String of(String channel, String handle) {
        Last last = LAST.get();
        if (last.key != null && java.util.Objects.equals(channel, last.channel) && java.util.Objects.equals(handle, last.handle)) {
            return last.key;
        }
        String normalised = HandleNormaliser.normalise(channel, handle);
        String key = HandleNormaliser.channel(channel) + ":" + (normalised == null ? "" : normalised);
        last.sha256.reset();
        String hex = HexFormat.of().formatHex(last.sha256.digest(key.getBytes(StandardCharsets.UTF_8)));
        last.channel = channel;
        last.handle = handle;
        last.key = hex;
        return hex;
    }

    /** A short form for log lines (first 12 hex digits). */
    public static String shortOf(String channel, String handle) {
        return of(channel, handle).substring(0, 12);
    }
}
