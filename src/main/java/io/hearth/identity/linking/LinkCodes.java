package io.hearth.identity.linking;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one-time linking codes: {@code HEARTH-} and {@value #LENGTH} characters of an alphabet without look-alikes
 * (no 0/O, 1/I/L), drawn from {@link SecureRandom}: 31^10 ≈ 8·10^14 (about 2^49) codes, so guessing one among the few live codes is
 * hopeless, all the more as wrong codes lock an author out. Codes are compared case-insensitively (people retype them)
 * and stored only as SHA-256 hashes.
 */
public final class LinkCodes {

    static final String PREFIX = "HEARTH-";
    static final String ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    static final int LENGTH = 10;
    /** Anything shaped like a code counts as an attempt (so wrong guesses are counted), valid or not. */
    private static final Pattern CANDIDATE = Pattern.compile("(?i)(?<![A-Z0-9])HEARTH-([A-Z0-9]{4,32})(?![A-Z0-9])");

    private final SecureRandom random;

    public LinkCodes(SecureRandom random) {
        this.random = random;
    }

    /** A fresh code. */
    public String next() {
        StringBuilder code = new StringBuilder(PREFIX);
        for (int i = 0; i < LENGTH; i++) {
            code.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        return code.toString();
    }

    /** The codes (or code-shaped attempts) in a post's text, upper case, each once, in order. */
    public static List<String> find(String text) {
        if (text == null || text.isEmpty()) {
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        Matcher m = CANDIDATE.matcher(text);
        while (m.find() && out.size() < 5) {
            out.add(PREFIX + m.group(1).toUpperCase(Locale.ROOT));
        }
        return new ArrayList<>(out);
    }

    /** What the state database keeps of a code: hex SHA-256 of its upper-case form. */
    public static String hash(String code) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(code.strip().toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
    }
}
