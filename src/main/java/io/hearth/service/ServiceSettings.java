package io.hearth.service;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** {@code hearth.service.*}: the two-way social service (docs/service.md). Defaults in config/application.yml. */
@ConfigurationProperties(prefix = "hearth.service")
public class ServiceSettings {

    /** Channel → handles of the brand's own accounts there (e.g. {@code x: [acme_support]}). Their posts are answers. */
    private Map<String, List<String>> brandAccounts = new LinkedHashMap<>();
    private Replies replies = new Replies();

    public Map<String, List<String>> getBrandAccounts() {
        return brandAccounts;
    }

    public void setBrandAccounts(Map<String, List<String>> brandAccounts) {
        this.brandAccounts = brandAccounts == null ? new LinkedHashMap<>() : brandAccounts;
    }

    public Replies getReplies() {
        return replies;
    }

    public void setReplies(Replies replies) {
        this.replies = replies;
    }

    /** Agents' replies from the CRM (Social_Reply__c) posted to the channels. */
    public static class Replies {
        /** Poll the CRM for replies (route service-reply-poll) and post them (route service-reply-post). */
        private boolean enabled = false;
        private Duration pollInterval = Duration.ofSeconds(30);
        private Duration initialDelay = Duration.ofSeconds(10);
        /** How far before the last seen SystemModstamp a poll reads again (second precision, late commits). */
        private Duration overlap = Duration.ofMinutes(2);
        /** Replies per poll (one query per interval). */
        private int pageSize = 200;
        /** When a channel says 429 without saying until when. */
        private Duration rateLimitBackOff = Duration.ofMinutes(1);
        /** Read and connect timeout of the channel calls. */
        private Duration timeout = Duration.ofSeconds(20);
        private Channel x = new Channel("https://api.x.com");
        private Channel mastodon = new Channel(null);
        private Channel bluesky = new Channel("https://bsky.social");

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        public Duration getInitialDelay() {
            return initialDelay;
        }

        public void setInitialDelay(Duration initialDelay) {
            this.initialDelay = initialDelay;
        }

        public Duration getOverlap() {
            return overlap;
        }

        public void setOverlap(Duration overlap) {
            this.overlap = overlap;
        }

        public int getPageSize() {
            return pageSize;
        }

        public void setPageSize(int pageSize) {
            this.pageSize = pageSize;
        }

        public Duration getRateLimitBackOff() {
            return rateLimitBackOff;
        }

        public void setRateLimitBackOff(Duration rateLimitBackOff) {
            this.rateLimitBackOff = rateLimitBackOff;
        }

        public Duration getTimeout() {
            return timeout;
        }

        public void setTimeout(Duration timeout) {
            this.timeout = timeout;
        }

        public Channel getX() {
            return x;
        }

        public void setX(Channel x) {
            this.x = x;
        }

        public Channel getMastodon() {
            return mastodon;
        }

        public void setMastodon(Channel mastodon) {
            this.mastodon = mastodon;
        }

        public Channel getBluesky() {
            return bluesky;
        }

        public void setBluesky(Channel bluesky) {
            this.bluesky = bluesky;
        }
    }

    /**
     * One channel's posting account. X: an OAuth 2.0 user-context access token (scope tweet.write) and the account's
     * user id (to look for a post after a crash); Mastodon: the instance and an access token (scope write:statuses);
     * Bluesky: the PDS, the account's handle or DID and an app password.
     */
    public static class Channel {
        private String baseUrl;
        private String accessToken;
        private String userId;
        private String identifier;
        private String appPassword;

        public Channel() {
        }

        Channel(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        public boolean configured() {
            return baseUrl != null && !baseUrl.isBlank()
                    && ((accessToken != null && !accessToken.isBlank()) || (appPassword != null && !appPassword.isBlank()));
        }

        public String getBaseUrl() {
            return baseUrl;
        }

        public void setBaseUrl(String baseUrl) {
            this.baseUrl = baseUrl;
        }

        public String getAccessToken() {
            return accessToken;
        }

        public void setAccessToken(String accessToken) {
            this.accessToken = accessToken;
        }

        public String getUserId() {
            return userId;
        }

        public void setUserId(String userId) {
            this.userId = userId;
        }

        public String getIdentifier() {
            return identifier;
        }

        public void setIdentifier(String identifier) {
            this.identifier = identifier;
        }

        public String getAppPassword() {
            return appPassword;
        }

        public void setAppPassword(String appPassword) {
            this.appPassword = appPassword;
        }

        @Override
        public String toString() {
            return "Channel[" + baseUrl + "]"; // never the token
        }
    }
}
