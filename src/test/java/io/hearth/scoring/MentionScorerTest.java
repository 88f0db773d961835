package io.hearth.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.hearth.mention.Mention;
import io.hearth.mention.MentionKind;
import io.hearth.mention.MentionValidator;
import org.junit.jupiter.api.Test;

class MentionScorerTest {

    static Mention mention(String text, String lang, Long followers, Mention.Engagement engagement, List<String> hashtags) {
        return Mention.v1("x", "1").id("x:1").url("https://x.com/jane/status/1").kind(MentionKind.POST).text(text)
                .lang(lang).createdAt(Instant.parse("2026-11-20T10:00:00Z"))
                .author(new Mention.Author("jane", "42", "Jane", followers, false, null)).engagement(engagement)
                .hashtags(hashtags).mentions(List.of("db_bahn")).links(List.of()).conversationId("c1")
                .match(new Mention.Match("003000000000001AAA", "handle", 0.98)).build();
    }

    final MentionScorer scorer = new MentionScorer(new LexiconSentimentScorer(), new IntentClassifier(), new InfluenceScorer(),
            new InterestExtractor(Map.of("rail", List.of("zug", "bahn*", "ice")), List.of()));

    @Test
    void scoresAndEnrichesAComplaint() {
        Mention m = mention("@db_bahn Der Zug hat schon wieder 40 Minuten Verspätung 😡 #bahnchaos", null, 1520L,
                new Mention.Engagement(12L, 3L, 1L, 0L), List.of("bahnchaos"));
        Scores scores = scorer.score(m);
        assertThat(scores.sentiment().label()).isEqualTo("negative");
        assertThat(scores.intent().intent()).isEqualTo(Intent.COMPLAINT);
        assertThat(scores.influence().score()).isEqualTo(59);
        assertThat(scores.interests()).extracting(Interest::key).containsExactly("rail", "#bahnchaos");
        assertThat(scores.explanations()).hasSize(4).allMatch(l -> !l.isBlank());
        assertThat(scores.explanations().get(3)).isEqualTo("interests rail (\"zug\"), #bahnchaos");

        Mention enriched = MentionScorer.enrich(m, scores);
        assertThat(enriched.sentiment()).isEqualTo(scores.sentiment().score());
        assertThat(enriched.intent()).isEqualTo("complaint");
        assertThat(enriched.influence()).isEqualTo(59);
        // everything else unchanged
        assertThat(enriched).usingRecursiveComparison().ignoringFields("sentiment", "intent", "influence").isEqualTo(m);
        // and still a valid canonical mention
        assertThat(MentionValidator.validate(enriched)).isEqualTo(enriched);
    }

    @Test
    void emptyRepostIsNeutralOther() {
        Mention repost = Mention.builder().channel("x").nativeId("2").kind(MentionKind.REPOST).text("")
                .createdAt(Instant.parse("2026-11-20T10:00:00Z")).repostOf("x:1").build();
        Mention enriched = scorer.enrich(repost);
        assertThat(enriched.sentiment()).isZero();
        assertThat(enriched.intent()).isEqualTo("other");
        assertThat(enriched.influence()).isZero();
    }

    @Test
    void defaultsPraise() {
        Mention m = mention("Not bad at all, love the new lounge!", "en", 100_000L, null, List.of());
        Mention enriched = MentionScorer.defaults().enrich(m);
        assertThat(enriched.intent()).isEqualTo("praise");
        assertThat(enriched.sentiment()).isGreaterThan(0.5);
        assertThat(enriched.influence()).isEqualTo(80);
    }
}
