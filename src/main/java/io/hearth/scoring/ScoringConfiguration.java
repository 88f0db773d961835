package io.hearth.scoring;

import java.time.Clock;

import org.apache.camel.CamelContext;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The scoring beans, from {@code hearth.scoring.*}; the enrich stage ({@code MentionEnricher}, which depends on this package)
 * scores every mention with {@link MentionScorer}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ScoringProperties.class)
public class ScoringConfiguration {

    @Bean
    public SentimentScorer sentimentScorer(ScoringProperties properties, ObjectProvider<CamelContext> camel,
                                           ObjectProvider<Clock> clock) {
        ScoringProperties.Sentiment settings = properties.getSentiment();
        LexiconSentimentScorer lexicon = LexiconSentimentScorer.withExtraLexicons(settings.getLexicons());
        if (settings.getScorer() == ScoringProperties.ScorerKind.LEXICON) {
            return lexicon;
        }
        ScoringProperties.Http http = settings.getHttp();
        if (http.getUrl() == null || http.getUrl().isBlank()) {
            throw new IllegalArgumentException("hearth.scoring.sentiment.http.url: is not set, and "
                    + "hearth.scoring.sentiment.scorer is http (set HEARTH_SCORING_SENTIMENT_HTTP_URL)");
        }
        if (http.getTimeout() == null || http.getTimeout().isNegative() || http.getTimeout().isZero()) {
            throw new IllegalArgumentException("hearth.scoring.sentiment.http.timeout: must be positive");
        }
        CamelContext context = camel.getIfAvailable();
        if (context == null) {
            throw new IllegalStateException("hearth.scoring.sentiment.scorer http needs Camel (camel-http)");
        }
        return new HttpSentimentScorer(context.createProducerTemplate(), http.getUrl(), http.getTimeout(),
                http.getBearerToken(), lexicon, http.getRetryAfter(), clock.getIfAvailable(Clock::systemUTC));
    }

    @Bean
    public IntentClassifier intentClassifier() {
        return new IntentClassifier();
    }

    @Bean
    public InfluenceScorer influenceScorer(ScoringProperties properties) {
        return new InfluenceScorer(properties.getInfluence().getVerifiedBonus(), properties.getInfluence().getEngagementMax());
    }

    @Bean
    public InterestExtractor interestExtractor(ScoringProperties properties) {
        return new InterestExtractor(properties.getTopics(), properties.getInterests().getIgnoreHashtags());
    }

    @Bean
    public MentionScorer mentionScorer(SentimentScorer sentimentScorer, IntentClassifier intentClassifier,
                                       InfluenceScorer influenceScorer, InterestExtractor interestExtractor) {
        return new MentionScorer(sentimentScorer, intentClassifier, influenceScorer, interestExtractor);
    }
}
