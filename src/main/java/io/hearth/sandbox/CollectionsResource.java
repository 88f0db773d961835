package io.hearth.sandbox;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import io.hearth.sandbox.SandboxHttp.Response;
import io.hearth.sandbox.SandboxOrg.Input;
import io.hearth.sandbox.SandboxOrg.Op;
import io.hearth.sandbox.SandboxOrg.SaveResult;

/** sObject Collections ({@code /composite/sobjects}): create, update, upsert and delete up to 200 records in one call. */
final class CollectionsResource {

    private final SandboxOrg org;
    private final RequestBodies bodies;

    CollectionsResource(SandboxOrg org, RequestBodies bodies) {
        this.org = org;
        this.bodies = bodies;
    }

    /** {@code POST} (create), {@code PATCH} (update) and {@code PATCH /<type>/<externalIdField>} (upsert): up to 200 records. */
    Response write(HttpExchange exchange, String method, List<String> parts) throws IOException {
        JsonNode body = bodies.read(exchange);
        JsonNode records = body.path("records");
        boolean allOrNone = body.path("allOrNone").asBoolean(false);
        if (!records.isArray()) {
            throw SandboxApiException.badRequest("JSON_PARSER_ERROR", "records: an array of records is required");
        }
        if (records.size() > 200) {
            throw SandboxApiException.badRequest("EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 records into this call");
        }
        List<Input> inputs = new ArrayList<>();
        Op op;
        String externalIdField = null;
        if (parts.isEmpty() && method.equals("POST")) {
            op = Op.CREATE;
        } else if (parts.isEmpty() && method.equals("PATCH")) {
            op = Op.UPDATE;
        } else if (parts.size() == 2 && method.equals("PATCH")) {
            op = Op.UPSERT;
            SandboxSchema.SObjectType type = org.type(parts.get(0));
            SandboxSchema.Field ext = type.field(parts.get(1));
            if (ext == null || !ext.externalId()) {
                return Response.error(404, SfError.of("NOT_FOUND", "Provided external ID field does not exist or is not accessible: "
                        + parts.get(1)));
            }
            externalIdField = ext.name();
        } else {
            throw SandboxApiException.notFound();
        }
        for (JsonNode r : records) {
            if (!r.isObject()) {
                throw SandboxApiException.badRequest("JSON_PARSER_ERROR", "each record must be a JSON object");
            }
            ObjectNode record = (ObjectNode) r;
            String type = record.path("attributes").path("type").asText(null);
            String id = null;
            String extValue = null;
            if (op == Op.UPDATE) {
                for (Iterator<String> it = record.fieldNames(); it.hasNext(); ) {
                    String name = it.next();
                    if (name.equalsIgnoreCase("id")) {
                        id = record.get(name).asText();
                    }
                }
            }
            if (op == Op.UPSERT) {
                if (type != null && !type.equalsIgnoreCase(parts.get(0))) {
                    throw SandboxApiException.badRequest("INVALID_TYPE", "all records in an upsert call must be of type " + parts.get(0));
                }
                type = parts.get(0);
                for (Iterator<String> it = record.fieldNames(); it.hasNext(); ) {
                    String name = it.next();
                    if (name.equalsIgnoreCase(externalIdField) && !record.get(name).isNull()) {
                        extValue = record.get(name).asText();
                    }
                }
            }
            inputs.add(new Input(type, id, extValue, record));
        }
        List<SaveResult> results = org.write(op, inputs, externalIdField, allOrNone);
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (SaveResult r : results) {
            out.add(SandboxHttp.saveResult(r, false));
        }
        return Response.of(200, out);
    }

    /** {@code DELETE /composite/sobjects?ids=a,b&allOrNone=false}: up to 200 records of any type. */
    Response delete(Map<String, String> query) {
        String raw = query.get("ids");
        if (raw == null || raw.isBlank()) {
            throw SandboxApiException.badRequest("MISSING_ARGUMENT", "ids: a comma-separated list of record ids is required");
        }
        List<String> ids = new ArrayList<>();
        for (String id : raw.split(",")) {
            if (!id.isBlank()) {
                ids.add(id.strip());
            }
        }
        if (ids.size() > 200) {
            throw SandboxApiException.badRequest("EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 records into this call");
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (SaveResult r : org.deleteAll(ids, Boolean.parseBoolean(query.getOrDefault("allOrNone", "false")))) {
            out.add(SandboxHttp.saveResult(r, false));
        }
        return Response.of(200, out);
    }
}
