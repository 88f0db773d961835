package io.hearth.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class InterestTest {

    static final Map<String, List<String>> TOPICS = new LinkedHashMap<>();

    static {
        TOPICS.put("travel", List.of("travel", "reise*", "urlaub", "holiday*", "vacation"));
        TOPICS.put("football", List.of("football", "fußball", "bundesliga", "champions league"));
        TOPICS.put("food", List.of("essen", "food", "vegan*", "snack*"));
    }

    static final InterestExtractor EXTRACTOR = new InterestExtractor(TOPICS, List.of("#Acme", "acmeair"));

    @Test
    void hashtagsAreNormalisedAndDeduplicated() {
        List<Interest> found = EXTRACTOR.extract("Endlich in #Köln! #koeln #KOELN #ENDviolence",
                List.of("Köln", "#EndViolence", " ", "acme"));
        assertThat(found).extracting(Interest::key).containsExactly("#koeln", "#endviolence");
        assertThat(found).allMatch(i -> i.kind() == Interest.Kind.HASHTAG && i.weight() == 0.5);
    }

    @Test
    void topicsFromTextAndHashtagsInBothLanguages() {
        assertThat(EXTRACTOR.extract("Die Reiseplanung für den Urlaub läuft", List.of()))
                .extracting(Interest::key).containsExactly("travel");
        assertThat(EXTRACTOR.extract("Watching the Champions League final tonight 🍕", null))
                .extracting(Interest::key).containsExactly("football");
        assertThat(EXTRACTOR.extract("Lounge snacks were great", List.of("travel")))
                .extracting(Interest::key).containsExactly("travel", "food", "#travel");
        assertThat(EXTRACTOR.extract("Gibt es vegane Snacks? Fussball läuft auch", List.of()))
                .extracting(Interest::key).containsExactly("football", "food");
        Interest travel = EXTRACTOR.extract("Reisezeit!", null).get(0);
        assertThat(travel.because()).isEqualTo("reise*");
        assertThat(travel.weight()).isEqualTo(1.0);
    }

    @Test
    void nothingFoundInEmptyOrUnrelatedText() {
        assertThat(EXTRACTOR.extract("", List.of())).isEmpty();
        assertThat(EXTRACTOR.extract(null, null)).isEmpty();
        assertThat(EXTRACTOR.extract("Der Zug ist pünktlich", List.of())).isEmpty();
        assertThat(InterestExtractor.none().extract("football #travel", null)).extracting(Interest::key).containsExactly("#travel");
    }

    @Test
    void topicSettingsAreChecked() {
        assertThatThrownBy(() -> new InterestExtractor(Map.of("travel", List.of()), List.of()))
                .hasMessage("hearth.scoring.topics.travel: no keywords");
        assertThatThrownBy(() -> new InterestExtractor(Map.of("travel", List.of(" ")), List.of()))
                .hasMessage("hearth.scoring.topics.travel: blank keyword");
    }

    static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    static Interest topic(String key) {
        return new Interest(key, Interest.Kind.TOPIC, 1.0, key);
    }

    @Test
    void profileCountsWithoutDecayAndKeepsTopN() {
        InterestProfile p = new InterestProfile(2, Duration.ZERO);
        p.add(T0, List.of(topic("travel"), topic("food")));
        p.add(T0.plusSeconds(60), List.of(topic("travel")));
        p.add(T0.plusSeconds(120), List.of(topic("football"), topic("travel")));
        assertThat(p.top(T0.plus(Duration.ofDays(400))))
                .containsExactly(new InterestProfile.Entry("travel", Interest.Kind.TOPIC, 3.0),
                        new InterestProfile.Entry("food", Interest.Kind.TOPIC, 1.0));
    }

    @Test
    void profileDecaysWithHalfLife() {
        InterestProfile p = new InterestProfile(3, Duration.ofDays(30));
        p.add(T0, List.of(topic("skiing"), topic("skiing2")));
        p.add(T0, List.of(topic("skiing")));
        p.add(T0.plus(Duration.ofDays(60)), List.of(topic("football")));
        List<InterestProfile.Entry> top = p.top(T0.plus(Duration.ofDays(60)));
        assertThat(top).extracting(InterestProfile.Entry::key).containsExactly("football", "skiing", "skiing2");
        assertThat(top.get(1).score()).isEqualTo(0.5); // 2 · 0.5^(60/30)
        assertThat(p.top(T0.plus(Duration.ofDays(90))).get(0).score()).isEqualTo(0.5);
        // an older observation arriving late counts with its age
        p.add(T0.plus(Duration.ofDays(30)), List.of(topic("late")));
        assertThat(p.top(T0.plus(Duration.ofDays(60)))).extracting(InterestProfile.Entry::key).contains("late");
        assertThat(p.top(T0.plus(Duration.ofDays(60))).stream().filter(e -> e.key().equals("late")).findFirst()
                .orElseThrow().score()).isEqualTo(0.5);
    }

    @Test
    void profileIsBoundedAndRestorable() {
        InterestProfile p = new InterestProfile(5, Duration.ofDays(90));
        java.util.Random random = new java.util.Random(1);
        for (int n = 0; n < 2000; n++) {
            p.add(T0.plus(Duration.ofHours(n)), List.of(topic("t" + random.nextInt(100))));
        }
        assertThat(p.entries()).hasSizeLessThanOrEqualTo(15);
        assertThat(p.top(T0.plus(Duration.ofHours(2000)))).hasSize(5);
        InterestProfile copy = InterestProfile.restore(5, Duration.ofDays(90), p.asOf(), p.entries());
        assertThat(copy.top(T0.plus(Duration.ofDays(200)))).isEqualTo(p.top(T0.plus(Duration.ofDays(200))));
        assertThatThrownBy(() -> new InterestProfile(0, Duration.ZERO)).hasMessageContaining("top-n");
    }
}
