package io.hearth.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;

import org.junit.jupiter.api.Test;

/** config/rules.yml and the examples load; broken files fail naming file, line, column and field. */
class RulesLoaderTest {

    private final RulesLoader loader = new RulesLoader();

    @Test
    void theDefaultRulesLoad() {
        Rules rules = loader.load(Path.of("config/rules.yml"));

        assertThat(rules.programme()).isEqualTo("general");
        assertThat(rules.rewards()).extracting(Rules.Reward::action)
                .contains(Rules.Action.mention, Rules.Action.share);
        assertThat(rules.advocates().tiers()).extracting(Rules.Tier::name).containsExactly("multiplier", "advocate");
        assertThat(rules.cases().intents()).containsExactly("complaint", "question");
        assertThat(rules.cases().who()).isEqualTo(Rules.Who.known);
    }

    @Test
    void everyCampaignExampleLoads() throws IOException {
        // each example as docs/campaigns.md describes it: its programme, and something it does (rewards or cases)
        java.util.Map<String, String> programmes = new java.util.TreeMap<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(Path.of("config/examples"), "*.yml")) {
            for (Path f : files) {
                Rules rules = loader.load(f);
                programmes.put(f.getFileName().toString(), rules.programme());
                assertThat(!rules.rewards().isEmpty() || (rules.cases() != null && rules.cases().enabled()))
                        .as(f + " grants rewards or opens cases").isTrue();
            }
        }
        assertThat(programmes).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
                "airline-loyalty.yml", "loyalty-linking", "airline-strike.yml", "strike-service",
                "charity-endviolence.yml", "endviolence-2026", "film-studio.yml", "film-studio-fans",
                "telco-community.yml", "telco-community", "outdoor-individual-rewards.yml", "individual-rewards",
                "service-two-way.yml", "nordkauf-care"));
        Rules strike = loader.load(Path.of("config/examples/airline-strike.yml"));
        assertThat(strike.rewards()).as("a service programme, no rewards").isEmpty();
        assertThat(strike.cases().who()).isEqualTo(Rules.Who.anyone);
    }

    @Test
    void theDefaultCampaignIsARollingOneSoTheDemoPaysWhateverTheDate() {
        Rules rules = loader.load(Path.of("config/rules.yml"));
        assertThat(rules.rewards()).filteredOn(r -> r.key().startsWith("campaign-"))
                .hasSize(2).allSatisfy(r -> {
                    assertThat(r.withinDays()).isEqualTo(60);
                    assertThat(r.from()).isNull();
                    assertThat(r.until()).isNull();
                });
        assertThatThrownBy(() -> loader.parse("r.yml", "rewards:\n  - { key: a, action: any, points: 1, within-days: 0 }\n"))
                .hasMessageContaining("r.yml line 2, column 39: rewards[0].within-days: must be 1..3650, was 0");
    }

    @Test
    void aRollingWindowCountsBackFromTheDayThePostIsJudged() {
        Rules.Reward rolling = loader.parse("r.yml", "rewards:\n  - { key: a, action: any, points: 1, within-days: 60 }\n")
                .rewards().get(0);
        Rules.Reward fixed = loader.parse("r.yml", "rewards:\n  - { key: a, action: any, points: 1 }\n").rewards().get(0);
        java.time.Instant judged = java.time.Instant.parse("2027-02-01T00:00:30Z");
        var j = new io.hearth.enrich.JudgedMention(null, null, null, true, judged);
        assertThat(RulesJudge.withinRollingWindow(rolling, LocalDate.parse("2027-02-01"), j)).isTrue();
        assertThat(RulesJudge.withinRollingWindow(rolling, LocalDate.parse("2026-12-04"), j)).as("the 60th day back").isTrue();
        assertThat(RulesJudge.withinRollingWindow(rolling, LocalDate.parse("2026-12-03"), j)).as("the 61st").isFalse();
        assertThat(RulesJudge.withinRollingWindow(rolling, LocalDate.parse("2027-02-02"), j)).as("a day of clock slack").isTrue();
        assertThat(RulesJudge.withinRollingWindow(rolling, LocalDate.parse("2027-02-03"), j)).isFalse();
        assertThat(RulesJudge.withinRollingWindow(fixed, LocalDate.parse("2020-01-01"), j)).as("no rolling window").isTrue();
    }

    @Test
    void unknownFieldNamesLineAndField() {
        String yaml = """
                programme: test
                rewards:
                  - key: a
                    action: mention
                    points: 5
                    cap: { per-dya: 10 }
                """;
        assertThatThrownBy(() -> loader.parse("config/rules.yml", yaml))
                .isInstanceOf(RulesException.class)
                .hasMessage("config/rules.yml line 6, column 12: rewards[0].cap.per-dya: unknown field 'per-dya'"
                        + " (known: per-day, per-month)");
    }

    @Test
    void badDateNamesLineAndField() {
        String yaml = """
                rewards:
                  - key: campaign
                    action: hashtag
                    hashtags: [ENDviolence]
                    points: 5
                    from: 2026-11-01
                    until: 2026-11-31
                """;
        assertThatThrownBy(() -> loader.parse("rules.yml", yaml))
                .isInstanceOf(RulesException.class)
                .hasMessageStartingWith("rules.yml line 7, column 5: rewards[0].until: '2026-11-31' is not a valid date");
    }

    @Test
    void negativeCapNamesLineAndField() {
        String yaml = """
                rewards:
                  - key: a
                    action: share
                    points: 5
                    cap:
                      per-day: 10
                      per-month: -5
                """;
        assertThatThrownBy(() -> loader.parse("rules.yml", yaml))
                .isInstanceOf(RulesException.class)
                .hasMessage("rules.yml line 7, column 7: rewards[0].cap.per-month: must not be negative, was -5");
    }

    @Test
    void otherMistakesAreNamedToo() {
        assertThatThrownBy(() -> loader.parse("r.yml", "rewards:\n  - key: a\n    action: retweet\n    points: 1\n"))
                .hasMessageContaining("r.yml line 3, column 5: rewards[0].action: 'retweet' is not a valid value (one of");
        assertThatThrownBy(() -> loader.parse("r.yml", "rewards:\n  - key: a\n    action: any\n"))
                .hasMessage("r.yml line 2, column 5: rewards[0]: needs exactly one of points: or draw:");
        assertThatThrownBy(() -> loader.parse("r.yml", """
                rewards:
                  - { key: a, action: any, points: 1, from: 2026-12-01, until: 2026-11-01 }
                """)).hasMessageContaining("rewards[0].until: is before from (2026-12-01)");
        assertThatThrownBy(() -> loader.parse("r.yml", """
                advocates:
                  tiers:
                    - name: advocate
                      enter: { positive-mentions: 3 }
                      leave: { positive-mentions: 5 }
                """)).hasMessage("r.yml line 5, column 16: advocates.tiers[0].leave.positive-mentions: must not be above"
                + " enter.positive-mentions (3): the leave threshold is the lower one");
        assertThatThrownBy(() -> loader.parse("r.yml", "rewards:\n  - { key: a, action: any, points: 1 }\n"
                + "badges:\n  - { name: X, rule: nosuch, at-count: 2 }\n"))
                .hasMessageContaining("r.yml line 4, column 16: badges[0].rule: must name a reward key");
        assertThatThrownBy(() -> loader.parse("r.yml", "cases:\n  intents: [complaint, rant]\n"))
                .hasMessageContaining("r.yml line 2, column 24: cases.intents[1]: 'rant' is not an intent");
        assertThatThrownBy(() -> loader.parse("r.yml", "programme: a\nprogramme: b\n"))
                .hasMessageContaining("r.yml line 2, column 1: programme: listed twice");
        assertThatThrownBy(() -> loader.parse("r.yml", "rewards: [unclosed\n"))
                .hasMessageContaining("r.yml line 2, column 1: malformed YAML");
    }

    @Test
    void drawsAreDeterministicAndInRange() {
        Rules.Draw draw = new Rules.Draw(100L, 100_000L, "loyalty-2026");
        long a = RulesJudge.draw(draw, "welcome-draw:003000000000001AAA");
        assertThat(a).isEqualTo(RulesJudge.draw(draw, "welcome-draw:003000000000001AAA")).isBetween(100L, 100_000L);
        long distinct = java.util.stream.IntStream.range(0, 200)
                .mapToLong(i -> RulesJudge.draw(draw, "welcome-draw:contact" + i)).distinct().count();
        assertThat(distinct).as("200 draws spread over the range").isGreaterThan(190);
        assertThat(RulesJudge.draw(new Rules.Draw(7L, 7L, "s"), "k")).isEqualTo(7);
    }

    @Test
    void tiersHaveHysteresis() {
        var tiers = loader.parse("r.yml", """
                advocates:
                  tiers:
                    - name: multiplier
                      enter: { positive-mentions: 3, influence: 60 }
                      leave: { positive-mentions: 2, influence: 50 }
                    - name: advocate
                      enter: { positive-mentions: 3, average-sentiment: 0.3 }
                      leave: { positive-mentions: 1, average-sentiment: 0.1 }
                """).advocates().tiers();
        var strong = new io.hearth.enrich.MentionLog.WindowStats(4, 4, 0, 0.6, 70, 0, null);
        var middling = new io.hearth.enrich.MentionLog.WindowStats(3, 2, 0, 0.2, 55, 0, null);
        var weak = new io.hearth.enrich.MentionLog.WindowStats(1, 0, 1, -0.2, 20, 0, null);
        assertThat(RulesJudge.tier(tiers, strong, null)).isEqualTo("multiplier");
        assertThat(RulesJudge.tier(tiers, middling, null)).as("enters nothing").isNull();
        assertThat(RulesJudge.tier(tiers, middling, "multiplier")).as("but stays").isEqualTo("multiplier");
        assertThat(RulesJudge.tier(tiers, middling, "advocate")).isEqualTo("advocate");
        assertThat(RulesJudge.tier(tiers, weak, "multiplier")).isNull();
    }

    @Test
    void keysStayWithinTheExternalIdLength() {
        String key = RulesJudge.key("brand-mention", "003000000000001AAA", "forum:" + "x".repeat(400));
        assertThat(key).hasSize(RulesJudge.KEY_MAX).startsWith("brand-mention:003000000000001AAA:forum:xxx");
        assertThat(RulesJudge.key("r", "c", "m")).isEqualTo("r:c:m");
    }
}
