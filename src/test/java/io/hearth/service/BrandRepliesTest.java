package io.hearth.service;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import org.junit.jupiter.api.Test;

import io.hearth.crm.CrmCommand;

/**
 * Brand replies tracked: the brand's post in a case's conversation joins the case as its answer, moves it to
 * Responded, records the first response on the case and in the per-channel timer (median, p90); a replay changes
 * nothing; a brand post never opens a case; nobody else's post is taken for the brand's.
 */
class BrandRepliesTest {

    static final Instant T0 = Instant.parse("2026-12-05T09:00:00Z");
    final ServiceWorld w = new ServiceWorld(Map.of("x", List.of("@Acme_Support"), "mastodon", List.of("acme@social.example")));

    static CrmCommand caseUpsert(List<CrmCommand> out, String field) {
        return out.stream().filter(c -> c.object().equals("Case") && c.fields().containsKey(field)).findFirst()
                .orElseThrow(() -> new AssertionError("no Case with " + field + " in " + out));
    }

    @Test
    void theBrandsAnswerMovesTheCaseAndIsMeasured() {
        Instant now = T0.plusSeconds(7200);
        w.post("x", "100", "worried", "My acme flight was cancelled, nobody answers", "complaint", T0, null, "100", true, true, now);
        List<CrmCommand> answer = w.post("x", "101", "acme_support", "Sorry to hear that, we have sent you a DM", "other",
                T0.plus(Duration.ofMinutes(42)), "100", "100", false, true, now);

        CrmCommand responded = caseUpsert(answer, "Status");
        assertThat(responded.externalId()).isEqualTo("case:x:100");
        assertThat(responded.fields()).containsEntry("Status", "Responded")
                .containsEntry("First_Response_At__c", "2026-12-05T09:42:00Z")
                .containsEntry("First_Response_Minutes__c", 42.0);
        assertThat(caseUpsert(answer, "Description").fields().get("Description").toString())
                .as("the answer is in the case").contains("@acme_support").contains("we have sent you a DM");

        // a second answer is not the first
        w.post("x", "103", "acme_support", "Update: rebooked", "other", T0.plus(Duration.ofMinutes(90)), "100", "100", false,
                true, now);
        Timer timer = w.meters.find(BrandReplies.METRIC).tag("channel", "x").timer();
        assertThat(timer.count()).isEqualTo(1);
        assertThat(timer.totalTime(TimeUnit.MINUTES)).isEqualTo(42.0);
        assertThat(timer.takeSnapshot().percentileValues()).extracting(ValueAtPercentile::percentile).containsExactly(0.5, 0.9);
        assertThat(w.store.response("case:x:100").orElseThrow().firstResponseId()).isEqualTo("x:101");
    }

    @Test
    void aReplayChangesNothingAndMeasuresNothing() {
        Instant now = T0.plusSeconds(7200);
        w.post("x", "200", "worried", "acme lost my bag", "complaint", T0, null, "200", true, true, now);
        List<CrmCommand> first = w.post("x", "201", "acme_support", "We are on it", "other", T0.plusSeconds(600), "200", "200",
                false, true, now);
        List<CrmCommand> replay = w.post("x", "201", "acme_support", "We are on it", "other", T0.plusSeconds(600), "200", "200",
                false, false, now.plusSeconds(60));
        assertThat(replay).isEqualTo(first);
        assertThat(w.meters.find(BrandReplies.METRIC).timer().count()).isEqualTo(1);
    }

    @Test
    void aBrandPostOutsideACaseDoesNothingAndNeverOpensOne() {
        Instant now = T0.plusSeconds(7200);
        // a complaint-like post by the brand account itself, and an answer in a conversation without a case
        assertThat(w.post("x", "300", "acme_support", "Our app is down, we are sorry, a fix is coming", "complaint", T0,
                null, "300", true, true, now)).noneMatch(c -> c.object().equals("Case"));
        assertThat(w.post("x", "301", "acme_support", "Thanks!", "other", T0, "999", "999", false, true, now)).isEmpty();
        assertThat(w.meters.find(BrandReplies.METRIC).timer()).isNull();
    }

    @Test
    void someoneElsesAnswerIsNotTheBrands() {
        Instant now = T0.plusSeconds(7200);
        w.post("mastodon", "400", "worried@social.example", "acme broke my order", "complaint", T0, null, "400", true, true, now);
        List<CrmCommand> other = w.post("mastodon", "401", "helper@social.example", "same here", "other", T0.plusSeconds(60),
                "400", "400", false, true, now);
        assertThat(other).as("not the case's author, not the brand: not in the case").isEmpty();
        List<CrmCommand> brand = w.post("mastodon", "402", "Acme@Social.Example", "We are sorry, DM us", "other",
                T0.plusSeconds(300), "400", "400", false, true, now);
        assertThat(caseUpsert(brand, "Status").fields()).containsEntry("First_Response_Minutes__c", 5.0);
        assertThat(w.brand.isBrand("x", "acme")).isFalse();
    }
}
