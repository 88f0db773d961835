package io.hearth.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import io.hearth.sandbox.SandboxOrg.SaveResult;

/** The sandbox's HTTP shapes as Salesforce has them: responses, error bodies, save results, forms. */
final class SandboxHttp {

    /** {@code /services/data/vNN.N/...}: group 1 the version, group 2 the rest (may be null). */
    static final Pattern DATA_PATH = Pattern.compile("^/services/data/(v\\d+\\.\\d)(/.*)?$");

    private SandboxHttp() {
    }

    /** One answer of the sandbox: status, JSON body (null: none) and extra headers. */
    record Response(int status, JsonNode body, Map<String, String> headers) {
        static Response of(int status, JsonNode body) {
            return new Response(status, body, Map.of());
        }

        /** {@code status} with Salesforce's error array as the body. */
        static Response error(int status, SfError... errors) {
            return of(status, errors(errors));
        }
    }

    static String readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static Map<String, String> parseForm(String raw) {
        Map<String, String> form = new LinkedHashMap<>();
        if (raw == null || raw.isBlank()) {
            return form;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            form.put(k, v);
        }
        return form;
    }

    /** Salesforce's error body: {@code [{"message", "errorCode", "fields"?}]}. */
    static ArrayNode errors(SfError... errors) {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        for (SfError e : errors) {
            ObjectNode n = array.addObject();
            n.put("message", e.message());
            n.put("errorCode", e.code());
            if (!e.fields().isEmpty()) {
                ArrayNode fields = n.putArray("fields");
                e.fields().forEach(fields::add);
            }
        }
        return array;
    }

    static Response methodNotAllowed(String method) {
        return Response.error(405, SfError.of("METHOD_NOT_ALLOWED", "HTTP Method '" + method + "' not allowed."));
    }

    /** A record's save result: {@code {"id", "success", "errors", "created"?}}. */
    static ObjectNode saveResult(SaveResult r, boolean singleRecord) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        if (r.id() != null) {
            n.put("id", r.id());
        }
        n.put("success", r.success());
        ArrayNode errs = n.putArray("errors");
        for (SfError e : r.errors()) {
            ObjectNode en = errs.addObject();
            en.put("statusCode", e.code());
            en.put("message", e.message());
            ArrayNode fields = en.putArray("fields");
            e.fields().forEach(fields::add);
        }
        if (r.created() != null && (r.success() || !singleRecord)) {
            n.put("created", r.created());
        }
        return n;
    }
}
