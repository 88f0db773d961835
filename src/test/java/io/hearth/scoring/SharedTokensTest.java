package io.hearth.scoring;

import java.util.List;
import java.util.Map;

import io.hearth.mention.Mention;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MentionScorer#score} tokenises a text once for all its scorers: the scores (with every reason and cue) are
 * those of each scorer on its own, on the labelled posts.
 */
class SharedTokensTest {

    @Test
    void scoresWithSharedTokensEqualEachScorerOnItsOwn() throws Exception {
        LexiconSentimentScorer sentiment = new LexiconSentimentScorer();
        IntentClassifier intents = new IntentClassifier();
        InfluenceScorer influence = new InfluenceScorer();
        InterestExtractor interests = new InterestExtractor(Map.of("coffee", List.of("espresso", "kaffee*"),
                "trains", List.of("zug", "bahn*", "train*")), List.of("hearthcampaign"));
        MentionScorer scorer = new MentionScorer(sentiment, intents, influence, interests);
        int n = 0;
        for (LabelledCorpusTest.Case c : LabelledCorpusTest.corpus()) {
            Mention m = MentionScorerTest.mention(c.text(), c.lang(), 1520L, new Mention.Engagement(12L, 3L, 1L, 0L),
                    List.of("bahnchaos"));
            Sentiment s = sentiment.score(c.text(), c.lang());
            Scores alone = new Scores(s, intents.classify(c.text(), s), influence.score(m),
                    interests.extract(c.text(), m.hashtags()));
            assertThat(scorer.score(m)).as(c.text()).isEqualTo(alone);
            n++;
        }
        assertThat(n).isGreaterThan(50);
    }
}
