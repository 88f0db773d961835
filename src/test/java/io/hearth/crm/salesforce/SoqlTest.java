package io.hearth.crm.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

class SoqlTest {

    @Test
    void quotesAndBackslashesAreEscaped() {
        assertThat(Soql.literal("x' OR Name != '")).isEqualTo("'x\\' OR Name != \\''");
        assertThat(Soql.literal("a\\b\"c\nd\te")).isEqualTo("'a\\\\b\\\"c\\nd\\te'");
        assertThat(Soql.literal("back\\' slash")).isEqualTo("'back\\\\\\' slash'");
    }

    @Test
    void buildsAQueryWithLiterals() {
        String soql = Soql.select("Id", "Contact__r.Social_Consent__c").from("Social_Identity__c")
                .where("Channel__c", "=", "x").and("Handle__c", "=", "x' OR Name != '")
                .and("SystemModstamp", ">", Instant.parse("2026-11-20T10:00:00.123Z"))
                .and("Verified__c", "=", true).and("Channel__c", "IN", List.of("x", "mastodon"))
                .orderBy("SystemModstamp").limit(10).build();
        assertThat(soql).isEqualTo("SELECT Id, Contact__r.Social_Consent__c FROM Social_Identity__c WHERE Channel__c = 'x'"
                + " AND Handle__c = 'x\\' OR Name != \\'' AND SystemModstamp > 2026-11-20T10:00:00.123Z"
                + " AND Verified__c = true AND Channel__c IN ('x', 'mastodon') ORDER BY SystemModstamp LIMIT 10");
    }

    @Test
    void namesAndOperatorsAreNotPasted() {
        assertThatThrownBy(() -> Soql.select("Id FROM Contact --")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Soql.select("Id").from("Contact WHERE Id != null")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Soql.select("Id").from("Contact").where("Name", "= 'a' OR Name", "b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Soql.literal("nul\u0000")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Soql.literal(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
    }
}
