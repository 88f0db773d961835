package io.hearth.service;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;


/**
 * Replies on Bluesky through {@code com.atproto.repo.createRecord} of an {@code app.bsky.feed.post} with a reply ref
 * (root and parent, each uri + cid; the parent's own reply ref gives the root, read with {@code app.bsky.feed.getPosts}).
 * Logs in with {@code com.atproto.server.createSession} (handle or DID + app password) and again once when the
 * token has expired. Exactly once: the record key ({@code rkey}) is a TID derived from the reply (its first-seen time
 * and id), so a retry looks the record up first ({@code com.atproto.repo.getRecord}) and never creates a second one.
 */
public class BlueskyReplyClient implements ReplyClient {

    static final String POST = "app.bsky.feed.post";
    private static final String B32 = "234567abcdefghijklmnopqrstuvwxyz";

    private final ReplyHttp http;
    private final String baseUrl;
    private final String identifier;
    private final String appPassword;
    private volatile String accessJwt;
    private volatile String did;

    public BlueskyReplyClient(ReplyHttp http, String baseUrl, String identifier, String appPassword) {
        this.http = http;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.identifier = identifier;
        this.appPassword = appPassword;
    }

    @Override
    public String channel() {
        return "bluesky";
    }

    @Override
    public Posted post(Target target, String text, String key, Instant keyTime) throws ReplyException {
        JsonNode parent = parentPost(target.parentNativeId());
        ObjectNode parentRef = ReplyHttp.JSON.createObjectNode().put("uri", parent.path("uri").asText())
                .put("cid", parent.path("cid").asText());
        JsonNode rootOfParent = parent.path("record").path("reply").path("root");
        ObjectNode rootRef = rootOfParent.hasNonNull("uri") && rootOfParent.hasNonNull("cid")
                ? ReplyHttp.JSON.createObjectNode().put("uri", rootOfParent.get("uri").asText()).put("cid", rootOfParent.get("cid").asText())
                : parentRef.deepCopy();
        ObjectNode body = ReplyHttp.JSON.createObjectNode();
        body.put("repo", session());
        body.put("collection", POST);
        body.put("rkey", tid(keyTime, key));
        ObjectNode record = body.putObject("record");
        record.put("$type", POST);
        record.put("text", text);
        record.put("createdAt", http.clock().instant().toString());
        ObjectNode reply = record.putObject("reply");
        reply.set("root", rootRef);
        reply.set("parent", parentRef);
        ReplyHttp.Answer a = authorized("POST", baseUrl + "/xrpc/com.atproto.repo.createRecord", body.toString(), true);
        if (a.status() == 200) {
            String uri = a.body().path("uri").asText(null);
            if (uri == null) {
                throw new ReplyException(ReplyException.Kind.UNCERTAIN, "createRecord: 200 without uri");
            }
            return new Posted(uri, webUrl(uri));
        }
        throw failure("createRecord", a, true);
    }

    @Override
    public Optional<Posted> find(Target target, String text, String key, Instant keyTime) throws ReplyException {
        String repo = session();
        String url = baseUrl + "/xrpc/com.atproto.repo.getRecord?repo=" + enc(repo) + "&collection=" + POST + "&rkey="
                + tid(keyTime, key);
        ReplyHttp.Answer a = authorized("GET", url, null, false);
        if (a.status() == 200 && a.body().hasNonNull("uri")) {
            String uri = a.body().get("uri").asText();
            return Optional.of(new Posted(uri, webUrl(uri)));
        }
        if (a.status() == 400 && "RecordNotFound".equals(a.body().path("error").asText())) {
            return Optional.empty();
        }
        throw failure("getRecord", a, false);
    }

    private JsonNode parentPost(String uri) throws ReplyException {
        ReplyHttp.Answer a = authorized("GET", baseUrl + "/xrpc/app.bsky.feed.getPosts?uris=" + enc(uri), null, false);
        if (a.status() != 200) {
            throw failure("getPosts", a, false);
        }
        JsonNode posts = a.body().path("posts");
        if (!posts.isArray() || posts.isEmpty()) {
            throw new ReplyException(ReplyException.Kind.REFUSED, "getPosts: the post answered is gone (deleted or not visible)");
        }
        return posts.get(0);
    }

    private ReplyHttp.Answer authorized(String method, String url, String body, boolean creates) throws ReplyException {
        session();
        ReplyHttp.Answer a = http.send(method, url, headers(), body, creates);
        String error = a.body().path("error").asText("");
        if (a.status() == 401 || "ExpiredToken".equals(error) || "InvalidToken".equals(error)) {
            accessJwt = null; // log in again, once
            session();
            a = http.send(method, url, headers(), body, creates);
        }
        return a;
    }

    private Map<String, String> headers() {
        return Map.of("Authorization", "Bearer " + accessJwt, "Content-Type", "application/json");
    }

    /** Logs in when there is no session; returns the account's DID (the repo). */
    private String session() throws ReplyException {
        if (accessJwt != null) {
            return did;
        }
        ObjectNode login = ReplyHttp.JSON.createObjectNode().put("identifier", identifier).put("password", appPassword);
        ReplyHttp.Answer a = http.send("POST", baseUrl + "/xrpc/com.atproto.server.createSession",
                Map.of("Content-Type", "application/json"), login.toString(), false);
        if (a.status() != 200 || !a.body().hasNonNull("accessJwt")) {
            throw failure("createSession", a, false);
        }
        did = a.body().path("did").asText(identifier);
        accessJwt = a.body().get("accessJwt").asText();
        return did;
    }

    private ReplyException failure(String call, ReplyHttp.Answer a, boolean creates) {
        if (a.status() == 429) {
            return new ReplyException(ReplyException.Kind.RATE_LIMITED, call + ": " + ReplyHttp.detail(a), http.retryAt(a), null);
        }
        if (a.status() >= 500) {
            return new ReplyException(creates ? ReplyException.Kind.UNCERTAIN : ReplyException.Kind.NOT_POSTED,
                    call + ": " + ReplyHttp.detail(a));
        }
        return new ReplyException(ReplyException.Kind.REFUSED, call + ": " + ReplyHttp.detail(a));
    }

    /**
     * A record key in the TID format (13 characters base32-sortable: 53 bits of microseconds since the epoch, 10 bits of
     * clock id) made from the reply's first-seen time and a hash of its key: the same for every attempt of one reply.
     */
    static String tid(Instant at, String key) {
        long micros = at.getEpochSecond() * 1_000_000L + at.getNano() / 1_000;
        long clockId = Math.floorMod(key.hashCode(), 1024);
        long v = ((micros & ((1L << 53) - 1)) << 10) | clockId;
        char[] out = new char[13];
        for (int i = 12; i >= 0; i--) {
            out[i] = B32.charAt((int) (v & 31));
            v >>>= 5;
        }
        return new String(out);
    }

    static String webUrl(String uri) {
        // at://<did>/app.bsky.feed.post/<rkey> -> https://bsky.app/profile/<did>/post/<rkey>
        String[] p = uri.substring("at://".length()).split("/");
        return p.length == 3 ? "https://bsky.app/profile/" + p[0] + "/post/" + p[2] : null;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
