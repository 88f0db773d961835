package io.hearth.service;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;


/**
 * Replies on X through API v2 {@code POST /2/tweets} with {@code reply.in_reply_to_tweet_id} (user context: an OAuth 2.0
 * user access token with tweet.write). X has no idempotency key: after an uncertain attempt the account's recent posts
 * ({@code GET /2/users/:id/tweets}) are searched for a reply to the same post with the same text; a 403 "duplicate
 * content" is read the same way. Without the account's user id the hub cannot look, and marks the reply failed
 * instead of posting twice.
 */
public class XReplyClient implements ReplyClient {

    private final ReplyHttp http;
    private final String baseUrl;
    private final String token;
    private final String userId;

    public XReplyClient(ReplyHttp http, String baseUrl, String token, String userId) {
        this.http = http;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.token = token;
        this.userId = userId == null || userId.isBlank() ? null : userId;
    }

    @Override
    public String channel() {
        return "x";
    }

    @Override
    public Posted post(Target target, String text, String key, Instant keyTime) throws ReplyException {
        ObjectNode body = ReplyHttp.JSON.createObjectNode();
        body.put("text", text);
        body.putObject("reply").put("in_reply_to_tweet_id", target.parentNativeId());
        ReplyHttp.Answer a = http.send("POST", baseUrl + "/2/tweets", Map.of("Authorization", "Bearer " + token,
                "Content-Type", "application/json"), body.toString(), true);
        if (a.status() == 201 || a.status() == 200) {
            String id = a.body().path("data").path("id").asText(null);
            if (id == null) {
                throw new ReplyException(ReplyException.Kind.UNCERTAIN, "POST /2/tweets: " + a.status() + " without data.id");
            }
            return new Posted(id, "https://x.com/i/web/status/" + id);
        }
        if (a.status() == 429) {
            throw new ReplyException(ReplyException.Kind.RATE_LIMITED, ReplyHttp.detail(a), http.retryAt(a), null);
        }
        if (a.status() == 403 && a.body().path("detail").asText("").contains("duplicate content")) {
            // most likely our own earlier attempt went through: look for it rather than fail or post again
            Optional<Posted> earlier;
            try {
                earlier = find(target, text, key, keyTime);
            } catch (ReplyException e) {
                // a post of ours may well be out: keep the reply "posting", the retry looks again
                throw new ReplyException(ReplyException.Kind.UNCERTAIN, "POST /2/tweets: duplicate content, and the"
                        + " look-up failed: " + e.getMessage(), null, e);
            }
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        if (a.status() >= 500) {
            throw new ReplyException(ReplyException.Kind.NOT_POSTED, "POST /2/tweets: " + ReplyHttp.detail(a));
        }
        throw new ReplyException(ReplyException.Kind.REFUSED, "POST /2/tweets: " + ReplyHttp.detail(a));
    }

    @Override
    public Optional<Posted> find(Target target, String text, String key, Instant keyTime) throws ReplyException {
        if (userId == null) {
            throw new ReplyException(ReplyException.Kind.UNKNOWN, "x: an earlier attempt may have posted and"
                    + " hearth.service.replies.x.user-id is not set to look for it");
        }
        String url = baseUrl + "/2/users/" + URLEncoder.encode(userId, StandardCharsets.UTF_8)
                + "/tweets?max_results=100&tweet.fields=referenced_tweets,created_at&start_time="
                + URLEncoder.encode(keyTime.minusSeconds(60).toString(), StandardCharsets.UTF_8);
        ReplyHttp.Answer a = http.send("GET", url, Map.of("Authorization", "Bearer " + token), null, false);
        if (a.status() == 429) {
            throw new ReplyException(ReplyException.Kind.RATE_LIMITED, ReplyHttp.detail(a), http.retryAt(a), null);
        }
        if (a.status() != 200) {
            throw new ReplyException(ReplyException.Kind.NOT_POSTED, "GET /2/users/:id/tweets: " + ReplyHttp.detail(a));
        }
        for (JsonNode t : a.body().path("data")) {
            boolean answers = false;
            for (JsonNode ref : t.path("referenced_tweets")) {
                answers |= "replied_to".equals(ref.path("type").asText()) && target.parentNativeId().equals(ref.path("id").asText());
            }
            // X may shorten links (t.co) in the stored text: compare the text up to the first link
            if (answers && sameText(text, t.path("text").asText(""))) {
                String id = t.path("id").asText();
                return Optional.of(new Posted(id, "https://x.com/i/web/status/" + id));
            }
        }
        return Optional.empty();
    }

    static boolean sameText(String sent, String stored) {
        String a = untilLink(sent).strip();
        String b = untilLink(stored).strip();
        return a.equals(b);
    }

    private static String untilLink(String s) {
        int i = s.indexOf("http");
        return i < 0 ? s : s.substring(0, i);
    }
}
