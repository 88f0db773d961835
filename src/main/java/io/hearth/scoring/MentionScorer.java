package io.hearth.scoring;

import io.hearth.mention.Mention;

/**
 * The scoring facade: a mention in, its {@link Scores} out (sentiment, intent, influence,
 * interests, with explanations), and {@link #enrich} for the mention with {@code sentiment},
 * {@code intent} and {@code influence} set. Thread-safe when its parts are (the built-in ones are).
 */
public final class MentionScorer {

    private final SentimentScorer sentiment;
    private final IntentClassifier intents;
    private final InfluenceScorer influence;
    private final InterestExtractor interests;

    public MentionScorer(SentimentScorer sentiment, IntentClassifier intents, InfluenceScorer influence,
                         InterestExtractor interests) {
        this.sentiment = sentiment;
        this.intents = intents;
        this.influence = influence;
        this.interests = interests;
    }

    /** Built-in lexicons and cues, default influence weights, no topics. */
    public static MentionScorer defaults() {
        return new MentionScorer(new LexiconSentimentScorer(), new IntentClassifier(), new InfluenceScorer(),
                InterestExtractor.none());
    }

    public Scores score(Mention mention) {
        String text = mention.text() == null ? "" : mention.text();
        // tokenised once for all scorers (it was three times: ~4 % of the enrich stage's CPU)
        java.util.List<Text.Token> tokens = java.util.Collections.unmodifiableList(Text.tokens(text));
        Sentiment s = sentiment instanceof LexiconSentimentScorer lexicon ? lexicon.score(text, mention.lang(), tokens)
                : sentiment.score(text, mention.lang());
        IntentResult i = intents.classify(text, s, tokens);
        return new Scores(s, i, influence.score(mention), interests.extract(text, mention.hashtags(), tokens));
    }

    /** The mention with its enrichment fields set from {@code scores}; everything else unchanged. */
    public static Mention enrich(Mention m, Scores scores) {
        return m.withScores(scores.sentiment().score(), scores.intent().intent().value(), scores.influence().score());
    }

    /** Scores the mention and returns it enriched. */
    public Mention enrich(Mention mention) {
        return enrich(mention, score(mention));
    }
}
