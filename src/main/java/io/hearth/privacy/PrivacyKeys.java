package io.hearth.privacy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import io.hearth.identity.AuthorKeys;

/** Hashed subjects, so that the privacy tables and the audit trail name nobody in clear. */
public final class PrivacyKeys {

    private PrivacyKeys() {
    }

    /**
     * A contact id's key: SHA-256 of {@code contact:} and its first 15 characters (the case-sensitive id; the 18-character
     * form only adds a checksum), so both spellings of one id give one key.
     */
    public static String contact(String contactId) {
        if (contactId == null || contactId.length() < 15) {
            throw new IllegalArgumentException("not a Salesforce id");
        }
        return sha256("contact:" + contactId.substring(0, 15));
    }

    /** The 18-character form of a Salesforce id (15 characters + the case-safe checksum); 18-character ids as they are. */
    public static String id18(String id) {
        if (id == null || id.length() != 15) {
            return id;
        }
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
        StringBuilder out = new StringBuilder(id);
        for (int chunk = 0; chunk < 3; chunk++) {
            int bits = 0;
            for (int i = 0; i < 5; i++) {
                char c = id.charAt(chunk * 5 + i);
                if (c >= 'A' && c <= 'Z') {
                    bits |= 1 << i;
                }
            }
            out.append(alphabet.charAt(bits));
        }
        return out.toString();
    }

    /** A handle's key: the author key the mention log uses. */
    public static String handle(String channel, String handle) {
        return AuthorKeys.of(channel, handle);
    }

    /** A service case's key (Case.Social_Conversation_Id__c): it names a post, so it is kept hashed. */
    public static String caseKey(String caseKey) {
        return sha256("case:" + caseKey);
    }

    public static String post(String mentionId) {
        return sha256("post:" + mentionId);
    }

    static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
    }
}
