package io.hearth.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The catalogue choice: interests → item, stock, per-contact limits, validity, determinism and ties, fallback. */
class CatalogueChooserTest {

    static final LocalDate DAY = LocalDate.of(2026, 12, 5);

    static Rules.CatalogueItem item(String key, Long stock, Integer perContact, String... interests) {
        return new Rules.CatalogueItem(key, null, List.of(interests), stock, perContact, null, null);
    }

    final Map<String, Long> taken = new HashMap<>();
    final Map<String, Long> held = new HashMap<>();

    List<CatalogueChooser.Choice> rank(List<Rules.CatalogueItem> catalogue, Rules.ItemGrant grant, String... interests) {
        return CatalogueChooser.rank(catalogue, grant, List.of(interests), DAY, k -> taken.getOrDefault(k, 0L),
                k -> held.getOrDefault(k, 0L));
    }

    static final Rules.ItemGrant ANY = new Rules.ItemGrant(null, null);

    final List<Rules.CatalogueItem> catalogue = List.of(
            item("hiking-flask", 10L, null, "hiking", "outdoor"),
            item("film-poster", 10L, null, "film", "#cinema"),
            item("coffee-mug", null, null, "coffee"),
            item("tote-bag", null, null));

    @Test
    void theItemMatchingTheContactsInterestsIsChosenAndTheReasonNamesThem() {
        List<CatalogueChooser.Choice> ranked = rank(catalogue, ANY, "cinema", "travel", "coffee");

        assertThat(ranked).extracting(c -> c.item().key()).containsExactly("film-poster", "coffee-mug");
        assertThat(ranked.get(0).matched()).containsExactly("cinema");
        assertThat(ranked.get(0).reason()).isEqualTo("item film-poster for interest cinema (profile: cinema, travel, coffee)");
    }

    @Test
    void moreMatchingInterestsWinThenTheStrongerInterest() {
        // hiking-flask matches two interests, film-poster one (the strongest): two beats one
        assertThat(rank(catalogue, ANY, "#film", "outdoor", "hiking")).extracting(c -> c.item().key())
                .containsExactly("hiking-flask", "film-poster");
        // one each: the item of the stronger (earlier) interest first
        assertThat(rank(catalogue, ANY, "coffee", "film")).extracting(c -> c.item().key())
                .containsExactly("coffee-mug", "film-poster");
        assertThat(rank(catalogue, ANY, "film", "coffee")).extracting(c -> c.item().key())
                .containsExactly("film-poster", "coffee-mug");
    }

    @Test
    void tiesGoByTheCataloguesOrderAndTheChoiceIsDeterministic() {
        List<Rules.CatalogueItem> twins = List.of(item("b-cap", null, null, "football"), item("a-scarf", null, null, "football"));
        for (int i = 0; i < 20; i++) {
            assertThat(rank(twins, ANY, "football").get(0).item().key()).as("the file's order, not the key").isEqualTo("b-cap");
        }
        assertThat(rank(List.of(twins.get(1), twins.get(0)), ANY, "football").get(0).item().key()).isEqualTo("a-scarf");
    }

    @Test
    void anItemWithoutStockIsSkipped() {
        taken.put("film-poster", 10L);
        assertThat(rank(catalogue, ANY, "film", "coffee")).extracting(c -> c.item().key()).containsExactly("coffee-mug");
        taken.put("film-poster", 9L);
        assertThat(rank(catalogue, ANY, "film", "coffee").get(0).item().key()).isEqualTo("film-poster");
    }

    @Test
    void neverTheSameItemTwiceUnlessPerContactAllowsIt() {
        held.put("film-poster", 1L);
        assertThat(rank(catalogue, ANY, "film")).as("held once, per-contact 1").isEmpty();
        List<Rules.CatalogueItem> repeatable = List.of(item("film-ticket", null, 2, "film"));
        assertThat(rank(repeatable, ANY, "film")).hasSize(1);
        held.put("film-ticket", 2L);
        assertThat(rank(repeatable, ANY, "film")).isEmpty();
    }

    @Test
    void noMatchingInterestMeansNoItemUnlessTheRuleHasAFallback() {
        assertThat(rank(catalogue, ANY, "politics")).isEmpty();
        List<CatalogueChooser.Choice> fallback = rank(catalogue, new Rules.ItemGrant(null, "tote-bag"), "politics");
        assertThat(fallback).singleElement().satisfies(c -> {
            assertThat(c.item().key()).isEqualTo("tote-bag");
            assertThat(c.reason()).isEqualTo("fallback item tote-bag: no catalogue item matched interests politics");
        });
        // the fallback comes after the matching items, and not at all when it is out of stock
        assertThat(rank(catalogue, new Rules.ItemGrant(null, "coffee-mug"), "film")).extracting(c -> c.item().key())
                .containsExactly("film-poster", "coffee-mug");
        assertThat(rank(catalogue, new Rules.ItemGrant(null, "tote-bag"))).singleElement()
                .satisfies(c -> assertThat(c.reason()).endsWith("(no interests known yet)"));
    }

    @Test
    void theRuleMayLimitTheItemsItChoosesAmong() {
        assertThat(rank(catalogue, new Rules.ItemGrant(List.of("coffee-mug", "tote-bag"), null), "film", "coffee"))
                .extracting(c -> c.item().key()).containsExactly("coffee-mug");
    }

    @Test
    void itemsOutsideTheirValidityAreNotChosen() {
        List<Rules.CatalogueItem> dated = List.of(
                new Rules.CatalogueItem("advent-box", null, List.of("film"), null, null, DAY.plusDays(1), null),
                new Rules.CatalogueItem("autumn-box", null, List.of("film"), null, null, null, DAY.minusDays(1)),
                new Rules.CatalogueItem("winter-box", null, List.of("film"), null, null, DAY, DAY));
        assertThat(rank(dated, ANY, "film")).extracting(c -> c.item().key()).containsExactly("winter-box");
    }
}
