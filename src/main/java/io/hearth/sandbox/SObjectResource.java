package io.hearth.sandbox;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import io.hearth.sandbox.SandboxHttp.Response;
import io.hearth.sandbox.SandboxOrg.Input;
import io.hearth.sandbox.SandboxOrg.Op;
import io.hearth.sandbox.SandboxOrg.SaveResult;

/**
 * {@code /sobjects}: the global describe, {@code /sobjects/<type>} (summary, create), {@code /describe}, one record by
 * id (read, update, delete) and by external id (read, upsert), with Salesforce's status codes and save results.
 */
final class SObjectResource {

    private final SandboxOrg org;
    private final RecordStore store;
    private final RequestBodies bodies;

    SObjectResource(SandboxOrg org, RecordStore store, RequestBodies bodies) {
        this.org = org;
        this.store = store;
        this.bodies = bodies;
    }

    Response serve(HttpExchange exchange, String method, String version, List<String> parts, Map<String, String> query)
            throws IOException {
        if (parts.isEmpty()) {
            ObjectNode global = JsonNodeFactory.instance.objectNode();
            global.put("encoding", "UTF-8");
            global.put("maxBatchSize", 200);
            ArrayNode list = global.putArray("sobjects");
            for (SandboxSchema.SObjectType t : org.schema.objects()) {
                list.add(describeSummary(t, version));
            }
            return Response.of(200, global);
        }
        SandboxSchema.SObjectType type = org.type(parts.get(0));
        if (type.platformEvent && !(parts.size() == 1 && method.equals("POST"))
                && !(parts.size() == 2 && parts.get(1).equals("describe"))) {
            // events are published (POST), not read, updated, upserted or deleted
            return SandboxHttp.methodNotAllowed(method);
        }
        if (parts.size() == 1) {
            return type(exchange, method, version, type);
        }
        if (parts.size() == 2 && parts.get(1).equals("describe")) {
            return Response.of(200, describe(type, version));
        }
        if (parts.size() == 2) {
            return record(exchange, method, type, parts.get(1), query);
        }
        if (parts.size() == 3) {
            return byExternalId(exchange, method, type, parts.get(1), parts.get(2));
        }
        throw SandboxApiException.notFound();
    }

    /** {@code /sobjects/<type>}: GET its summary, POST a new record. */
    private Response type(HttpExchange exchange, String method, String version, SandboxSchema.SObjectType type)
            throws IOException {
        if (method.equals("GET")) {
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.set("objectDescribe", describeSummary(type, version));
            body.putArray("recentItems");
            return Response.of(200, body);
        }
        if (!method.equals("POST")) {
            return SandboxHttp.methodNotAllowed(method);
        }
        JsonNode body = bodies.read(exchange);
        if (!body.isObject()) {
            throw SandboxApiException.badRequest("JSON_PARSER_ERROR", "Cannot deserialize instance of " + type.name + " from "
                    + body.getNodeType());
        }
        SaveResult r = org.write(Op.CREATE, List.of(new Input(type.name, null, null, (ObjectNode) body)), null, false).get(0);
        if (!r.success()) {
            return Response.error(400, r.errors().toArray(SfError[]::new));
        }
        return Response.of(201, SandboxHttp.saveResult(r, true));
    }

    /** {@code /sobjects/<type>/<id>}: GET (optionally {@code ?fields=}), PATCH, DELETE. */
    private Response record(HttpExchange exchange, String method, SandboxSchema.SObjectType type, String id,
                            Map<String, String> query) throws IOException {
        switch (method) {
            case "GET" -> {
                Set<String> fields = null;
                if (query.containsKey("fields")) {
                    fields = new LinkedHashSet<>(List.of(query.get("fields").split("\\s*,\\s*")));
                }
                return Response.of(200, org.read(type.name, id, fields));
            }
            case "PATCH" -> {
                if (!org.exists(type.name, id)) {
                    throw SandboxApiException.notFound();
                }
                JsonNode body = bodies.read(exchange);
                SaveResult r = org.write(Op.UPDATE, List.of(new Input(type.name, id, null, (ObjectNode) body)), null, false).get(0);
                if (!r.success()) {
                    return Response.error(400, r.errors().toArray(SfError[]::new));
                }
                return Response.of(204, null);
            }
            case "DELETE" -> {
                org.delete(type.name, id);
                return Response.of(204, null);
            }
            default -> {
                return SandboxHttp.methodNotAllowed(method);
            }
        }
    }

