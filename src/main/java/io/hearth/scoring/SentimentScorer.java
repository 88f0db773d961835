package io.hearth.scoring;

/**
 * Scores the sentiment of a post's text. {@code lang} is the language the channel reported
 * (BCP 47, e.g. {@code de}, {@code en-GB}); null or blank lets the scorer guess. Implementations
 * are thread-safe, never throw for odd text (null, empty, emoji-only) and always return a score in
 * [−1, 1].
 */
public interface SentimentScorer {

    Sentiment score(String text, String lang);
}
