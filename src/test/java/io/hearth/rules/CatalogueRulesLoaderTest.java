package io.hearth.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.LocalDate;

import org.junit.jupiter.api.Test;

/** The catalogue and item grants in rules.yml: bound, and every mistake named by file, line, column and field. */
class CatalogueRulesLoaderTest {

    private final RulesLoader loader = new RulesLoader();

    static final String GOOD = """
            programme: test
            catalogue:
              - key: hiking-flask
                name: Insulated hiking flask
                interests: [hiking, "#outdoors"]
                stock: 40
                from: 2026-11-01
                until: 2026-12-31
              - { key: film-ticket, interests: [film], per-contact: 2 }
              - { key: tote-bag }
            rewards:
              - key: fan-gift
                action: mention
                per: contact
                item: { from: [hiking-flask, tote-bag], fallback: tote-bag }
              - key: gift-and-points
                action: share
                points: 5
                item: {}
            """;

    @Test
    void theCatalogueBinds() {
        Rules rules = loader.parse("rules.yml", GOOD);
        assertThat(rules.catalogue()).extracting(Rules.CatalogueItem::key)
                .containsExactly("hiking-flask", "film-ticket", "tote-bag");
        Rules.CatalogueItem flask = rules.catalogue().get(0);
        assertThat(flask.stock()).isEqualTo(40);
        assertThat(flask.perContact()).as("never twice by default").isEqualTo(1);
        assertThat(flask.until()).isEqualTo(LocalDate.of(2026, 12, 31));
        assertThat(rules.catalogue().get(1).perContact()).isEqualTo(2);
        assertThat(rules.rewards().get(0).item()).isEqualTo(new Rules.ItemGrant(
                java.util.List.of("hiking-flask", "tote-bag"), "tote-bag"));
        assertThat(rules.rewards().get(0).points()).as("an item instead of points").isNull();
        assertThat(rules.rewards().get(1).points()).isEqualTo(5);
    }

    private void fails(String from, String to, String message) {
        String yaml = GOOD.replace(from, to);
        assertThat(yaml).as("the test's replacement applies").isNotEqualTo(GOOD);
        assertThatThrownBy(() -> loader.parse("config/rules.yml", yaml)).isInstanceOf(RulesException.class)
                .hasMessage(message);
    }

    @Test
    void mistakesNameLineAndField() {
        fails("stock: 40", "stock: -1",
                "config/rules.yml line 6, column 5: catalogue[0].stock: must not be negative, was -1");
        fails("per-contact: 2", "per-contact: 0",
                "config/rules.yml line 9, column 44: catalogue[1].per-contact: must be at least 1, was 0");
        fails("until: 2026-12-31", "until: 2026-10-31",
                "config/rules.yml line 8, column 5: catalogue[0].until: is before from (2026-11-01)");
        fails("until: 2026-12-31", "until: 2026-12-32",
                "config/rules.yml line 8, column 5: catalogue[0].until: '2026-12-32' is not a valid date (YYYY-MM-DD)");
        fails("{ key: tote-bag }", "{ key: hiking-flask }",
                "config/rules.yml line 10, column 7: catalogue[2].key: item 'hiking-flask' is listed twice");
        fails("{ key: tote-bag }", "{ key: tote-bag, stok: 5 }", "config/rules.yml line 10, column 22:"
                + " catalogue[2].stok: unknown field 'stok' (known: from, interests, key, name, per-contact, stock, until)");
        fails("from: [hiking-flask, tote-bag]", "from: [hiking-flask, tote-bags]",
                "config/rules.yml line 15, column 34: rewards[0].item.from[1]: no catalogue item 'tote-bags'"
                        + " (items: hiking-flask, film-ticket, tote-bag)");
        fails("fallback: tote-bag", "fallback: film-ticket",
                "config/rules.yml line 15, column 45: rewards[0].item.fallback: must be one of from (hiking-flask, tote-bag)");
        fails("item: {}", "item: {}\n    draw: { min: 1, max: 5, seed: s }",
                "config/rules.yml line 16, column 5: rewards[1]: needs at most one of points: or draw: with item:");
    }

    @Test
    void anItemRuleNeedsACatalogue() {
        String yaml = """
                rewards:
                  - { key: gift, action: any, item: {} }
                """;
        assertThatThrownBy(() -> loader.parse("config/rules.yml", yaml)).isInstanceOf(RulesException.class)
                .hasMessage("config/rules.yml line 2, column 31: rewards[0].item: needs a catalogue: (no items are defined)");
    }
}
