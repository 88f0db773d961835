package io.hearth.rules;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.hearth.rules.triggers.WebhookSignature;

/**
 * A loyalty/fulfilment system's webhook endpoint for the tests: verifies the signature, answers what the test scripted
 * for an event id (default 200), records every call, and processes each event id once (dedup by id).
 */
final class WebhookReceiver implements AutoCloseable {

    record Call(String eventId, long timestamp, String signature, String body, boolean verified, int status) {
    }

    private final HttpServer server;
    private final byte[] secret;
    private final List<Call> calls = new ArrayList<>();
    private final Map<String, Deque<Integer>> script = new ConcurrentHashMap<>();
    /** Event id → body, first accepted call of each id (what the receiver acted on). */
    private final Map<String, String> processed = new LinkedHashMap<>();

    WebhookReceiver(String secret) throws IOException {
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hooks/rewards", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hooks/rewards";
    }

    /** The next answers for this event id, in order; after them 200. */
    void script(String eventId, Integer... statuses) {
        script.put(eventId, new ArrayDeque<>(List.of(statuses)));
    }

    private void handle(HttpExchange ex) throws IOException {
        String body;
        try (InputStream in = ex.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String id = ex.getRequestHeaders().getFirst(WebhookSignature.EVENT_ID);
        String ts = ex.getRequestHeaders().getFirst(WebhookSignature.TIMESTAMP);
        String sig = ex.getRequestHeaders().getFirst(WebhookSignature.SIGNATURE);
        long timestamp = ts == null ? -1 : Long.parseLong(ts);
        boolean verified = WebhookSignature.verify(secret, timestamp, body, sig);
        Deque<Integer> next = id == null ? null : script.get(id);
        Integer scripted = next == null ? null : next.poll();
        int status = !verified ? 401 : scripted != null ? scripted : 200;
        synchronized (this) {
            calls.add(new Call(id, timestamp, sig, body, verified, status));
            if (status / 100 == 2) {
                processed.putIfAbsent(id, body);
            }
        }
        ex.sendResponseHeaders(status, -1);
        ex.close();
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    synchronized List<Call> calls(String eventId) {
        return calls.stream().filter(c -> eventId.equals(c.eventId())).toList();
    }

    synchronized Map<String, String> processed() {
        return new LinkedHashMap<>(processed);
    }

    /** Event ids sent with more than one distinct body (must stay empty). */
    synchronized Set<String> idsWithTwoBodies() {
        Map<String, Set<String>> bodies = new LinkedHashMap<>();
        calls.forEach(c -> bodies.computeIfAbsent(c.eventId(), k -> new LinkedHashSet<>()).add(c.body()));
        Set<String> out = new LinkedHashSet<>();
        bodies.forEach((k, v) -> {
            if (v.size() > 1) {
                out.add(k);
            }
        });
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
