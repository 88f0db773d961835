package io.hearth.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.hearth.sandbox.soql.SoqlException;
import io.hearth.sandbox.soql.SoqlLexer;
import io.hearth.sandbox.soql.SoqlParser;
import io.hearth.sandbox.soql.SoqlQuery;
import io.hearth.sandbox.soql.Token;

class SoqlParserTest {

    @Test
    void tokenizesLiteralsWithEscapes() {
        List<Token> t = SoqlLexer.tokenize("Handle__c = 'x\\' OR Name != \\'' AND n >= -1.5 AND d < 2026-11-20T10:00:00Z AND e = 2026-01-02");
        assertThat(t.get(2).kind()).isEqualTo(Token.Kind.STRING);
        assertThat(t.get(2).value()).isEqualTo("x' OR Name != '");
        assertThat(t.get(5).text()).isEqualTo(">=");
        assertThat(t.get(6).value()).isEqualTo(new BigDecimal("-1.5"));
        assertThat(t.get(10).value()).isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
        assertThat(t.get(14).value()).isEqualTo(LocalDate.parse("2026-01-02"));
        assertThat(SoqlLexer.tokenize("'a\\\\b\\nc\\u0041'").get(0).value()).isEqualTo("a\\b\ncA");
        assertThat(SoqlLexer.tokenize("x <> 1").get(1).text()).isEqualTo("!=");
        assertThat(SoqlLexer.tokenize("d > 2026-11-20T10:00:00.123+01:00").get(2).value()).isEqualTo(Instant.parse("2026-11-20T09:00:00.123Z"));
    }

    @Test
    void parsesTheSupportedSubset() {
        SoqlQuery q = SoqlParser.parse("select Id, Contact__r.Social_Consent__c from Social_Identity__c "
                + "where (Channel__c = 'x' or Channel__c IN ('mastodon','bluesky')) and Verified__c = true and Contact__c != null "
                + "order by SystemModstamp desc nulls last, Id limit 10 offset 5");
        assertThat(q.fields()).extracting(SoqlQuery.FieldRef::text).containsExactly("Id", "Contact__r.Social_Consent__c");
        assertThat(q.from()).isEqualTo("Social_Identity__c");
        SoqlQuery.And and = (SoqlQuery.And) q.where();
        assertThat(and.terms()).hasSize(3);
        SoqlQuery.Or or = (SoqlQuery.Or) and.terms().get(0);
        assertThat(((SoqlQuery.In) or.terms().get(1)).values()).extracting(SoqlQuery.Literal::value).containsExactly("mastodon", "bluesky");
        assertThat(((SoqlQuery.Comparison) and.terms().get(2)).value().value()).isNull();
        assertThat(q.orderBy().get(0).descending()).isTrue();
        assertThat(q.orderBy().get(0).nullsFirst()).isFalse();
        assertThat(q.orderBy().get(1).nullsFirst()).as("ASC defaults to NULLS FIRST").isTrue();
        assertThat(q.limit()).isEqualTo(10);
        assertThat(q.offset()).isEqualTo(5);
        assertThat(SoqlParser.parse("SELECT COUNT() FROM Contact").count()).isTrue();
        assertThat(SoqlParser.parse("SELECT Id FROM Contact WHERE NOT Name LIKE 'a%' AND Id NOT IN ('x')").where())
                .isInstanceOf(SoqlQuery.And.class);
    }

    @Test
    void malformedQueriesReportRowAndColumnLikeSalesforce() {
        assertThatThrownBy(() -> SoqlParser.parse("SELECT Id FROM Contact WHERE Email = liam.carter@example.com ORDER BY CreatedDate"))
                .isInstanceOfSatisfying(SoqlException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo("MALFORMED_QUERY");
                    assertThat(e.getMessage()).startsWith("\nSELECT Id FROM Contact WHERE Email = liam.carter@example.com ORDER BY CreatedDate\n");
                    assertThat(e.getMessage()).contains("^\nERROR at Row:1:Column:").contains("unexpected token:");
                });
        assertThatThrownBy(() -> SoqlParser.parse("SELECT Id FROM Contact WHERE A = 1 AND B = 2 OR C = 3"))
                .isInstanceOfSatisfying(SoqlException.class, e -> assertThat(e.getMessage())
                        .endsWith("ERROR at Row:1:Column:46\nunexpected token: 'OR'"));
        assertThatThrownBy(() -> SoqlParser.parse("SELECT Id FROM Contact WHERE Name = 'open")).isInstanceOf(SoqlException.class);
        assertThatThrownBy(() -> SoqlParser.parse("SELECT FROM Contact")).isInstanceOf(SoqlException.class);
        assertThatThrownBy(() -> SoqlParser.parse("SELECT Id FROM Contact LIMIT")).isInstanceOf(SoqlException.class);
        assertThatThrownBy(() -> SoqlParser.parse("SELECT Id FROM Contact WHERE CreatedDate = LAST_N_DAYS:3"))
                .isInstanceOf(SoqlException.class);
        assertThatThrownBy(() -> SoqlParser.parse("SELECT Id FROM Contact WHERE Name = 'a\\z'"))
                .hasMessageContaining("Illegal character sequence '\\z'");
        assertThatThrownBy(() -> SoqlParser.parse("SELECT Id FROM Contact extra")).hasMessageContaining("unexpected token: 'extra'");
    }
}
