package io.hearth.rules;

import static io.hearth.rules.JudgeFixture.C1;
import static io.hearth.rules.JudgeFixture.C2;
import static io.hearth.rules.JudgeFixture.NOW;
import static io.hearth.rules.JudgeFixture.judged;
import static io.hearth.rules.JudgeFixture.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.hearth.crm.CrmCommand;
import io.hearth.mention.Mention;

/** {@link RewardJudge}, {@link BadgeJudge} and {@link LeaderJudge} on the real schema, without the hub. */
class RewardJudgeTest {

    final JudgeFixture f = new JudgeFixture();
    final RewardJudge rewards = new RewardJudge(f.store, new ActionObserver(f.store::logged), f.records,
            new CatalogueJudge(f.catalogue, f.log));
    final BadgeJudge badges = new BadgeJudge(f.store, f.records);
    final LeaderJudge leaders = new LeaderJudge(f.store, f.records);

    static final Rules RULES = JudgeFixture.rules("""
            brand: { handles: [brand] }
            rewards:
              - { key: brand-mention, action: mention, points: 10, cap: { per-day: 15 } }
              - { key: daily, action: any, points: 1, per: day }
              - { key: quiz, action: challenge, points: 50,
                  challenge: { hashtag: quiz, answers: [clock], winners: 1 } }
              - { key: winter, action: any, points: 7, from: 2027-01-01 }
            badges:
              - { name: Big Fan, at-points: 20 }
            """);

    List<CrmCommand> judge(Mention m, String contact, boolean firstSeen) {
        List<CrmCommand> out = new ArrayList<>();
        rewards.judge(RULES, judged(m, contact, firstSeen), out);
        return out;
    }

    static List<String> keys(List<CrmCommand> out) {
        return out.stream().map(CrmCommand::externalId).toList();
    }

    @Test
    void eachObservedActionGetsOneLedgerRowUnderItsKeyAndAReplayRepeatsItExactly() {
        Mention m = post("1", "jane", "hello @brand", NOW.minus(Duration.ofHours(1))).build();

        List<CrmCommand> first = judge(m, C1, true);
        assertThat(keys(first)).containsExactly("brand-mention:" + C1 + ":x:1", "daily:" + C1 + ":2026-12-05");
        assertThat(first.get(0).fields()).containsEntry("Points__c", 10L).containsEntry("Rule__c", "brand-mention")
                .containsEntry("Reach__c", 500L)
                .containsEntry("Reason__c", "mention of the brand on x, 10 points (cap 15/day: 0 before)");

        assertThat(judge(m, C1, false)).as("replay").isEqualTo(first);
        assertThat(judge(m, C1, true)).as("redelivered after the grant").isEqualTo(first);
        assertThat(f.store.total(C1)).isEqualTo(11);
    }

    @Test
    void aReplayOfAnUnrewardedPostGrantsNothing() {
        assertThat(judge(post("1", "jane", "hello @brand", NOW).build(), C1, false)).isEmpty();
        assertThat(f.store.total(C1)).isZero();
    }

    @Test
    void theCapHoldsTheSecondMentionOfTheDayAndStopsTheThird() {
        judge(post("1", "jane", "@brand", NOW.minusSeconds(30)).build(), C1, true);
        List<CrmCommand> second = judge(post("2", "jane", "@brand", NOW.minusSeconds(20)).build(), C1, true);
        List<CrmCommand> third = judge(post("3", "jane", "@brand", NOW.minusSeconds(10)).build(), C1, true);

        assertThat(second.get(0).fields()).containsEntry("Points__c", 5L);
        assertThat(keys(third)).as("no mention reward; the daily row is the first mention's to send, not again").isEmpty();
        assertThat(keys(judge(post("1", "jane", "@brand", NOW.minusSeconds(30)).build(), C1, false)))
                .as("a replay of the first mention sends its rows again").contains("daily:" + C1 + ":2026-12-05");
    }

    @Test
    void aChallengeHasAsManyWinnersAsItSaysOncePerContact() {
        assertThat(keys(judge(post("1", "jane", "#quiz clock", NOW).build(), C1, true))).contains("quiz:" + C1);
        assertThat(keys(judge(post("2", "jane", "#quiz clock again", NOW).build(), C1, true)))
                .as("not a second win; the row is the first post's to send").doesNotContain("quiz:" + C1);
        assertThat(keys(judge(post("3", "joe", "#quiz clock", NOW).build(), C2, true))).doesNotContain("quiz:" + C2);
        assertThat(f.store.holders("quiz")).isEqualTo(1);
    }

    @Test
    void aRuleOutsideItsDatesGrantsNothing() {
        assertThat(keys(judge(post("1", "jane", "hi", NOW).build(), C1, true))).noneMatch(k -> k.startsWith("winter"));
        assertThat(keys(judge(post("2", "jane", "hi", Instant.parse("2027-01-01T00:00:00Z")).build(), C1, true)))
                .contains("winter:" + C1 + ":x:2");
    }

