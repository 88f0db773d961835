package io.hearth.scoring;

import java.util.List;

/**
 * The sentiment of a text: {@code score} from −1 (negative) to 1 (positive), the language it was
 * read as, the cues that made the score (the explanation), and which scorer produced it
 * ({@code lexicon}, {@code http}, or {@code lexicon (http fallback: …)}).
 */
public record Sentiment(double score, String lang, List<Cue> cues, String scorer) {

    /** Scores within ±{@value} count as neutral. */
    public static final double NEUTRAL_BAND = 0.1;

    public Sentiment {
        if (!(score >= -1 && score <= 1)) {
            throw new IllegalArgumentException("sentiment score must be in [-1, 1], was " + score);
        }
        cues = cues == null ? List.of() : List.copyOf(cues);
    }

    public static Sentiment neutral(String lang, String scorer) {
        return new Sentiment(0, lang, List.of(), scorer);
    }

    /** positive, negative or neutral. */
    public String label() {
        return score >= NEUTRAL_BAND ? "positive" : score <= -NEUTRAL_BAND ? "negative" : "neutral";
    }

    public boolean positive() {
        return score >= NEUTRAL_BAND;
    }

    public boolean negative() {
        return score <= -NEUTRAL_BAND;
    }

    /** One line for people: {@code -0.83 negative (de): "verspätung" -1.5, 😡 -2.5}. */
    public String explanation() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(java.util.Locale.ROOT, "%+.2f %s", score, label()));
        if (lang != null) {
            b.append(" (").append(lang).append(')');
        }
        b.append(" by ").append(scorer);
        if (!cues.isEmpty()) {
            b.append(": ");
            for (int i = 0; i < cues.size(); i++) {
                if (i > 0) {
                    b.append(", ");
                }
                b.append(cues.get(i));
            }
        }
        return b.toString();
    }

    /**
     * One contribution: the cue as matched (a lexicon word, phrase, emoji, or a rule such as
     * {@code !!}), what it added to the raw sum, and how it was modified ("negated by nicht",
     * "×1.3 sehr"). Cues are lexicon entries, never free text from the post.
     */
    public record Cue(String cue, double contribution, String note) {
        @Override
        public String toString() {
            String value = String.format(java.util.Locale.ROOT, "%+.2f", contribution);
            return "\"" + cue + "\" " + value + (note == null || note.isEmpty() ? "" : " (" + note + ")");
        }
    }
}
