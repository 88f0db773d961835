package io.hearth.service;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;


/**
 * Replies on Mastodon through {@code POST /api/v1/statuses} with {@code in_reply_to_id} (form-encoded, as the official
 * clients send it) and an {@code Idempotency-Key} header (the Social_Reply__c id): the server keeps the key for one
 * hour per account and answers a repeated request with the status it created, so a retry within that hour is safe by
 * itself. Mastodon does not add the mention of the author answered: the text gets {@code @handle} in front unless it
 * names them. A retry later than {@link #KEY_LIFETIME} after the first attempt cannot rely on the key and is failed
 * instead (never posted twice).
 */
public class MastodonReplyClient implements ReplyClient {

    /** Mastodon keeps an idempotency key for 1 hour; a margin for clock skew. */
    static final Duration KEY_LIFETIME = Duration.ofMinutes(55);

    private final ReplyHttp http;
    private final String baseUrl;
    private final String token;

    public MastodonReplyClient(ReplyHttp http, String baseUrl, String token) {
        this.http = http;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
    }

    @Override
    public String channel() {
        return "mastodon";
    }

    @Override
    public Posted post(Target target, String text, String key, Instant keyTime) throws ReplyException {
        String status = withMention(text, target.parentHandle());
        String form = "status=" + enc(status) + "&in_reply_to_id=" + enc(target.parentNativeId());
        ReplyHttp.Answer a = http.send("POST", baseUrl + "/api/v1/statuses", Map.of("Authorization", "Bearer " + token,
                "Content-Type", "application/x-www-form-urlencoded", "Idempotency-Key", key), form, true);
        if (a.status() == 200) {
            String id = a.body().path("id").asText(null);
            if (id == null) {
                throw new ReplyException(ReplyException.Kind.UNCERTAIN, "POST /api/v1/statuses: 200 without id");
            }
            return new Posted(id, a.body().path("url").asText(null));
        }
        if (a.status() == 429) {
            throw new ReplyException(ReplyException.Kind.RATE_LIMITED, ReplyHttp.detail(a), http.retryAt(a), null);
        }
        if (a.status() >= 500) {
            throw new ReplyException(ReplyException.Kind.UNCERTAIN, "POST /api/v1/statuses: " + ReplyHttp.detail(a));
        }
        throw new ReplyException(ReplyException.Kind.REFUSED, "POST /api/v1/statuses: " + ReplyHttp.detail(a));
    }

    /** Within the key's lifetime the same POST is the look-up: nothing to find first. */
    @Override
    public Optional<Posted> find(Target target, String text, String key, Instant keyTime) throws ReplyException {
        if (Duration.between(keyTime, http.clock().instant()).compareTo(KEY_LIFETIME) > 0) {
            throw new ReplyException(ReplyException.Kind.UNKNOWN, "mastodon: an earlier attempt may have posted and its"
                    + " Idempotency-Key (kept 1 hour by the server) has expired");
        }
        return Optional.empty();
    }

    static String withMention(String text, String handle) {
        if (handle == null || handle.isBlank()) {
            return text;
        }
        String h = handle.startsWith("@") ? handle : "@" + handle;
        return text.toLowerCase(Locale.ROOT).contains(h.toLowerCase(Locale.ROOT)) ? text : h + " " + text;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
