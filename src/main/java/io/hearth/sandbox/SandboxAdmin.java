package io.hearth.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import io.hearth.sandbox.SandboxHttp.Response;

/**
 * {@code /sandbox/admin/faults} (HTTP Basic with the sandbox's client id and secret): GET the state, POST to change
 * faults, org rules, the day's API usage, or to expire every token.
 */
final class SandboxAdmin {

    private static final Logger log = LoggerFactory.getLogger(SalesforceSandbox.class);

    private final SandboxSettings settings;
    private final ObjectMapper json;
    private final RequestBodies bodies;
    private final SandboxAuth auth;
    private final ApiUsage usage;
    private final SandboxFaults faults;
    private final SandboxOrg org;
    private final RecordStore store;

    SandboxAdmin(SandboxSettings settings, ObjectMapper json, RequestBodies bodies, SandboxAuth auth, ApiUsage usage,
                 SandboxFaults faults, SandboxOrg org, RecordStore store) {
        this.settings = settings;
        this.json = json;
        this.bodies = bodies;
        this.auth = auth;
        this.usage = usage;
        this.faults = faults;
        this.org = org;
        this.store = store;
    }

    Response serve(HttpExchange exchange, String method, String path) throws IOException {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String expected = "Basic " + Base64.getEncoder().encodeToString((settings.clientId() + ":" + settings.clientSecret())
                .getBytes(StandardCharsets.UTF_8));
        boolean ok = header != null && (header.strip().equals(expected) || header.strip().equals("Bearer " + settings.clientSecret()));
        if (!ok) {
            return Response.error(401, SfError.of("INVALID_SESSION_ID", "sandbox admin: use the sandbox client id and secret (HTTP Basic)"));
        }
        if (path.equals("/sandbox/admin/faults")) {
            if (method.equals("POST")) {
                JsonNode request = bodies.read(exchange);
                faults.update(request);
                if (request.path("expireTokens").asBoolean(false)) {
                    auth.expireAll();
                }
                if (request.has("apiUsage")) {
                    usage.set(request.get("apiUsage").asLong());
                }
                org.rules(request);
                log.info("Salesforce sandbox faults now {}", faults.describe());
            }
            ObjectNode state = faults.describe();
            org.describeRules(state);
            state.put("apiUsage", usage.used());
            state.put("dailyApiBudget", settings.dailyApiBudget());
            state.put("activeTokens", auth.active());
            state.set("recordWrites", json.valueToTree(store.writes()));
            return Response.of(200, state);
        }
        if (path.startsWith("/sandbox/admin/events/") && method.equals("GET")) {
            // The platform events published so far (tests: what a subscriber would have received), oldest first.
            SandboxSchema.SObjectType type = org.type(path.substring("/sandbox/admin/events/".length()));
            if (!type.platformEvent) {
                throw SandboxApiException.notFound();
            }
            com.fasterxml.jackson.databind.node.ArrayNode events =
                    com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
            org.lock.lock();
            try {
                org.records(type).stream()
                        .sorted(java.util.Comparator.comparing((RecordStore.Stored s) -> s.fields().path("CreatedDate").asText())
                                .thenComparing(s -> s.fields().path("Id").asText()))
                        .forEach(s -> events.add(s.fields().deepCopy()));
            } finally {
                org.lock.unlock();
            }
            ObjectNode body = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
            body.put("totalSize", events.size());
            body.set("records", events);
            return Response.of(200, body);
        }
        throw SandboxApiException.notFound();
    }
}
