package io.hearth.rules.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.util.List;
import java.util.Set;

import io.hearth.enrich.Rejudging;
import io.hearth.rules.Rules;
import org.junit.jupiter.api.Test;

/** The request's validation (400 messages) and the scope a backfilled mention is judged in. */
class RulesBackfillTest {

    static final Rules RULES = new Rules("p", null, null, List.of(
            new Rules.Reward("monthly-goodie", Rules.Action.mention, 1L, null, null, null, null, null, null, null, null,
                    null, null),
            new Rules.Reward("brand-mention", Rules.Action.mention, 10L, null, null, null, null, null, null, null, null,
                    null, null)), null, null, null, null);

    // validation fails before the database is touched
    final RulesBackfill backfill = new RulesBackfill(null, null, () -> RULES, Clock.systemUTC());

    @Test
    void badRequestsSayWhatToFix() {
        assertThatThrownBy(() -> backfill.request(null)).hasMessageContaining("a JSON body is needed");
        assertThatThrownBy(() -> backfill.request(new RulesBackfill.Request(null, "2026-12-01", null, null)))
                .hasMessage("from is required (YYYY-MM-DD)");
        assertThatThrownBy(() -> backfill.request(new RulesBackfill.Request("2026-11-31", "2026-12-01", null, null)))
                .hasMessage("from: '2026-11-31' is not a valid date (YYYY-MM-DD)");
        assertThatThrownBy(() -> backfill.request(new RulesBackfill.Request("2026-12-01", "1.12.2026", null, null)))
                .hasMessage("until: '1.12.2026' is not a valid date (YYYY-MM-DD)");
        assertThatThrownBy(() -> backfill.request(new RulesBackfill.Request("2026-12-02", "2026-12-01", null, null)))
                .hasMessage("until (2026-12-01) is before from (2026-12-02)");
        assertThatThrownBy(() -> backfill.request(new RulesBackfill.Request("2000-01-01", "2026-12-01", null, null)))
                .hasMessage("the range covers more than 3660 days");
        assertThatThrownBy(() -> backfill.request(new RulesBackfill.Request("2026-12-01", "2026-12-01",
                List.of("brand-mention", "nope"), null)))
                .isInstanceOf(RulesBackfill.InvalidRequest.class)
                .hasMessage("no reward rule nope in the rules in force (rules: monthly-goodie, brand-mention)");
    }

    @Test
    void aBackfilledMentionIsJudgedWithinItsScope() {
        Rejudging.Scope scope = Rejudging.Scope.of("run-1", "monthly-goodie, brand-mention", "false");
        assertThat(Rejudging.Scope.of(null, "x", "true")).as("not a backfill").isNull();
        Rejudging.Scope.within(scope, () -> {
            assertThat(Rejudging.Scope.current()).isSameAs(scope);
            assertThat(Rejudging.Scope.rule("monthly-goodie")).isTrue();
            assertThat(Rejudging.Scope.rule("other")).isFalse();
            assertThat(Rejudging.Scope.cases()).isFalse();
            Rejudging.Scope.rewardAdded();
            Rejudging.Scope.rewardAdded();
            Rejudging.Scope.flagChanged();
            return null;
        });
        assertThat(scope.rewardsAdded()).isEqualTo(2);
        assertThat(scope.flagsChanged()).isEqualTo(1);
        assertThat(Rejudging.Scope.current()).as("cleared after the mention").isNull();
        assertThat(Rejudging.Scope.rule("other")).as("outside a backfill every rule applies").isTrue();
        assertThat(Rejudging.Scope.cases()).isTrue();
        Rejudging.Scope all = Rejudging.Scope.of("run-2", "", "true");
        Rejudging.Scope.within(all, () -> {
            assertThat(Rejudging.Scope.rule("anything")).isTrue();
            assertThat(Rejudging.Scope.cases()).isTrue();
            return null;
        });
        assertThat(new Rejudging.Scope("r", Set.of("a"), false).backfillId()).isEqualTo("r");
    }
}