    @Test
    void aBadgeIsGrantedOnceAtItsMilestoneAndSentOnlyByTheMentionThatGrantedIt() {
        List<CrmCommand> out = new ArrayList<>();
        Mention granting = null;
        for (int i = 1; i <= 2; i++) {
            granting = post("" + i, "jane", "@brand", NOW.minus(Duration.ofDays(3 - i))).build();
            out = judge(granting, C1, true);
            badges.judge(RULES, judged(granting, C1, true), true, out);
        }
        assertThat(keys(out)).contains("badge:big-fan:" + C1);
        assertThat(f.store.reward("badge:big-fan:" + C1)).get().extracting(RulesStore.Reward::badge).isEqualTo("Big Fan");

        List<CrmCommand> quiet = new ArrayList<>();
        assertThat(badges.judge(RULES, judged(post("9", "jane", "x", NOW).build(), C1, true), false, quiet)).isFalse();
        assertThat(quiet).as("nothing moved: the badge is not re-sent").isEmpty();
        assertThat(badges.judge(RULES, judged(post("9", "jane", "@brand", NOW).build(), C1, true), true, quiet)).isTrue();
        assertThat(quiet).as("a later reward does not re-send it either: the record did not change").isEmpty();
        assertThat(badges.judge(RULES, judged(post("9", "jane", "x", NOW).build(), C1, false), false, quiet)).isFalse();
        assertThat(quiet).as("nor a replay of another mention (the broker-restart rewrite)").isEmpty();
        assertThat(badges.judge(RULES, judged(granting, C1, false), false, quiet)).isFalse();
        assertThat(keys(quiet)).as("a replay of the granting mention re-sends it (its first commands may have rolled back)")
                .containsExactly("badge:big-fan:" + C1);
    }

    @Test
    void thePreviousDaysLeaderGetsTheBadgeWithTheFirstPostOfTheNextDay() {
        Rules boards = JudgeFixture.rules("""
                rewards:
                  - { key: any, action: any, points: 3 }
                leaderboards:
                  - { key: daily, period: day, leader-badge: Star of the day, leader-points: 5 }
                """);
        Instant yesterday = NOW.minus(Duration.ofDays(1));
        rewards.judge(boards, judged(post("1", "joe", "hi", yesterday).build(), C2, true), new ArrayList<>());
        rewards.judge(boards, judged(post("2", "joe", "hi", yesterday.plusSeconds(60)).build(), C2, true),
                new ArrayList<>());

        List<CrmCommand> out = new ArrayList<>();
        Mention today = post("3", "jane", "hi", NOW).build();
        assertThat(leaders.judge(boards, judged(today, C1, true), out)).as("the leader is someone else").isFalse();
        assertThat(out).hasSize(2);
        assertThat(out.get(0).externalId()).isEqualTo("leader:daily:2026-12-04");
        assertThat(out.get(0).fields()).containsEntry("Contact__c", C2).containsEntry("Badge__c", "Star of the day 2026-12-04")
                .containsEntry("Points__c", 5L);
        assertThat(out.get(1).fields()).as("the leader's points").containsEntry("Social_Points__c", 11L);

        List<CrmCommand> later = new ArrayList<>();
        leaders.judge(boards, judged(post("4", "jane", "hi", NOW).build(), C1, true), later);
        assertThat(later).as("closed once").isEmpty();
    }

    @Test
    void reachIsFollowersTimesOnePlusEngagementAndSaturates() {
        Mention m = post("1", "jane", "hi", NOW).engagement(new Mention.Engagement(2L, 1L, null, 1L)).build();
        assertThat(RewardJudge.reach(m)).isEqualTo(500L * 5);
        assertThat(RewardJudge.reach(m.toBuilder().author(null).build())).isNull();
        assertThat(RewardJudge.reach(m.toBuilder().engagement(new Mention.Engagement(Long.MAX_VALUE, Long.MAX_VALUE,
                null, null)).build())).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void theLedgerKeyIsPerMentionContactDayOrMonthAndAChallengeIsOncePerContact() {
        Rules.Reward perDay = new Rules.Reward("r", Rules.Action.any, 1L, null, null, null, null, Rules.Per.day, null,
                null, null, null);
        assertThat(RewardJudge.key(perDay, "c", "x:1", "2026-12-05", "2026-12")).isEqualTo("r:c:2026-12-05");
        Rules.Reward challenge = new Rules.Reward("q", Rules.Action.challenge, 1L, null, null, null, null, null, null,
                new Rules.Challenge("q", List.of("a"), 1), null, null);
        assertThat(RewardJudge.key(challenge, "c", "x:1", "2026-12-05", "2026-12")).isEqualTo("q:c");
    }
}
