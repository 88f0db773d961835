package io.hearth.scoring;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code hearth.scoring.*}: see docs/scoring.md. */
@ConfigurationProperties(prefix = "hearth.scoring")
public class ScoringProperties {

    private final Sentiment sentiment = new Sentiment();
    private final Influence influence = new Influence();
    private final Interests interests = new Interests();
    /** Topic → keywords (any language; CueList patterns such as "reise*"). */
    private Map<String, List<String>> topics = new LinkedHashMap<>();

    public Sentiment getSentiment() { return sentiment; }
    public Influence getInfluence() { return influence; }
    public Interests getInterests() { return interests; }
    public Map<String, List<String>> getTopics() { return topics; }
    public void setTopics(Map<String, List<String>> topics) { this.topics = topics; }

    public enum ScorerKind { LEXICON, HTTP }

    public static class Sentiment {
        /** lexicon (built in) or http (a team's own model; the lexicon is its fallback). */
        private ScorerKind scorer = ScorerKind.LEXICON;
        /** Extra lexicon files per language (en, de), loaded over the built-in ones. */
        private Map<String, List<Path>> lexicons = new LinkedHashMap<>();
        private final Http http = new Http();

        public ScorerKind getScorer() { return scorer; }
        public void setScorer(ScorerKind scorer) { this.scorer = scorer; }
        public Map<String, List<Path>> getLexicons() { return lexicons; }
        public void setLexicons(Map<String, List<Path>> lexicons) { this.lexicons = lexicons; }
        public Http getHttp() { return http; }
    }

    public static class Http {
        private String url = "";
        private Duration timeout = Duration.ofSeconds(2);
        /** Sent as Authorization: Bearer …; environment only (HEARTH_SCORING_SENTIMENT_HTTP_BEARERTOKEN). */
        private String bearerToken = "";
        /** After a failure, only the lexicon is used for this long. */
        private Duration retryAfter = Duration.ofSeconds(30);

        public String getUrl() { return url; }
        public void setUrl(String url) { this.url = url; }
        public Duration getTimeout() { return timeout; }
        public void setTimeout(Duration timeout) { this.timeout = timeout; }
        public String getBearerToken() { return bearerToken; }
        public void setBearerToken(String bearerToken) { this.bearerToken = bearerToken; }
        public Duration getRetryAfter() { return retryAfter; }
        public void setRetryAfter(Duration retryAfter) { this.retryAfter = retryAfter; }
    }

    public static class Influence {
        private double verifiedBonus = 5;
        private double engagementMax = 15;

        public double getVerifiedBonus() { return verifiedBonus; }
        public void setVerifiedBonus(double verifiedBonus) { this.verifiedBonus = verifiedBonus; }
        public double getEngagementMax() { return engagementMax; }
        public void setEngagementMax(double engagementMax) { this.engagementMax = engagementMax; }
    }

    public static class Interests {
        private int topN = 10;
        private Duration halfLife = Duration.ofDays(90);
        private List<String> ignoreHashtags = new ArrayList<>();

        public int getTopN() { return topN; }
        public void setTopN(int topN) { this.topN = topN; }
        public Duration getHalfLife() { return halfLife; }
        public void setHalfLife(Duration halfLife) { this.halfLife = halfLife; }
        public List<String> getIgnoreHashtags() { return ignoreHashtags; }
        public void setIgnoreHashtags(List<String> ignoreHashtags) { this.ignoreHashtags = ignoreHashtags; }
    }
}
