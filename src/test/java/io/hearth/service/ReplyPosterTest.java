package io.hearth.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.contains;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.hearth.crm.CrmCommand;
import io.hearth.crm.CrmMapping;
import io.hearth.queue.DeadLetterPublisher;
import io.hearth.support.ScriptedHttpServer;
import io.hearth.support.ScriptedHttpServer.Request;
import io.hearth.support.ScriptedHttpServer.Response;

/**
 * Answer from the CRM against scripted servers that speak X API v2, Mastodon and Bluesky (bodies and headers as
 * recorded in ../shared/reference-payloads/): the reply lands in the right conversation once, its id reaches the
 * CRM, a refusal is marked and dead-lettered with the API's reason, a 429 backs off, and a crash (timeout) between
 * posting and recording never posts twice.
 */
class ReplyPosterTest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final Instant T0 = Instant.parse("2026-12-05T09:00:00Z");
    static final Instant NOW = T0.plus(Duration.ofHours(1));
    static final Path REF = Path.of("../shared/reference-payloads");

    final ServiceWorld w = new ServiceWorld(Map.of("x", List.of("acme_support"), "mastodon", List.of("acme"),
            "bluesky", List.of("acme.bsky.social")));
    final DeadLetterPublisher deadLetters = mock(DeadLetterPublisher.class);
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final List<ScriptedHttpServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(ScriptedHttpServer::close);
    }

    ScriptedHttpServer server(java.util.function.Function<Request, Response> script) throws Exception {
        ScriptedHttpServer s = new ScriptedHttpServer(script);
        servers.add(s);
        return s;
    }

    ReplyPoster poster(ReplyClient... clients) {
        return new ReplyPoster(List.of(clients), w.store, w.rules, w.brand, new CrmMapping(), deadLetters, clock);
    }

    ReplyHttp http(Duration timeout) {
        return new ReplyHttp(timeout, Duration.ofMinutes(1), clock);
    }

    Exchange message(String replyId, String caseKey, String text) {
        Exchange e = new DefaultExchange(new DefaultCamelContext());
        ObjectNode n = JSON.createObjectNode().put("replyId", replyId).put("caseKey", caseKey).put("text", text);
        e.getMessage().setBody(n.toString());
        return e;
    }

    /** A customer's complaint on the channel: the case the agent answers. */
    void complaint(String channel, String nativeId, String handle, String conversation) {
        w.post(channel, nativeId, handle, "acme lost my luggage and nobody answers", "complaint", T0, null, conversation,
                true, true, NOW);
    }

    static Map<String, Object> fields(List<CrmCommand> out, String object) {
        return out.stream().filter(c -> c.object().equals(object)).findFirst().orElseThrow().fields();
    }

    static String ref(String file) throws Exception {
        return Files.readString(REF.resolve(file)).strip();
    }

    // --- X ---------------------------------------------------------------------------------------------------------

    /** X API v2: POST /2/tweets creates, GET /2/users/:id/tweets lists the account's posts. */
    static final class FakeX {
        final List<ObjectNode> tweets = new ArrayList<>();
        final AtomicInteger next = new AtomicInteger(1);
        final AtomicInteger busy = new AtomicInteger();
        volatile long delayPostMs;

        Response handle(Request r) {
            busy.incrementAndGet();
            try {
                if (r.method().equals("POST") && r.path().equals("/2/tweets")) {
                    JsonNode body = JSON.readTree(r.body());
                    String id = "17330000000000000" + String.format("%02d", next.getAndIncrement());
                    ObjectNode t = JSON.createObjectNode().put("id", id).put("text", body.path("text").asText());
                    ((ArrayNode) t.putArray("edit_history_tweet_ids")).add(id);
                    t.putArray("referenced_tweets").addObject().put("type", "replied_to")
                            .put("id", body.path("reply").path("in_reply_to_tweet_id").asText());
                    tweets.add(t);
                    if (delayPostMs > 0) {
                        Thread.sleep(delayPostMs); // created, but the answer comes too late: the client gives up
                    }
                    ObjectNode data = JSON.createObjectNode();
                    data.putObject("data").put("id", id).put("text", t.get("text").asText()).set("edit_history_tweet_ids",
                            t.get("edit_history_tweet_ids"));
                    return Response.json(201, data.toString()).withHeaders(Map.of("x-rate-limit-limit", "200",
                            "x-rate-limit-remaining", "199", "x-rate-limit-reset", "1764928800",
                            "location", "https://api.twitter.com/2/tweets/" + id));
                }
                if (r.method().equals("GET") && r.path().equals("/2/users/42/tweets")) {
                    ObjectNode page = JSON.createObjectNode();
                    ArrayNode data = page.putArray("data");
                    tweets.forEach(data::add);
                    page.putObject("meta").put("result_count", tweets.size());
                    return Response.json(200, page.toString());
                }
                return Response.json(404, "{\"title\":\"Not Found Error\",\"type\":\"about:blank\",\"status\":404}");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            } finally {
                busy.decrementAndGet();
            }
        }
    }

    @Test
    void xReplyIsPostedOnceAndItsIdReachesTheCrm() throws Exception {
        complaint("x", "1733000000000000100", "worried", "1733000000000000100");
        FakeX x = new FakeX();
        ScriptedHttpServer api = server(x::handle);
        ReplyPoster poster = poster(new XReplyClient(http(Duration.ofSeconds(5)), api.baseUrl(), "user-token", "42"));

        List<CrmCommand> out = poster.post(message("a0B000000000001AAA", "case:x:1733000000000000100",
                "We are sorry! Please send us a DM with your booking code."));

        Request post = api.requests().get(0);
        assertThat(post.method() + " " + post.path()).isEqualTo("POST /2/tweets");
        assertThat(post.header("Authorization")).isEqualTo("Bearer user-token");
        assertThat(JSON.readTree(post.body())).isEqualTo(JSON.readTree(
                "{\"text\":\"We are sorry! Please send us a DM with your booking code.\","
                        + "\"reply\":{\"in_reply_to_tweet_id\":\"1733000000000000100\"}}"));
        String id = x.tweets.get(0).get("id").asText();
        CrmCommand reply = out.get(0);
        assertThat(reply.op()).isEqualTo(CrmCommand.Op.update);
        assertThat(reply.object()).isEqualTo("Social_Reply__c");
        assertThat(reply.id()).isEqualTo("a0B000000000001AAA");
        assertThat(reply.fields()).containsEntry("Status__c", "Posted").containsEntry("Posted_Id__c", id)
                .containsEntry("Posted_Url__c", "https://x.com/i/web/status/" + id)
                .containsEntry("Posted_At__c", NOW.toString());
        assertThat(fields(out, "Case")).containsEntry("Status", "Responded").containsEntry("Social_Last_Reply_Id__c", id)
                .containsEntry("First_Response_Minutes__c", 60.0);
        assertThat(w.store.reply("a0B000000000001AAA").orElseThrow().state()).isEqualTo(ServiceStore.State.posted);

        // the same message again (a redelivery after the commands were sent): the same commands, no call
        assertThat(poster.post(message("a0B000000000001AAA", "case:x:1733000000000000100", "We are sorry!"))).isEqualTo(out);
        assertThat(api.requests()).hasSize(1);
        assertThat(x.tweets).hasSize(1);
        verify(deadLetters, never()).send(any(), anyString(), any(), anyString(), anyString());
    }

    @Test
    void xCrashBetweenPostingAndRecordingDoesNotPostTwice() throws Exception {
        complaint("x", "1733000000000000200", "worried", "1733000000000000200");
        FakeX x = new FakeX();
        x.delayPostMs = 1500;
        ScriptedHttpServer api = server(x::handle);
        ReplyPoster poster = poster(new XReplyClient(http(Duration.ofMillis(700)), api.baseUrl(), "user-token", "42"));
        Exchange first = message("a0B000000000002AAA", "case:x:1733000000000000200", "On it, sorry for the wait.");

        assertThatThrownBy(() -> poster.post(first)).isInstanceOf(ReplyException.class)
                .satisfies(e -> assertThat(((ReplyException) e).kind()).isEqualTo(ReplyException.Kind.UNCERTAIN));
        assertThat(w.store.reply("a0B000000000002AAA").orElseThrow().state()).as("posting: a post may be out")
                .isEqualTo(ServiceStore.State.posting);
        assertThat(x.tweets).as("X created it").hasSize(1);

        x.delayPostMs = 0;
        await().until(() -> x.busy.get() == 0); // the late answer is gone (the server answers one request at a time)
        List<CrmCommand> out = poster.post(message("a0B000000000002AAA", "case:x:1733000000000000200",
                "On it, sorry for the wait."));
        assertThat(x.tweets).as("found on the account's timeline, not posted again").hasSize(1);
        assertThat(api.requests()).extracting(r -> r.method() + " " + r.path())
                .containsExactly("POST /2/tweets", "GET /2/users/42/tweets");
        assertThat(api.requests().get(1).params()).containsEntry("tweet.fields", "referenced_tweets,created_at");
        assertThat(fields(out, "Social_Reply__c")).containsEntry("Posted_Id__c", x.tweets.get(0).get("id").asText());
    }

    @Test
    void xRefusalMarksTheReplyFailedAndDeadLettersItWithTheReason() throws Exception {
        complaint("x", "1733000000000000300", "worried", "1733000000000000300");
        String refusal = ref("x-v2/create_tweet_error_403_reply_not_allowed.json");
        ScriptedHttpServer api = server(r -> Response.json(403, refusal));
        ReplyPoster poster = poster(new XReplyClient(http(Duration.ofSeconds(5)), api.baseUrl(), "user-token", "42"));
        Exchange m = message("a0B000000000003AAA", "case:x:1733000000000000300", "Hello");

        List<CrmCommand> out = poster.post(m);

        assertThat(out).hasSize(1);
        assertThat(out.get(0).fields()).containsEntry("Status__c", "Failed");
        assertThat(out.get(0).fields().get("Failure_Reason__c").toString())
                .startsWith("POST /2/tweets: HTTP 403 title=Forbidden detail=Reply to this conversation is not allowed");
        verify(deadLetters).send(any(), eq("service.replies"), any(), contains("Reply to this conversation is not allowed"),
                eq(ReplyException.class.getName()));
        assertThat(w.store.reply("a0B000000000003AAA").orElseThrow().state()).isEqualTo(ServiceStore.State.failed);
        // a stale copy does not try again; nothing is posted
        assertThat(poster.post(message("a0B000000000003AAA", "case:x:1733000000000000300", "Hello"))).isEmpty();
        assertThat(api.requests()).hasSize(1);
    }

    @Test
    void xRateLimitBacksOffUntilTheWindowResets() throws Exception {
        complaint("x", "1733000000000000400", "worried", "1733000000000000400");
        String tooMany = ref("x-v2/error_429_too_many_requests.json");
        long reset = NOW.plusSeconds(900).getEpochSecond();
        ScriptedHttpServer api = server(r -> Response.json(429, tooMany).withHeaders(Map.of("x-rate-limit-limit", "200",
                "x-rate-limit-remaining", "0", "x-rate-limit-reset", String.valueOf(reset))));
        ReplyPoster poster = poster(new XReplyClient(http(Duration.ofSeconds(5)), api.baseUrl(), "user-token", "42"));

        assertThatThrownBy(() -> poster.post(message("a0B000000000004AAA", "case:x:1733000000000000400", "Hi")))
                .isInstanceOfSatisfying(ReplyException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ReplyException.Kind.RATE_LIMITED);
                    assertThat(e.retryAt()).isEqualTo(Instant.ofEpochSecond(reset));
                });
        assertThat(w.store.reply("a0B000000000004AAA").orElseThrow().state()).as("nothing was posted")
                .isEqualTo(ServiceStore.State.queued);
        // the gate is closed until the reset: the retry does not call X
        assertThatThrownBy(() -> poster.post(message("a0B000000000004AAA", "case:x:1733000000000000400", "Hi")))
                .isInstanceOf(ReplyException.class);
        assertThat(api.requests()).hasSize(1);
    }

    @Test
    void aSpentWindowIsWaitedForWithoutProvokingA429() throws Exception {
        complaint("mastodon", "117020583245459830", "worried@social.example", "117020583245459830");
        String recorded = ref("mastodon/statuses_post_reply_in_reply_to_id.json");
        ScriptedHttpServer api = server(r -> Response.json(200, recorded).withHeaders(Map.of("x-ratelimit-limit", "300",
                "x-ratelimit-remaining", "0", "x-ratelimit-reset", "2026-12-05T12:00:00.949067Z")));
        ReplyPoster poster = poster(new MastodonReplyClient(http(Duration.ofSeconds(5)), api.baseUrl(), "masto-token"));
        poster.post(message("a0B000000000011AAA", "case:mastodon:117020583245459830", "first"));
        assertThatThrownBy(() -> poster.post(message("a0B000000000012AAA", "case:mastodon:117020583245459830", "second")))
                .isInstanceOfSatisfying(ReplyException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ReplyException.Kind.RATE_LIMITED);
                    assertThat(e.retryAt()).isEqualTo(Instant.parse("2026-12-05T12:00:00.949067Z"));
                });
        assertThat(api.requests()).hasSize(1);
        assertThat(w.store.reply("a0B000000000012AAA").orElseThrow().state()).isEqualTo(ServiceStore.State.queued);
    }

    // --- Mastodon ----------------------------------------------------------------------------------------------------

    /** Mastodon: POST /api/v1/statuses with Idempotency-Key: the same key within the hour gives the same status. */
    static final class FakeMastodon {
        final Map<String, String> byKey = new ConcurrentHashMap<>();
        final AtomicInteger created = new AtomicInteger();
        final AtomicInteger busy = new AtomicInteger();
        volatile long delayMs;
        final String recorded;

        FakeMastodon(String recorded) {
            this.recorded = recorded;
        }

        Response handle(Request r) {
            if (!(r.method().equals("POST") && r.path().equals("/api/v1/statuses"))) {
                return Response.json(404, "{\"error\":\"Record not found\"}");
            }
            Map<String, String> form = new Request("POST", r.path(), r.body(), Map.of(), "").params();
            if (form.getOrDefault("status", "").isBlank()) {
                return Response.json(422, "{\"error\":\"Validation failed: Text can't be blank\"}");
            }
            String key = r.header("Idempotency-Key");
            String status = byKey.computeIfAbsent(key == null ? "none-" + created.get() : key, k -> {
                int n = created.incrementAndGet();
                try {
                    ObjectNode s = (ObjectNode) JSON.readTree(recorded);
                    s.put("id", "11702058325829238" + n).put("in_reply_to_id", form.get("in_reply_to_id"))
                            .put("url", "https://social.example/@acme/11702058325829238" + n);
                    return s.toString();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            if (delayMs > 0) {
                busy.incrementAndGet();
                try {
                    Thread.sleep(delayMs);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    busy.decrementAndGet();
                }
            }
            return Response.json(200, status).withHeaders(Map.of("x-ratelimit-limit", "300", "x-ratelimit-remaining", "278",
                    "x-ratelimit-reset", "2026-12-05T12:00:00.949067Z"));
        }
    }

    @Test
    void mastodonReplyCarriesTheIdempotencyKeyAndARetryAfterACrashGetsTheSameStatus() throws Exception {
        complaint("mastodon", "117020583245459824", "worried@social.example", "117020583245459824");
        FakeMastodon m = new FakeMastodon(ref("mastodon/statuses_post_reply_in_reply_to_id.json"));
        m.delayMs = 1500;
        ScriptedHttpServer api = server(m::handle);
        ReplyPoster poster = poster(new MastodonReplyClient(http(Duration.ofMillis(700)), api.baseUrl(), "masto-token"));

        assertThatThrownBy(() -> poster.post(message("a0B000000000005AAA", "case:mastodon:117020583245459824",
                "so sorry, we are looking into it"))).isInstanceOf(ReplyException.class);
        m.delayMs = 0;
        await().until(() -> m.busy.get() == 0);
        List<CrmCommand> out = poster.post(message("a0B000000000005AAA", "case:mastodon:117020583245459824",
                "so sorry, we are looking into it"));

        assertThat(m.created.get()).as("one status, whatever the retries").isEqualTo(1);
        assertThat(api.requests()).hasSize(2).allSatisfy(r -> {
            assertThat(r.header("Idempotency-Key")).isEqualTo("a0B000000000005AAA");
            assertThat(r.header("Authorization")).isEqualTo("Bearer masto-token");
            assertThat(r.header("Content-Type")).isEqualTo("application/x-www-form-urlencoded");
        });
        Map<String, String> form = new Request("POST", "/", api.requests().get(0).body(), Map.of(), "").params();
        assertThat(form).containsEntry("in_reply_to_id", "117020583245459824")
                .containsEntry("status", "@worried@social.example so sorry, we are looking into it");
        assertThat(fields(out, "Social_Reply__c")).containsEntry("Posted_Id__c", "117020583258292381")
                .containsEntry("Posted_Url__c", "https://social.example/@acme/117020583258292381");
    }

    @Test
    void mastodonRefusalIsVisible() throws Exception {
        complaint("mastodon", "117020583245459825", "worried@social.example", "117020583245459825");
        String refusal = ref("mastodon/statuses_post_error_422_text_blank.json");
        ScriptedHttpServer api = server(r -> Response.json(422, refusal));
        ReplyPoster poster = poster(new MastodonReplyClient(http(Duration.ofSeconds(5)), api.baseUrl(), "masto-token"));
        List<CrmCommand> out = poster.post(message("a0B000000000006AAA", "case:mastodon:117020583245459825", " "));
        assertThat(out.get(0).fields()).containsEntry("Status__c", "Failed")
                .containsEntry("Failure_Reason__c", "POST /api/v1/statuses: HTTP 422 error=Validation failed: Text can't be blank");
    }

    // --- Bluesky -----------------------------------------------------------------------------------------------------

    static final String CUSTOMER_POST = "at://did:plc:customer/app.bsky.feed.post/3lparentpost22";
    static final String ROOT_POST = "at://did:plc:someone/app.bsky.feed.post/3lrootpost2222";

    /** A PDS: createSession, app.bsky.feed.getPosts, com.atproto.repo.createRecord / getRecord (by rkey). */
    static final class FakePds {
        final Map<String, ObjectNode> records = new ConcurrentHashMap<>();
        final AtomicInteger busy = new AtomicInteger();
        volatile long delayCreateMs;
        volatile String refuse;

        Response handle(Request r) {
            try {
                switch (r.path()) {
                    case "/xrpc/com.atproto.server.createSession" -> {
                        JsonNode login = JSON.readTree(r.body());
                        if (!"app-pass-1234".equals(login.path("password").asText())) {
                            return Response.json(401, "{\"error\":\"AuthenticationRequired\",\"message\":\"Invalid identifier or password\"}");
                        }
                        return Response.json(200, "{\"did\":\"did:plc:acmebrand\",\"handle\":\"acme.bsky.social\","
                                + "\"accessJwt\":\"jwt-1\",\"refreshJwt\":\"r-1\",\"active\":true}");
                    }
                    case "/xrpc/app.bsky.feed.getPosts" -> {
                        String uri = r.params().get("uris");
                        return Response.json(200, "{\"posts\":[{\"uri\":\"" + uri + "\",\"cid\":\"bafyreiparentcid\","
                                + "\"author\":{\"did\":\"did:plc:customer\",\"handle\":\"worried.bsky.social\"},"
                                + "\"record\":{\"$type\":\"app.bsky.feed.post\",\"text\":\"acme lost my luggage\","
                                + "\"createdAt\":\"2026-12-05T09:00:00.000Z\",\"reply\":{\"root\":{\"uri\":\"" + ROOT_POST
                                + "\",\"cid\":\"bafyreirootcid\"},\"parent\":{\"uri\":\"" + ROOT_POST
                                + "\",\"cid\":\"bafyreirootcid\"}}},\"indexedAt\":\"2026-12-05T09:00:01.000Z\"}]}");
                    }
                    case "/xrpc/com.atproto.repo.createRecord" -> {
                        if (refuse != null) {
                            return Response.json(400, refuse);
                        }
                        JsonNode body = JSON.readTree(r.body());
                        String rkey = body.path("rkey").asText();
                        if (records.containsKey(rkey)) {
                            return Response.json(400, "{\"error\":\"InvalidSwap\",\"message\":\"Record already exists\"}");
                        }
                        ObjectNode created = JSON.createObjectNode()
                                .put("uri", "at://did:plc:acmebrand/app.bsky.feed.post/" + rkey)
                                .put("cid", "bafyreia7fptlcy32gmdmtxlqnd3cwjcq7bxae4sdunq5c5i6yr7y72cqmu");
                        created.set("value", body.path("record"));
                        records.put(rkey, created);
                        if (delayCreateMs > 0) {
                            busy.incrementAndGet();
                            try {
                                Thread.sleep(delayCreateMs);
                            } finally {
                                busy.decrementAndGet();
                            }
                        }
                        return Response.json(200, "{\"uri\":\"" + created.get("uri").asText() + "\",\"cid\":\""
                                + created.get("cid").asText() + "\",\"commit\":{\"cid\":\"bafyreicommit\",\"rev\":\"3lprdue7mcg26\"},"
                                + "\"validationStatus\":\"valid\"}").withHeaders(Map.of("RateLimit-Limit", "3000",
                                "RateLimit-Remaining", "2993", "RateLimit-Reset", "1764928800", "RateLimit-Policy", "3000;w=300"));
                    }
                    case "/xrpc/com.atproto.repo.getRecord" -> {
                        ObjectNode rec = records.get(r.params().get("rkey"));
                        return rec == null
                                ? Response.json(400, "{\"error\":\"RecordNotFound\",\"message\":\"Could not locate record\"}")
                                : Response.json(200, rec.toString());
                    }
                    default -> {
                        return Response.json(404, "{\"error\":\"MethodNotImplemented\"}");
                    }
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    void blueskyComplaint() {
        w.post("bluesky", CUSTOMER_POST, "worried.bsky.social", "acme lost my luggage", "complaint", T0, null, ROOT_POST,
                true, true, NOW);
    }

    @Test
    void blueskyReplyHasRootAndParentRefsAndACrashDoesNotPostTwice() throws Exception {
        blueskyComplaint();
        FakePds pds = new FakePds();
        pds.delayCreateMs = 1500;
        ScriptedHttpServer api = server(pds::handle);
        ReplyPoster poster = poster(new BlueskyReplyClient(http(Duration.ofMillis(700)), api.baseUrl(), "acme.bsky.social",
                "app-pass-1234"));
        String caseKey = "case:bluesky:" + ROOT_POST;

        assertThatThrownBy(() -> poster.post(message("a0B000000000007AAA", caseKey, "Sorry! DM us please.")))
                .isInstanceOf(ReplyException.class);
        assertThat(pds.records).hasSize(1);
        pds.delayCreateMs = 0;
        await().until(() -> pds.busy.get() == 0);
        List<CrmCommand> out = poster.post(message("a0B000000000007AAA", caseKey, "Sorry! DM us please."));

        assertThat(pds.records).as("found by its record key, not created again").hasSize(1);
        List<String> calls = api.requests().stream().map(Request::path).toList();
        assertThat(calls).containsExactly("/xrpc/com.atproto.server.createSession", "/xrpc/app.bsky.feed.getPosts",
                "/xrpc/com.atproto.repo.createRecord", "/xrpc/com.atproto.repo.getRecord");
        Request create = api.requests().get(2);
        assertThat(create.header("Authorization")).isEqualTo("Bearer jwt-1");
        JsonNode body = JSON.readTree(create.body());
        assertThat(body.path("repo").asText()).isEqualTo("did:plc:acmebrand");
        assertThat(body.path("collection").asText()).isEqualTo("app.bsky.feed.post");
        assertThat(body.path("rkey").asText()).matches("[234567a-z]{13}");
        JsonNode record = body.path("record");
        assertThat(record.path("$type").asText()).isEqualTo("app.bsky.feed.post");
        assertThat(record.path("text").asText()).isEqualTo("Sorry! DM us please.");
        assertThat(record.path("reply").path("root")).isEqualTo(JSON.readTree("{\"uri\":\"" + ROOT_POST
                + "\",\"cid\":\"bafyreirootcid\"}"));
        assertThat(record.path("reply").path("parent")).isEqualTo(JSON.readTree("{\"uri\":\"" + CUSTOMER_POST
                + "\",\"cid\":\"bafyreiparentcid\"}"));
        String uri = "at://did:plc:acmebrand/app.bsky.feed.post/" + body.path("rkey").asText();
        assertThat(fields(out, "Social_Reply__c")).containsEntry("Posted_Id__c", uri)
                .containsEntry("Posted_Url__c", "https://bsky.app/profile/did:plc:acmebrand/post/" + body.path("rkey").asText());
    }

    @Test
    void blueskyRefusalIsVisible() throws Exception {
        blueskyComplaint();
        FakePds pds = new FakePds();
        pds.refuse = ref("bluesky/createRecord_error_400_InvalidRequest_bskyr.json");
        ScriptedHttpServer api = server(pds::handle);
        ReplyPoster poster = poster(new BlueskyReplyClient(http(Duration.ofSeconds(5)), api.baseUrl(), "acme.bsky.social",
                "app-pass-1234"));
        List<CrmCommand> out = poster.post(message("a0B000000000008AAA", "case:bluesky:" + ROOT_POST, "x".repeat(301)));
        assertThat(out.get(0).fields()).containsEntry("Status__c", "Failed");
        assertThat(out.get(0).fields().get("Failure_Reason__c").toString())
                .isEqualTo("createRecord: HTTP 400 error=InvalidRequest message=Invalid app.bsky.feed.post record:"
                        + " Record/text must not be longer than 300 graphemes");
        verify(deadLetters).send(any(), eq("service.replies"), any(), contains("InvalidRequest"), anyString());
    }

    // --- others ------------------------------------------------------------------------------------------------------

    @Test
    void otherChannelsAndUnknownCasesFailVisibly() throws Exception {
        w.post("reddit", "t1_abc", "worried", "acme lost my luggage", "complaint", T0, null, "t3_xyz", true, true, NOW);
        ReplyPoster poster = poster();
        List<CrmCommand> reddit = poster.post(message("a0B000000000009AAA", "case:reddit:t3_xyz", "Hi"));
        assertThat(reddit.get(0).fields().get("Failure_Reason__c").toString())
                .isEqualTo("replies on channel 'reddit' are not supported or not configured (supported: x, mastodon, bluesky)");
        List<CrmCommand> unknown = poster.post(message("a0B000000000010AAA", "case:x:nope", "Hi"));
        assertThat(unknown.get(0).fields().get("Failure_Reason__c").toString()).startsWith("no conversation to answer");
    }
}
