package io.hearth.scoring;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** Bean selection by hearth.scoring.* without starting the hub. */
class ScoringConfigurationTest {

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(ScoringConfiguration.class)
            .withBean(CamelContext.class, DefaultCamelContext::new);

    @Test
    void lexiconByDefault() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(SentimentScorer.class)).isInstanceOf(LexiconSentimentScorer.class);
            assertThat(context.getBean(MentionScorer.class)).isNotNull();
        });
    }

    @Test
    void httpWhenConfigured() {
        runner.withPropertyValues("hearth.scoring.sentiment.scorer=http",
                        "hearth.scoring.sentiment.http.url=http://127.0.0.1:9/score", "hearth.scoring.sentiment.http.timeout=1s")
                .run(context -> assertThat(context.getBean(SentimentScorer.class)).isInstanceOf(HttpSentimentScorer.class));
    }

    @Test
    void httpWithoutUrlFailsNamingTheSetting() {
        runner.withPropertyValues("hearth.scoring.sentiment.scorer=http").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("hearth.scoring.sentiment.http.url: is not set");
        });
    }

    @Test
    void unknownScorerFails() {
        runner.withPropertyValues("hearth.scoring.sentiment.scorer=bert").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("Failed to bind properties under 'hearth.scoring.sentiment.scorer'");
        });
    }

    @Test
    void topicsAndInfluenceSettingsBind() {
        runner.withPropertyValues("hearth.scoring.topics.travel[0]=reise*", "hearth.scoring.topics.travel[1]=travel",
                        "hearth.scoring.influence.verified-bonus=10", "hearth.scoring.interests.ignore-hashtags[0]=acme")
                .run(context -> {
                    assertThat(context.getBean(InterestExtractor.class).extract("Reisezeit #acme #sun", null))
                            .extracting(Interest::key).containsExactly("travel", "#sun");
                    assertThat(context.getBean(InfluenceScorer.class).score(
                            new io.hearth.mention.Mention.Author("a", null, null, 0L, true, null), null).score()).isEqualTo(10);
                });
    }

    @Test
    void shippedApplicationYmlBinds() {
        runner.withInitializer(context -> {
            try {
                new org.springframework.boot.env.YamlPropertySourceLoader()
                        .load("application.yml", new org.springframework.core.io.FileSystemResource("config/application.yml"))
                        .forEach(source -> context.getEnvironment().getPropertySources().addLast(source));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBean(SentimentScorer.class)).isInstanceOf(LexiconSentimentScorer.class);
            ScoringProperties p = context.getBean(ScoringProperties.class);
            assertThat(p.getInterests().getHalfLife()).isEqualTo(java.time.Duration.ofDays(90));
            assertThat(p.getSentiment().getHttp().getTimeout()).isEqualTo(java.time.Duration.ofSeconds(2));
        });
    }
}
