package io.hearth.scoring;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The languages the scorers read (English and German), and a cheap guess for posts whose channel
 * did not say: common function words of each language are counted, umlauts and ß count for
 * German. No evidence either way means English.
 */
public final class Languages {

    public static final String EN = "en";
    public static final String DE = "de";

    private static final Set<String> EN_WORDS = Set.of("the", "and", "is", "are", "was", "not", "i", "my", "you", "your",
            "with", "how", "to", "on", "for", "this", "that", "it", "it's", "of", "again", "very", "when", "why", "what",
            "please", "thanks", "today", "can", "do", "does", "don't", "have", "has", "at", "all", "in", "be", "just", "love",
            "we", "they", "our", "where", "no", "never", "so", "but");
    private static final Set<String> DE_WORDS = Set.of("der", "die", "das", "und", "ist", "sind", "war", "nicht", "ich",
            "mein", "meine", "du", "ihr", "mit", "wie", "zu", "auf", "fuer", "dies", "es", "von", "wieder", "schon", "sehr",
            "wann", "warum", "was", "bitte", "danke", "heute", "kann", "hat", "haben", "bei", "alle", "im", "ein", "eine",
            "einen", "kein", "keine", "ohne", "fast", "nur", "jetzt", "immer", "gestern", "morgen", "leider", "wer", "wieso", "noch", "auch", "wir", "sie", "unser", "wo", "nie", "so", "aber", "mal", "den", "dem");

    private Languages() {
    }

    /** "de", "de-AT", "DE" → "de"; "en-GB" → "en"; anything else (or blank) → null. */
    public static String supported(String lang) {
        if (lang == null || lang.isBlank()) {
            return null;
        }
        String s = lang.strip().toLowerCase(Locale.ROOT);
        // the primary subtag: up to the first '-' or '_' (split("[-_]") compiled its regex on every call, 1.2 % of the
        // enrich stage's CPU, and threw on a tag of separators only, "-" or "__": that mention failed scoring)
        int end = s.length();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '-' || c == '_') {
                end = i;
                break;
            }
        }
        String primary = s.substring(0, end);
        return primary.equals(EN) || primary.equals(DE) ? primary : null;
    }

    /** The language of the tokens: "de" or "en". */
    public static String guess(String text, List<Text.Token> tokens) {
        int en = 0;
        int de = 0;
        for (Text.Token t : tokens) {
            if (!t.isWord() || t.hashtag()) {
                continue;
            }
            if (EN_WORDS.contains(t.norm())) {
                en++;
            }
            if (DE_WORDS.contains(t.norm())) {
                de++;
            }
        }
        for (Text.Token t : tokens) {
            if (t.isWord() && !t.hashtag() && t.norm().length() > 5) {
                String w = t.norm();
                if (w.endsWith("ung") || w.endsWith("keit") || w.endsWith("heit") || w.endsWith("lich") || w.endsWith("isch")
                        || w.endsWith("chen") || w.startsWith("ge") && w.endsWith("t")) {
                    de++;
                } else if (w.endsWith("ing") || w.endsWith("tion") || w.endsWith("ly") || w.endsWith("ed")) {
                    en++;
                }
            }
        }
        if (text != null && text.chars().anyMatch(c -> "äöüÄÖÜß".indexOf(c) >= 0)) {
            de += 2;
        }
        return de > en ? DE : EN;
    }
}
