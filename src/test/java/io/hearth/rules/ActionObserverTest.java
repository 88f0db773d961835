package io.hearth.rules;

import static io.hearth.rules.JudgeFixture.judged;
import static io.hearth.rules.JudgeFixture.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.hearth.identity.AuthorKeys;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionKind;

/** {@link ActionObserver}: which actions a mention shows; earlier posts come from a map instead of the mention log. */
class ActionObserverTest {

    static final Instant AT = Instant.parse("2026-12-01T10:00:00Z");
    static final Rules RULES = JudgeFixture.rules("""
            brand: { handles: ["@brand"], keywords: [Café Brand] }
            """);

    final Map<String, RulesStore.Logged> earlier = Map.of(
            "x:q1", logged("x:q1", "asker", "question"),
            "x:b1", logged("x:b1", "brand", "other"),
            "x:o1", logged("x:o1", "someone", "other"));
    final ActionObserver observer = new ActionObserver(id -> Optional.ofNullable(earlier.get(id)));

    static RulesStore.Logged logged(String id, String handle, String intent) {
        return new RulesStore.Logged(id, "x", AuthorKeys.of("x", handle), null, false, AT, null, intent, null, null,
                handle, "text");
    }

    static Rules.Reward reward(Rules.Action action, List<String> hashtags, Rules.Challenge challenge) {
        return new Rules.Reward("r", action, 1L, null, hashtags, null, null, null, null, challenge, null, null);
    }

    boolean observed(Rules.Action action, Mention m) {
        return observer.observed(RULES, reward(action, List.of(), null), judged(m, JudgeFixture.C1, true));
    }

    @Test
    void aMentionNamesTheBrandByHandleOrByKeywordAsWholeWordsButARepostIsNoMention() {
        assertThat(observed(Rules.Action.mention, post("1", "jane", "thanks @Brand!", AT).build())).isTrue();
        assertThat(observed(Rules.Action.mention, post("2", "jane", "thanks", AT).mentions(List.of("brand")).build()))
                .isTrue();
        assertThat(observed(Rules.Action.mention, post("3", "jane", "lunch at the cafe brand today", AT).build()))
                .as("accents and case do not matter").isTrue();
        assertThat(observed(Rules.Action.mention, post("4", "jane", "cafe brandy", AT).build())).isFalse();
        assertThat(observed(Rules.Action.mention, post("5", "jane", "@brand", AT).kind(MentionKind.REPOST).build()))
                .isFalse();
    }

    @Test
    void aShareIsARepostOrQuoteOfTheBrandsOwnPost() {
        assertThat(observed(Rules.Action.share, post("1", "jane", "", AT).kind(MentionKind.REPOST).repostOf("x:b1")
                .build())).isTrue();
        assertThat(observed(Rules.Action.share, post("2", "jane", "", AT).kind(MentionKind.REPOST).repostOf("x:o1")
                .build())).isFalse();
        assertThat(observed(Rules.Action.share, post("3", "jane", "", AT).kind(MentionKind.REPOST).repostOf("x:unseen")
                .build())).isFalse();
        assertThat(observed(Rules.Action.share, post("4", "jane", "look", AT).repostOf("x:b1").build()))
                .as("a post is no share").isFalse();
    }

    @Test
    void anAnswerRepliesToAnotherAuthorsQuestionAndIsNoQuestionOrComplaintItself() {
        Mention.Builder reply = post("1", "jane", "try the blue line", AT).kind(MentionKind.REPLY).inReplyTo("x:q1");
        assertThat(observed(Rules.Action.answer, reply.build())).isTrue();
        assertThat(observed(Rules.Action.answer, reply.intent("question").build())).isFalse();
        assertThat(observed(Rules.Action.answer, reply.intent(null).inReplyTo("x:o1").build())).as("no question")
                .isFalse();
        assertThat(observed(Rules.Action.answer, post("2", "asker", "never mind", AT).kind(MentionKind.REPLY)
                .inReplyTo("x:q1").build())).as("one's own question").isFalse();
    }

    @Test
    void aHashtagRewardNeedsTheTagInHashtagsOrTextAndNoRepost() {
        Rules.Reward tagged = reward(Rules.Action.hashtag, List.of("#Summer"), null);
        assertThat(observer.observed(RULES, tagged, judged(post("1", "j", "hi", AT).hashtags(List.of("summer")).build(),
                JudgeFixture.C1, true))).isTrue();
        assertThat(observer.observed(RULES, tagged, judged(post("2", "j", "#SUMMER!", AT).build(), JudgeFixture.C1,
                true))).isTrue();
        assertThat(observer.observed(RULES, tagged, judged(post("3", "j", "#summertime", AT).build(), JudgeFixture.C1,
                true))).isFalse();
        assertThat(observer.observed(RULES, tagged, judged(post("4", "j", "#summer", AT).kind(MentionKind.REPOST)
                .build(), JudgeFixture.C1, true))).isFalse();
    }

    @Test
    void aChallengeAnswerHasTheChallengeTagAndAnAcceptedAnswerAsWholeWords() {
        Rules.Reward quiz = reward(Rules.Action.challenge, List.of(),
                new Rules.Challenge("quiz", List.of("the station clock"), 1));
        assertThat(observer.observed(RULES, quiz, judged(post("1", "j", "#quiz The Station-Clock!", AT).build(),
                JudgeFixture.C1, true))).isTrue();
        assertThat(observer.observed(RULES, quiz, judged(post("2", "j", "The station clock", AT).build(),
                JudgeFixture.C1, true))).as("no tag").isFalse();
        assertThat(observer.observed(RULES, quiz, judged(post("3", "j", "#quiz the station clocks", AT).build(),
                JudgeFixture.C1, true))).isFalse();
    }
}
