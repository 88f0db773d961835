package io.hearth.support;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP server on loopback that plays a channel's API: answers come from a function of the
 * request (so tests can script pages, 429s and errors), and every request is recorded.
 */
public final class ScriptedHttpServer implements AutoCloseable {

    /** A recorded request (body as UTF-8 text, "" when none). */
    public record Request(String method, String path, String query, Map<String, List<String>> headers, String body) {
        /** The decoded query parameters, in order. */
        public Map<String, String> params() {
            Map<String, String> params = new java.util.LinkedHashMap<>();
            if (query == null || query.isEmpty()) {
                return params;
            }
            for (String pair : query.split("&")) {
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair : pair.substring(0, eq);
                String value = eq < 0 ? "" : pair.substring(eq + 1);
                params.put(java.net.URLDecoder.decode(key, java.nio.charset.StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(value, java.nio.charset.StandardCharsets.UTF_8));
            }
            return params;
        }

        public String header(String name) {
            for (Map.Entry<String, List<String>> h : headers.entrySet()) {
                if (h.getKey() != null && h.getKey().equalsIgnoreCase(name)) {
                    return h.getValue().get(0);
                }
            }
            return null;
        }
    }

    /** An answer: status, headers, JSON body. */
    public record Response(int status, Map<String, String> headers, String body) {
        public static Response json(int status, String body) {
            return new Response(status, Map.of(), body);
        }

        public Response withHeaders(Map<String, String> more) {
            Map<String, String> all = new java.util.HashMap<>(headers);
            all.putAll(more);
            return new Response(status, all, body);
        }

        public Response withBody(String other) {
            return new Response(status, headers, other);
        }
    }

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Request> requests = new ConcurrentLinkedQueue<>();
    private volatile Function<Request, Response> script;
    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.atomic.AtomicInteger maxInFlight = new java.util.concurrent.atomic.AtomicInteger();
    private final java.util.concurrent.ExecutorService executor;

    /** Answers one request at a time (the JDK server's dispatcher thread): concurrent clients queue. */
    public ScriptedHttpServer(Function<Request, Response> script) throws IOException {
        this(script, 0);
    }

    /**
     * With {@code threads} > 0, answers up to that many requests at once (each on its own thread), so that overlapping
     * requests of several clients overlap here too and show in {@link #maxInFlight()}.
     */
    public ScriptedHttpServer(Function<Request, Response> script, int threads) throws IOException {
        this.script = script;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        executor = threads > 0 ? java.util.concurrent.Executors.newFixedThreadPool(threads) : null;
        if (executor != null) {
            server.setExecutor(executor);
        }
        server.start();
    }

    /** The most requests this server was answering at the same moment so far. */
    public int maxInFlight() {
        return maxInFlight.get();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Request> requests() {
        return Collections.unmodifiableList(new ArrayList<>(requests));
    }

    public void script(Function<Request, Response> script) {
        this.script = script;
    }

    private void handle(HttpExchange exchange) throws IOException {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            answer(exchange);
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private void answer(HttpExchange exchange) throws IOException {
        Request request = new Request(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                exchange.getRequestURI().getRawQuery(), Map.copyOf(exchange.getRequestHeaders()),
                new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
        requests.add(request);
        Response response = script.apply(request);
        byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        // No body for 304 (and a zero length would mean "chunked" to the JDK server).
        exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
