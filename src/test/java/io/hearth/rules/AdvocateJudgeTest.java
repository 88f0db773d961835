package io.hearth.rules;

import static io.hearth.rules.JudgeFixture.C1;
import static io.hearth.rules.JudgeFixture.NOW;
import static io.hearth.rules.JudgeFixture.judged;
import static io.hearth.rules.JudgeFixture.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.hearth.crm.CrmCommand;
import io.hearth.enrich.MentionLog;
import io.hearth.mention.Mention;

/** {@link AdvocateJudge} on the real schema, without the hub; the tier's hysteresis as a pure function. */
class AdvocateJudgeTest {

    static final Rules RULES = JudgeFixture.rules("""
            advocates:
              window-days: 30
              tiers:
                - name: advocate
                  enter: { positive-mentions: 2, average-sentiment: 0.3 }
                  leave: { positive-mentions: 1 }
            """);

    final JudgeFixture f = new JudgeFixture();
    final AdvocateJudge judge = new AdvocateJudge(f.store, f.log, f.mapping, f.catalogue);
    int seq;

    /** The mention {@link #say} judged last. */
    Mention last;

    List<CrmCommand> say(double sentiment, boolean firstSeen) {
        Mention m = post("" + ++seq, "jane", "nice", NOW.minus(Duration.ofMinutes(60 - seq))).sentiment(sentiment)
                .influence(20).build();
        last = m;
        if (firstSeen) {
            f.logged(m, C1);
        }
        List<CrmCommand> out = new ArrayList<>();
        judge.judge(RULES, judged(m, C1, firstSeen), out);
        return out;
    }

    @Test
    void theFlagIsPushedWhenTheTierChangesAndAReplayOfThatMentionResendsItAsItIs() {
        assertThat(say(0.8, true)).as("one positive mention: no tier yet").isEmpty();
        List<CrmCommand> entered = say(0.6, true);
        Mention changing = last;

        assertThat(entered).singleElement().satisfies(c -> {
            assertThat(c.object()).isEqualTo("Contact");
            assertThat(c.id()).isEqualTo(C1);
            assertThat(c.fields()).containsEntry("Advocate__c", true).containsEntry("Advocate_Tier__c", "advocate")
                    .containsEntry("Advocate_Since__c", "2026-12-05").containsEntry("Advocate_Rule__c", "advocates:advocate");
        });
        assertThat(say(0.7, true)).as("no change, nothing sent").isEmpty();
        assertThat(say(0.7, false)).as("a replay of a mention that changed nothing sends nothing").isEmpty();
        List<CrmCommand> replayed = new ArrayList<>();
        judge.judge(RULES, judged(changing, C1, false), replayed);
        assertThat(replayed).as("a replay of the mention that changed it re-sends the state").isEqualTo(entered);
        assertThat(f.store.advocate(C1)).get().extracting(RulesStore.AdvocateState::tier).isEqualTo("advocate");
    }

    @Test
    void noTiersNoFlags() {
        List<CrmCommand> out = new ArrayList<>();
        judge.judge(JudgeFixture.rules("programme: none\n"), judged(post("1", "jane", "x", NOW).build(), C1, true), out);
        assertThat(out).isEmpty();
    }

    @Test
    void aContactStaysInATierWhileItsLeaveThresholdsHold() {
        List<Rules.Tier> tiers = RULES.advocates().tiers();
        MentionLog.WindowStats strong = new MentionLog.WindowStats(3, 2, 0, 0.5, 10, 0, NOW);
        MentionLog.WindowStats weak = new MentionLog.WindowStats(3, 1, 0, 0.1, 10, 0, NOW);
        MentionLog.WindowStats none = new MentionLog.WindowStats(3, 0, 0, 0.0, 10, 0, NOW);

        assertThat(AdvocateJudge.tier(tiers, strong, null)).isEqualTo("advocate");
        assertThat(AdvocateJudge.tier(tiers, weak, null)).isNull();
        assertThat(AdvocateJudge.tier(tiers, weak, "advocate")).isEqualTo("advocate");
        assertThat(AdvocateJudge.tier(tiers, none, "advocate")).isNull();
    }

    @Test
    void thresholdsUnsetAreNoCondition() {
        MentionLog.WindowStats s = new MentionLog.WindowStats(1, 1, 0, null, null, 0, NOW);
        assertThat(AdvocateJudge.meets(new Rules.Thresholds(null, null, null), s)).isTrue();
        assertThat(AdvocateJudge.meets(new Rules.Thresholds(null, 0.1, null), s)).as("no sentiment known").isFalse();
        assertThat(AdvocateJudge.meets(new Rules.Thresholds(null, null, 5), s)).as("no influence known").isFalse();
    }
}