    /** {@code /sobjects/<type>/<externalIdField>/<value>}: GET the record, PATCH to upsert it. */
    private Response byExternalId(HttpExchange exchange, String method, SandboxSchema.SObjectType type, String field,
                                  String value) throws IOException {
        SandboxSchema.Field ext = type.field(field);
        if (ext == null || !(ext.externalId() || ext.type() == SandboxSchema.FieldType.ID)) {
            return Response.error(404, SfError.of("NOT_FOUND", "Provided external ID field does not exist or is not accessible: "
                    + field));
        }
        if (method.equals("GET")) {
            String id = ext.type() == SandboxSchema.FieldType.ID ? SalesforceIds.normalise(value)
                    : store.idByUnique(type.name, ext.name(), RecordStore.normaliseUnique(ext, value));
            if (id == null) {
                throw SandboxApiException.notFound();
            }
            return Response.of(200, org.read(type.name, id, null));
        }
        if (!method.equals("PATCH")) {
            return SandboxHttp.methodNotAllowed(method);
        }
        if (ext.type() == SandboxSchema.FieldType.ID) {
            throw SandboxApiException.badRequest("NOT_FOUND", "upsert by Id is not supported by the sandbox");
        }
        JsonNode body = bodies.read(exchange);
        if (body.has(ext.name()) && !body.get(ext.name()).asText().equals(value)) {
            throw SandboxApiException.badRequest("INVALID_FIELD", "The value of the external ID field in the body does not match the URL: "
                    + ext.name(), ext.name());
        }
        ((ObjectNode) body).remove(ext.name());
        SaveResult r = org.write(Op.UPSERT, List.of(new Input(type.name, null, value, (ObjectNode) body)), ext.name(), false).get(0);
        if (!r.success()) {
            return Response.error(400, r.errors().toArray(SfError[]::new));
        }
        ObjectNode out = SandboxHttp.saveResult(r, true);
        return Response.of(Boolean.TRUE.equals(r.created()) ? 201 : 200, out);
    }

    static ObjectNode describeSummary(SandboxSchema.SObjectType t, String version) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("name", t.name);
        n.put("label", t.name.replace("__c", "").replace('_', ' '));
        n.put("custom", t.custom);
        n.put("keyPrefix", t.keyPrefix);
        n.put("createable", true);
        n.put("updateable", true);
        n.put("deletable", true);
        n.put("queryable", true);
        ObjectNode urls = n.putObject("urls");
        urls.put("sobject", "/services/data/" + version + "/sobjects/" + t.name);
        urls.put("describe", "/services/data/" + version + "/sobjects/" + t.name + "/describe");
        urls.put("rowTemplate", "/services/data/" + version + "/sobjects/" + t.name + "/{ID}");
        return n;
    }

    static ObjectNode describe(SandboxSchema.SObjectType t, String version) {
        ObjectNode n = describeSummary(t, version);
        ArrayNode fields = n.putArray("fields");
        for (SandboxSchema.Field f : t.fields()) {
            ObjectNode fd = fields.addObject();
            fd.put("name", f.name());
            fd.put("type", switch (f.type()) {
                case ID -> "id";
                case TEXT, AUTONUMBER -> "string";
                case TEXTAREA, LONGTEXTAREA -> "textarea";
                case EMAIL -> "email";
                case PHONE -> "phone";
                case URL -> "url";
                case PICKLIST -> "picklist";
                case CHECKBOX -> "boolean";
                case NUMBER -> "double";
                case DATE -> "date";
                case DATETIME -> "datetime";
                case REFERENCE -> "reference";
            });
            fd.put("length", f.length());
            fd.put("precision", f.precision());
            fd.put("scale", f.scale());
            fd.put("externalId", f.externalId());
            fd.put("unique", f.unique());
            fd.put("caseSensitive", f.caseSensitive());
            fd.put("nillable", !f.required() && f.type() != SandboxSchema.FieldType.CHECKBOX);
            fd.put("createable", f.writable());
            fd.put("updateable", f.writable());
            fd.put("custom", f.name().endsWith("__c"));
            ArrayNode refs = fd.putArray("referenceTo");
            if (f.referenceTo() != null) {
                refs.add(f.referenceTo());
            }
            if (f.relationshipName() != null) {
                fd.put("relationshipName", f.relationshipName());
            } else {
                fd.putNull("relationshipName");
            }
        }
        return n;
    }
}
