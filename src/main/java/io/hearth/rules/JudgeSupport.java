package io.hearth.rules;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Locale;

import io.hearth.enrich.JudgedMention;

/** What the rule judges share: record keys within Salesforce's limit, and how texts are compared. */
final class JudgeSupport {

    /** Salesforce's limit for the Text(255) external ids; longer keys keep their head and end in a hash. */
    static final int KEY_MAX = 255;

    private JudgeSupport() {
    }

    /** When the post was made: its {@code createdAt}, else the judging time. */
    static Instant postedAt(JudgedMention j) {
        return j.mention().createdAt() != null ? j.mention().createdAt() : j.now();
    }

    /** rule:contact:detail, within {@link #KEY_MAX}. */
    static String key(String rule, String contact, String detail) {
        StringBuilder b = new StringBuilder(rule);
        if (contact != null) {
            b.append(':').append(contact);
        }
        if (detail != null) {
            b.append(':').append(detail);
        }
        return cut(b.toString());
    }

    /** The key as is when it fits {@link #KEY_MAX}, else its head and a hash of the whole. */
    static String cut(String key) {
        if (key.length() <= KEY_MAX) {
            return key;
        }
        String hash = HexFormat.of().formatHex(sha256(key)).substring(0, 32);
        return key.substring(0, KEY_MAX - 34) + "#h" + hash;
    }

    /** {@code Mention__c} → {@code Mention__r}: the relationship name of a custom lookup field. */
    static String relationship(String lookupField) {
        return lookupField.endsWith("__c") ? lookupField.substring(0, lookupField.length() - 3) + "__r" : lookupField;
    }

    static String slug(String s) {
        return normal(s).replace(' ', '-');
    }

    /** Lower case, accents and punctuation removed, single spaces: how answers and keywords are compared. */
    static String normal(String s) {
        if (s == null) {
            return "";
        }
        String n = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        return n.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}]+", " ").strip();
    }

    /** Whether {@code needle} is in {@code haystack} as whole words (both {@link #normal}ised). */
    static boolean contains(String haystack, String needle) {
        return !needle.isEmpty() && (" " + haystack + " ").contains(" " + needle + " ");
    }

    /** {@code s} without a leading {@code prefix}; null becomes "". */
    static String strip(String s, char prefix) {
        return s != null && !s.isEmpty() && s.charAt(0) == prefix ? s.substring(1) : s == null ? "" : s;
    }

    static String cutTo(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }

    static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
