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
class SecurityAcceptanceTest {

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

    record Tried(Endpoint endpoint, String spelling, String method, String target, int status, String error) {
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
                "/webhooks/meta", "/actuator", "/actuator/health", "/actuator/prometheus", "/actuator/info");

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
                    tried.add(new Tried(endpoint, spelling.getKey(), method, target, answer.status(), answer.error()));
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
                + notRefusedBySecurity.size();
        report(figures, through, notRefusedBySecurity);
        System.out.println(figures);

        assertThat(through).as(figures + "\n2xx/3xx without credentials").isEmpty();
        assertThat(notRefusedBySecurity).as(figures + "\nnot refused by the security layer").isEmpty();
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
        return false;
    }

    /** 401 {@code unauthorized} from the entry point or 400 {@code rejected_request} from the firewall (HEAD: no body). */
    static boolean refusedBySecurity(Tried t) {
        boolean head = t.method().equals("HEAD");
        if (t.status() == 401) {
            return head || "unauthorized".equals(t.error());
        }
        if (t.status() == 400) {
            return head || "rejected_request".equals(t.error());
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
