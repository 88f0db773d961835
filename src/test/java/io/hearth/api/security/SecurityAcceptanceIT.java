package io.hearth.api.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.hearth.support.RawHttp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.handler.AbstractHandlerMethodMapping;
import org.springframework.web.servlet.handler.AbstractUrlHandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;

/**
 * Issue 10, part 1 acceptance: every request mapping of the running hub (all handler-method mappings, the actuator's
 * included, and URL handler mappings), tried over a raw socket with no credentials, under every spelling of
 * {@link PathSpellings}, with its own methods plus HEAD and OPTIONS. Nothing but the documented open endpoints (health
 * status, the two webhook receivers; docs/security.md) may answer 2xx or 3xx; everything else must be refused by the
 * security layer itself: 401 {@code unauthorized} or the firewall's 400 {@code rejected_request}, never a handler's
 * answer.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureObservability
@DirtiesContext
class SecurityAcceptanceIT {

    static final String KEY = "hk-security-test-admin-7Rq";
    static final String OPERATOR_KEY = "hk-security-test-operator-Xq2";
    static final String VIEWER_KEY = "hk-security-test-viewer-Pz8";

    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("hearth.data-dir", dataDir::toString);
        registry.add("hearth.api-key", () -> KEY);
        registry.add("hearth.security.operator-key", () -> OPERATOR_KEY);
        registry.add("hearth.security.viewer-key", () -> VIEWER_KEY);
        registry.add("hearth.sources.inbox.enabled", () -> "false");
        registry.add("hearth.sandbox.replay", () -> "false");
        registry.add("hearth.rules.enabled", () -> "true");   // its report endpoints are mapped
        registry.add("hearth.ingest.max-payload-size", () -> "1MB");   // the chunked-body test streams 50 MB past it
        registry.add("hearth.management.user", () -> "scraper");
        registry.add("hearth.management.password", () -> "scrape-pw-9");
        // the webhook receivers answer (not 404 "disabled"), so a bypass to them would show
        registry.add("hearth.sources.meta.enabled", () -> "true");
        registry.add("hearth.sources.meta.app-secret", () -> "meta-secret");
        registry.add("hearth.sources.meta.verify-token", () -> "verify-me");
        registry.add("hearth.sources.x-webhook.enabled", () -> "true");
        registry.add("hearth.sources.x-webhook.consumer-secret", () -> "x-consumer-secret");
    }

    @LocalServerPort
    int port;
    @Autowired
    ApplicationContext context;

    record Endpoint(String pattern, Set<String> methods, String origin) {
    }

    record Tried(Endpoint endpoint, String spelling, String method, String target, int status, String error,
                 boolean tomcatRefusal) {
        @Override
        public String toString() {
            return method + " " + target + " -> " + status + (error == null ? "" : " " + error) + "   [" + spelling + "; "
                    + endpoint.pattern() + " from " + endpoint.origin() + "]";
        }
    }

    @Test
    void noMappingAnswersWithoutCredentialsUnderAnySpelling() throws Exception {
        List<Endpoint> endpoints = endpoints();
        Set<String> patterns = new TreeSet<>();
        endpoints.forEach(e -> patterns.add(e.pattern()));
        assertThat(patterns).as("the enumeration sees the controllers, the webhooks and the actuator").contains(
                "/api/ingest/{channel}", "/api/links", "/api/links/{channel}/{handle}", "/api/erasure", "/api/erasure/{id}",
                "/api/mentions/{mentionId}", "/api/rules/prospects", "/api/rules/leaderboards/{key}", "/webhooks/x",
                "/webhooks/meta", "/actuator", "/actuator/health", "/actuator/prometheus", "/actuator/info",
                "/api/dead-letters", "/api/dead-letters/{queue}/{messageId}", "/api/dead-letters/{queue}/replay",
                "/api/dead-letters/{queue}/{messageId}/replay", "/api/dead-letters/audit", "/api/openapi.json",
                "/api/console/flow", "/api/console/me", "/console/**", "/console");

        RawHttp http = new RawHttp(port);
        List<Tried> tried = new ArrayList<>();
        for (Endpoint endpoint : endpoints) {
            String path = concrete(endpoint.pattern());
            Set<String> methods = new LinkedHashSet<>(endpoint.methods());
            methods.add("HEAD");
            methods.add("OPTIONS");
            for (Map.Entry<String, String> spelling : PathSpellings.of(path).entrySet()) {
                for (String method : methods) {
                    String target = spelling.getValue() + (method.equals("GET") || method.equals("HEAD") ? "?hashtag=x" : "");
                    boolean withBody = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
                    RawHttp.Answer answer = http.send(method, target, null, "application/json", withBody
                            ? "{\"contactId\":\"003000000000001AAA\",\"channel\":\"x\",\"handle\":\"someone\"}"
                                    .getBytes(StandardCharsets.UTF_8) : null);
                    tried.add(new Tried(endpoint, spelling.getKey(), method, target, answer.status(), answer.error(),
                            answer.body().startsWith("<!doctype html>") && answer.body().contains("HTTP Status 400")));
                }
            }
        }

        List<Tried> through = new ArrayList<>();
        List<Tried> notRefusedBySecurity = new ArrayList<>();
        for (Tried t : tried) {
            if (open(t.endpoint(), t.method())) {
                continue;
            }
            if (t.status() >= 200 && t.status() < 400) {
                through.add(t);
            }
            if (!refusedBySecurity(t)) {
                notRefusedBySecurity.add(t);
            }
        }
        long openTried = tried.stream().filter(t -> open(t.endpoint(), t.method())).count();
        String figures = "Security acceptance: " + endpoints.size() + " mappings (" + patterns.size() + " patterns), "
                + PathSpellings.of("/a/b").size() + " spellings, " + tried.size() + " requests without credentials ("
                + openTried + " to documented open endpoints); 2xx/3xx on protected mappings: " + through.size()
                + "; answered by something other than the security layer (401 unauthorized / 400 rejected_request): "
                + notRefusedBySecurity.size() + "; answers to protected mappings by status: " + tried.stream()
                        .filter(t -> !open(t.endpoint(), t.method()))
                        .collect(java.util.stream.Collectors.groupingBy(t -> t.status() + (t.error() == null ? ""
                                : " " + t.error()) + (t.tomcatRefusal() ? " (Tomcat)" : ""), java.util.TreeMap::new,
                                java.util.stream.Collectors.counting()));
        report(figures, through, notRefusedBySecurity);
        System.out.println(figures);

        assertThat(through).as(figures + "\n2xx/3xx without credentials").isEmpty();
        assertThat(notRefusedBySecurity).as(figures + "\nnot refused by the security layer").isEmpty();
        assertThat(http.send("GET", "/actuator/prometheus", "Bearer " + VIEWER_KEY, null, null).body())
                .as("firewall rejections are counted").containsPattern("hearth_http_rejected_total\\{[^}]*} [1-9]");
    }

    // ---- credentials and roles over HTTP (the former ManagementAuthTest, issue 6 hygiene, plus the roles) ----------

    @Test
    void healthStatusForAnyoneDetailsOnlyWithCredentials() throws Exception {
        RawHttp http = new RawHttp(port);
        RawHttp.Answer anonymous = http.send("GET", "/actuator/health", null, null, null);
        assertThat(anonymous.status()).isEqualTo(200);
        assertThat(anonymous.body()).contains("\"status\":\"UP\"").doesNotContain("components");
        RawHttp.Answer wrong = http.send("GET", "/actuator/health", "Bearer wrong", null, null);
        assertThat(wrong.status()).as("wrong credentials: the status, as to anyone").isEqualTo(200);
        assertThat(wrong.body()).doesNotContain("components");
        for (String credentials : List.of("Bearer " + KEY, "Bearer " + OPERATOR_KEY, "Bearer " + VIEWER_KEY,
                HearthCredentialsTest.basic("scraper", "scrape-pw-9"))) {
            RawHttp.Answer authenticated = http.send("GET", "/actuator/health", credentials, null, null);
            assertThat(authenticated.status()).isEqualTo(200);
            assertThat(authenticated.body()).as(credentials).contains("\"components\"").contains("\"broker\"");
        }
    }

    @Test
    void actuatorEndpointsNeedViewerCredentials() throws Exception {
        RawHttp http = new RawHttp(port);
        for (String path : List.of("/actuator/prometheus", "/actuator/info", "/actuator")) {
            RawHttp.Answer anonymous = http.send("GET", path, null, null, null);
            assertThat(anonymous.status()).as(path).isEqualTo(401);
            assertThat(anonymous.body()).as("the body the old filter sent").isEqualTo("{\"error\":\"unauthorized\","
                    + "\"message\":\"send 'Authorization: Bearer <HEARTH_API_KEY>' or the management credentials (HTTP Basic)\"}");
            assertThat(anonymous.head()).contains("WWW-Authenticate: Bearer realm=\"hearth\"");
            assertThat(http.send("GET", path, "Bearer wrong", null, null).status()).as(path).isEqualTo(401);
            assertThat(http.send("GET", path, HearthCredentialsTest.basic("scraper", "wrong"), null, null).status())
                    .as(path).isEqualTo(401);
            for (String credentials : List.of("Bearer " + KEY, "Bearer " + OPERATOR_KEY, "Bearer " + VIEWER_KEY,
                    HearthCredentialsTest.basic("scraper", "scrape-pw-9"))) {
                assertThat(http.send("GET", path, credentials, null, null).status()).as(path + " " + credentials).isEqualTo(200);
            }
        }
        assertThat(http.send("GET", "/actuator/prometheus", "Bearer " + VIEWER_KEY, null, null).body())
                .contains("hearth_queue_depth");
    }

    @Test
    void apiAnswersByRole() throws Exception {
        RawHttp http = new RawHttp(port);
        RawHttp.Answer anonymous = http.send("DELETE", "/api/links/x/someone", null, null, null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.body()).isEqualTo("{\"error\":\"unauthorized\",\"message\":\"missing or wrong API key: send "
                + "'Authorization: Bearer <HEARTH_API_KEY>'\"}");
        byte[] mention = ("{\"channel\":\"x\",\"nativeId\":\"sec-1\",\"text\":\"hi\",\"createdAt\":\"2026-11-20T10:00:00Z\","
                + "\"author\":{\"handle\":\"jane\"}}").getBytes(StandardCharsets.UTF_8);

        // viewer: reads reports and metrics, changes nothing
        assertThat(http.send("GET", "/api/rules/prospects?hashtag=x", "Bearer " + VIEWER_KEY, null, null).status()).isEqualTo(200);
        RawHttp.Answer denied = http.send("DELETE", "/api/links/x/someone", "Bearer " + VIEWER_KEY, null, null);
        assertThat(denied.status()).isEqualTo(403);
        assertThat(denied.error()).isEqualTo("forbidden");
        assertThat(http.send("POST", "/api/erasure", "Bearer " + VIEWER_KEY, "application/json",
                "{\"contactId\":\"003000000000001AAA\"}".getBytes(StandardCharsets.UTF_8)).status()).isEqualTo(403);
        assertThat(http.send("POST", "/api/ingest/mention", "Bearer " + VIEWER_KEY, "application/json", mention).status())
                .isEqualTo(403);
        assertThat(http.send("GET", "/api/rules/prospects?hashtag=x", HearthCredentialsTest.basic("scraper", "scrape-pw-9"),
                null, null).status()).as("the scraper is a viewer").isEqualTo(200);
        assertThat(http.send("DELETE", "/api/links/x/someone", HearthCredentialsTest.basic("scraper", "scrape-pw-9"), null,
                null).status()).as("management credentials do not operate").isEqualTo(403);

        // operator: past the security layer on people's data (the handler answers: no such link), but not ingest
        RawHttp.Answer unlink = http.send("DELETE", "/api/links/x/someone", "Bearer " + OPERATOR_KEY, null, null);
        assertThat(unlink.status()).as(unlink.body()).isNotIn(401, 403);
        assertThat(http.send("POST", "/api/ingest/mention", "Bearer " + OPERATOR_KEY, "application/json", mention).status())
                .isEqualTo(403);

        // the API key: everything, ingest included
        assertThat(http.send("POST", "/api/ingest/mention", "Bearer " + KEY, "application/json", mention).status())
                .isEqualTo(202);
        assertThat(http.send("DELETE", "/api/links/x/someone", "Bearer " + KEY, null, null).status()).isNotIn(401, 403);
        assertThat(http.send("GET", "/api/no-such-endpoint", "Bearer " + KEY, null, null).status())
                .as("authenticated, unknown path").isEqualTo(404);
    }

    // ---- issue 10, also: a chunked ingest body past max-payload-size ----------------------------------------------------

    /**
     * A chunked body (no Content-Length) of 50 MB against a 1 MB limit: 413 {@code payload_too_large} while it streams.
     * The hub stops reading soon after the limit (Tomcat swallows at most 2 MB more, then closes), so the client cannot
     * even send most of it, and the JVM allocates far less than the body.
     */
    @Test
    void aChunkedIngestBodyBeyondTheLimitIs413WhileItStreams() throws Exception {
        long bodySize = 50L * 1024 * 1024;
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory
                .getThreadMXBean();
        long allocatedBefore = allocated(threads);
        java.util.concurrent.atomic.AtomicLong written = new java.util.concurrent.atomic.AtomicLong();
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(30_000);
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST /api/ingest/mention HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + KEY
                    + "\r\nContent-Type: application/x-ndjson\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            byte[] line = ("{\"channel\":\"x\",\"nativeId\":\"big\",\"text\":\"" + "a".repeat(900)
                    + "\",\"createdAt\":\"2026-11-20T10:00:00Z\",\"author\":{\"handle\":\"jane\"}}\n")
                    .getBytes(StandardCharsets.UTF_8);
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < chunk.length; i++) {
                chunk[i] = line[i % line.length];
            }
            Thread writer = new Thread(() -> {
                try {
                    byte[] head = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
                    while (written.get() < bodySize) {
                        out.write(head);
                        out.write(chunk);
                        out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        written.addAndGet(chunk.length);
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                } catch (java.io.IOException closedByTheHub) {
                    // expected: the hub answered and closed the connection
                }
            }, "chunked-writer");
            writer.start();
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(),
                    StandardCharsets.ISO_8859_1));
            String status = in.readLine();
            StringBuilder rest = new StringBuilder();
            for (String l = in.readLine(); l != null && rest.length() < 4000; l = in.readLine()) {
                rest.append(l).append('\n');
            }
            writer.join(30_000);
            long allocated = allocated(threads) - allocatedBefore;
            System.out.printf("Chunked ingest: %d MB offered against a 1 MB limit; the client got %.1f MB out before the"
                    + " hub answered and closed; %.1f MB allocated in the whole JVM meanwhile%n", bodySize >> 20,
                    written.get() / 1048576.0, allocated / 1048576.0);

            assertThat(status).isEqualTo("HTTP/1.1 413 ");
            assertThat(rest.toString()).contains("payload_too_large");
            assertThat(writer.isAlive()).isFalse();
            assertThat(written.get()).as("the hub stopped reading early").isLessThan(16L * 1024 * 1024);
            assertThat(allocated).as("the heap did not grow with the body").isLessThan(bodySize / 2);
        }
    }

    private static long allocated(com.sun.management.ThreadMXBean threads) {
        long sum = 0;
        for (long a : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            sum += Math.max(0, a);
        }
        return sum;
    }

    /** The documented open endpoints (docs/security.md): health status, the webhook receivers (signature-checked). */
    static boolean open(Endpoint endpoint, String method) {
        String p = endpoint.pattern();
        if (p.equals("/actuator/health") || p.startsWith("/actuator/health/")) {
            return method.equals("GET") || method.equals("HEAD");
        }
        if (p.equals("/webhooks/x") || p.equals("/webhooks/meta")) {
            return method.equals("GET") || method.equals("POST");
        }
        // the operator console's static pages: no data in them (docs/console.md); their data is /api/console/**
        if (p.equals("/console") || p.equals("/console/") || p.startsWith("/console/")) {
            return method.equals("GET") || method.equals("HEAD");
        }
        return false;
    }

    /**
     * 401 {@code unauthorized} from the entry point, 400 {@code rejected_request} from the firewall, or Tomcat's own 400
     * page (it refuses an encoded '/' or '\\' before any filter runs). HEAD answers have no body.
     */
    static boolean refusedBySecurity(Tried t) {
        boolean head = t.method().equals("HEAD");
        if (t.status() == 401) {
            return head || "unauthorized".equals(t.error());
        }
        if (t.status() == 400) {
            return head || "rejected_request".equals(t.error()) || t.tomcatRefusal();
        }
        return false;
    }

    /** Every request mapping the DispatcherServlet knows: handler methods (controllers, actuator) and URL mappings. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    List<Endpoint> endpoints() {
        List<Endpoint> out = new ArrayList<>();
        Map<String, AbstractHandlerMethodMapping> methodMappings = context.getBeansOfType(AbstractHandlerMethodMapping.class);
        methodMappings.forEach((name, mapping) -> {
            for (Object key : ((Map<Object, ?>) mapping.getHandlerMethods()).keySet()) {
                if (key instanceof RequestMappingInfo info) {
                    Set<String> methods = new LinkedHashSet<>();
                    for (RequestMethod m : info.getMethodsCondition().getMethods()) {
                        methods.add(m.name());
                    }
                    if (methods.isEmpty()) {
                        methods.addAll(List.of("GET", "POST"));
                    }
                    for (String pattern : info.getPatternValues()) {
                        out.add(new Endpoint(pattern, methods, name));
                    }
                }
            }
        });
        context.getBeansOfType(AbstractUrlHandlerMapping.class).forEach((name, mapping) -> {
            for (Object pattern : mapping.getHandlerMap().keySet()) {
                out.add(new Endpoint(pattern.toString(), Set.of("GET"), name));
            }
        });
        return out;
    }

    private static final Pattern VARIABLE = Pattern.compile("\\{\\*?([A-Za-z0-9_]+)(:[^}]*)?}");

    /** A request path for a pattern: variables filled with plausible values, wildcards with a name. */
    static String concrete(String pattern) {
        Matcher m = VARIABLE.matcher(pattern);
        StringBuilder b = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(b, m.group(1).equals("channel") ? "x" : "sample1");
        }
        m.appendTail(b);
        String path = b.toString().replace("/**", "/sample.txt").replace("*", "sample");
        return path.isEmpty() ? "/" : path;
    }

    private static void report(String figures, List<Tried> through, List<Tried> other) throws Exception {
        Path dir = Path.of("target", "security");
        Files.createDirectories(dir);
        StringBuilder b = new StringBuilder(figures).append("\n\n2xx/3xx without credentials:\n");
        through.forEach(t -> b.append("  ").append(t).append('\n'));
        b.append("\nnot refused by the security layer:\n");
        other.forEach(t -> b.append("  ").append(t).append('\n'));
        Files.writeString(dir.resolve("bypass-figures.txt"), b.toString());
    }
}
