package io.hearth.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import io.hearth.sandbox.SandboxHttp.Response;

/**
 * {@code POST /composite}: up to {@value #LIMIT} subrequests in one call, later ones referring to earlier results;
 * each subrequest is routed like a data API request of its own ({@link Router}), with its body as the request body.
 */
final class CompositeResource {

    /** Routes one data API request (authorised and counted already). */
    interface Router {
        Response route(HttpExchange exchange, String method, String version, String rest, Map<String, String> query)
                throws IOException;
    }

    private final SandboxOrg org;
    private final RequestBodies bodies;
    private final Router router;

    CompositeResource(SandboxOrg org, RequestBodies bodies, Router router) {
        this.org = org;
        this.bodies = bodies;
        this.router = router;
    }

    static final int LIMIT = 25;
    private static final Pattern REFERENCE = Pattern.compile("@\\{([A-Za-z0-9_]+)((?:\\.[A-Za-z0-9_]+|\\[\\d+\\])+)}");

    /**
     * POST /composite: {@code {"allOrNone": bool, "compositeRequest": [{"method", "url", "referenceId", "body"}]}} →
     * {@code {"compositeResponse": [{"body", "httpHeaders", "httpStatusCode", "referenceId"}]}}, in order. One API call
     * for all. {@code @{ref.field}} / {@code @{ref.records[0].Id}} in a URL or body take a value from an earlier
     * subrequest's response. allOrNone: the first failure rolls back every write of the request and the other
     * subrequests answer PROCESSING_HALTED. (Queries inside an all-or-none request do not see its uncommitted writes.)
     */
    Response serve(HttpExchange exchange, String version) throws IOException {
        JsonNode request = bodies.read(exchange);
        JsonNode subrequests = request.path("compositeRequest");
        if (!subrequests.isArray() || subrequests.isEmpty()) {
            throw SandboxApiException.badRequest("JSON_PARSER_ERROR", "compositeRequest: an array of subrequests is required");
        }
        if (subrequests.size() > LIMIT) {
            throw SandboxApiException.badRequest("LIMIT_EXCEEDED", "The composite request has " + subrequests.size()
                    + " subrequests; the limit is " + LIMIT);
        }
        Set<String> referenceIds = new LinkedHashSet<>();
        for (JsonNode sub : subrequests) {
            String ref = sub.path("referenceId").asText("");
            if (!ref.matches("[A-Za-z][A-Za-z0-9_]*") || !referenceIds.add(ref)) {
                throw SandboxApiException.badRequest("INVALID_INPUT", "referenceId: each subrequest needs a unique referenceId"
                        + " (letters, digits, underscore, starting with a letter), was '" + ref + "'");
            }
            if (!sub.path("method").isTextual() || !sub.path("url").isTextual()) {
                throw SandboxApiException.badRequest("INVALID_INPUT", ref + ": method and url are required");
            }
        }
        boolean allOrNone = request.path("allOrNone").asBoolean(false);
        Map<String, JsonNode> results = new LinkedHashMap<>();
        List<ObjectNode> responses = new ArrayList<>();
        boolean failed = false;
        if (allOrNone) {
            org.beginComposite();
        }
        try {
            for (JsonNode sub : subrequests) {
                String ref = sub.get("referenceId").asText();
                if (failed && allOrNone) {
                    responses.add(subresponse(ref, 400, SandboxHttp.errors(SfError.of("PROCESSING_HALTED",
                            "The transaction was rolled back since another operation in the same transaction failed.")), null));
                    continue;
                }
                Response r;
                try {
                    r = subrequest(exchange, sub, results);
                } catch (SandboxApiException e) {
                    r = Response.error(e.status, e.errors.toArray(SfError[]::new));
                } catch (RecordException e) {
                    r = Response.error(400, e.error);
                }
                if (r.status() >= 400) {
                    failed = true;
                } else if (r.body() != null) {
                    results.put(ref, r.body());
                }
                String location = r.status() == 201 && r.body() != null && r.body().hasNonNull("id")
                        ? sub.get("url").asText().replaceAll("/+$", "") + "/" + r.body().get("id").asText() : null;
                responses.add(subresponse(ref, r.status(), r.body(), location));
            }
        } finally {
            if (allOrNone) {
                org.endComposite(!failed);
            }
        }
        if (failed && allOrNone) {
            for (int i = 0; i < responses.size(); i++) {
                if (responses.get(i).get("httpStatusCode").asInt() < 400) {
                    responses.set(i, subresponse(responses.get(i).get("referenceId").asText(), 400, SandboxHttp.errors(SfError.of(
                            "PROCESSING_HALTED", "The transaction was rolled back since another operation in the same transaction failed.")), null));
                }
            }
        }
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        ArrayNode array = body.putArray("compositeResponse");
        responses.forEach(array::add);
        return Response.of(200, body);
    }

    private Response subrequest(HttpExchange exchange, JsonNode sub, Map<String, JsonNode> results) throws IOException {
        String method = sub.get("method").asText().toUpperCase();
        String url = resolve(sub.get("url").asText(), results, true);
        int q = url.indexOf('?');
        String path = q < 0 ? url : url.substring(0, q);
        Matcher m = SandboxHttp.DATA_PATH.matcher(path);
        if (!m.matches()) {
            throw SandboxApiException.badRequest("INVALID_INPUT", "url: not a data API resource: " + path);
        }
        JsonNode body = sub.has("body") ? resolveJson(sub.get("body"), results) : JsonNodeFactory.instance.objectNode();
        return bodies.withSubrequestBody(body, () -> router.route(exchange, method, m.group(1),
                m.group(2) == null ? "" : m.group(2), SandboxHttp.parseForm(q < 0 ? null : url.substring(q + 1))));
    }

    private static ObjectNode subresponse(String ref, int status, JsonNode body, String location) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.set("body", body == null ? JsonNodeFactory.instance.nullNode() : body);
        ObjectNode headers = n.putObject("httpHeaders");
        if (location != null) {
            headers.put("Location", location);
        }
        n.put("httpStatusCode", status);
        n.put("referenceId", ref);
        return n;
    }

    private JsonNode resolveJson(JsonNode node, Map<String, JsonNode> results) {
        if (node.isTextual()) {
            return JsonNodeFactory.instance.textNode(resolve(node.asText(), results, false));
        }
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            node.fields().forEachRemaining(e -> out.set(e.getKey(), resolveJson(e.getValue(), results)));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            node.forEach(v -> out.add(resolveJson(v, results)));
            return out;
        }
        return node;
    }

    /** Replaces each {@code @{ref.path}} by the value at that path of an earlier subrequest's response. */
    private static String resolve(String text, Map<String, JsonNode> results, boolean urlEncode) {
        Matcher m = REFERENCE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String ref = m.group(1);
            JsonNode value = results.get(ref);
            for (Matcher step = Pattern.compile("\\.([A-Za-z0-9_]+)|\\[(\\d+)]").matcher(m.group(2)); value != null && step.find(); ) {
                value = step.group(1) != null ? value.get(step.group(1)) : value.get(Integer.parseInt(step.group(2)));
            }
            if (value == null || value.isNull() || value.isContainerNode()) {
                throw SandboxApiException.badRequest("INVALID_REFERENCE", "Invalid reference specified. No value for "
                        + ref + m.group(2) + " found in " + ref + ".");
            }
            String v = value.asText();
            m.appendReplacement(out, Matcher.quoteReplacement(urlEncode ? java.net.URLEncoder.encode(v, StandardCharsets.UTF_8) : v));
        }
        m.appendTail(out);
        return out.toString();
    }
}
