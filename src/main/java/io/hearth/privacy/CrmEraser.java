package io.hearth.privacy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.crm.salesforce.CrmCallException;
import io.hearth.crm.salesforce.RecycleBin;
import io.hearth.crm.salesforce.SalesforceCollections;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.SalesforceEndpointConfig;
import org.apache.camel.support.DefaultExchange;
import org.springframework.stereotype.Component;

/**
 * The privacy jobs' Salesforce port (camel-salesforce, routes in routes/jobs/privacy.camel.yaml): SOQL for record ids,
 * sObject Collections delete (≤ 200 ids a call) and Contact updates through {@link SalesforceCollections}.
 */
@Component
public class CrmEraser {

    static final String QUERY = "direct:crm-salesforce-query";
    static final String QUERY_ALL = "direct:crm-salesforce-query-all";
    static final String DELETE = "direct:crm-salesforce-delete-collection";

    private final ProducerTemplate producer;
    private final SalesforceCollections collections;
    private final ObjectMapper json;
    private final RecycleBin recycleBin;

    public CrmEraser(ProducerTemplate producer, SalesforceCollections collections, ObjectMapper json, RecycleBin recycleBin) {
        this.producer = producer;
        this.collections = collections;
        this.json = json;
        this.recycleBin = recycleBin;
    }

    /** The records of one query page (callers ask with LIMIT and delete what they got, so one page is enough). */
    public List<JsonNode> query(String soql) throws CrmCallException {
        return query(QUERY, soql);
    }

    /** As {@link #query}, with {@code queryAll}: also the records in the Recycle Bin (deleted, not yet emptied). */
    public List<JsonNode> queryAll(String soql) throws CrmCallException {
        return query(QUERY_ALL, soql);
    }

    private List<JsonNode> query(String route, String soql) throws CrmCallException {
        Exchange exchange = new DefaultExchange(producer.getCamelContext());
        exchange.getMessage().setBody(soql);
        Exchange done = producer.send(route, exchange);
        if (done.getException() != null) {
            throw SalesforceCollections.classify("query", done.getException());
        }
        try {
            JsonNode page = json.readTree(done.getMessage().getBody(String.class));
            List<JsonNode> out = new ArrayList<>();
            page.path("records").forEach(out::add);
            return out;
        } catch (java.io.IOException e) {
            throw new CrmCallException(CrmCallException.Kind.UNAVAILABLE, 0, "UNEXPECTED_RESPONSE", "query answer is not JSON", e);
        }
    }

    /**
     * Deletes records by id and empties them from the Recycle Bin, so they are gone for good; returns how many were deleted
     * (already deleted ones count as done, not as deleted; those still in the Recycle Bin are emptied too). A record the
     * org will not let the integration user purge (another owner's, without Modify All) fails the call with the reason and
     * what the operator can do; it is not retried by itself.
     */
    public int delete(List<String> ids) throws CrmCallException {
        int deleted = 0;
        for (int from = 0; from < ids.size(); from += SalesforceCollections.MAX_RECORDS) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + SalesforceCollections.MAX_RECORDS));
            Exchange exchange = new DefaultExchange(producer.getCamelContext());
            exchange.getMessage().setBody(new ArrayList<>(chunk));
            exchange.getMessage().setHeader(SalesforceEndpointConfig.ALL_OR_NONE, "false");
            Exchange done = producer.send(DELETE, exchange);
            if (done.getException() != null) {
                throw SalesforceCollections.classify("compositeDeleteSObjectCollections", done.getException());
            }
            JsonNode results = results(done.getMessage().getBody());
            if (results == null || !results.isArray() || results.size() != chunk.size()) {
                throw new CrmCallException(CrmCallException.Kind.UNAVAILABLE, 0, "UNEXPECTED_RESPONSE",
                        "delete answered " + (results == null ? "nothing" : results.size() + " results") + " for " + chunk.size(), null);
            }
            for (JsonNode r : results) {
                if (r.path("success").asBoolean(false)) {
                    deleted++;
                } else {
                    JsonNode error = r.path("errors").path(0);
                    String code = error.hasNonNull("statusCode") ? error.get("statusCode").asText()
                            : error.path("errorCode").asText("UNKNOWN_ERROR");
                    if (!"ENTITY_IS_DELETED".equals(code)) {
                        throw refused("delete", code, r.path("id").asText(null), error.path("message").asText(""));
                    }
                }
            }
            for (RecycleBin.Result r : recycleBin.empty(chunk)) {
                // ENTITY_IS_DELETED: emptied already (an earlier attempt, or the bin's 15 days are over)
                if (!r.success() && !"ENTITY_IS_DELETED".equals(r.errorCode())) {
                    throw refused("emptyRecycleBin", r.errorCode(), r.id(), r.message());
                }
            }
        }
        return deleted;
    }

    /** A refusal with its reason and the operator's way out (record ids only: no personal data). */
    private static CrmCallException refused(String operation, String code, String id, String message) {
        String action = code != null && code.startsWith("INSUFFICIENT_ACCESS")
                ? " Operator: the record belongs to another user; grant the integration user Modify All on its object (permission set"
                  + " Hearth_Integration, salesforce/README.md) or delete it and empty it from the Recycle Bin in Salesforce, then"
                  + " submit the erasure again."
                : " Operator: remove the record in Salesforce (and empty it from the Recycle Bin), then submit the erasure again.";
        return new CrmCallException(CrmCallException.Kind.REJECTED, 200, code, operation + " of record " + id + " refused: " + code
                + (message == null || message.isBlank() ? "" : " (" + message + ")") + "." + action, null);
    }

    /** camel-salesforce answers a delete with result objects or, depending on version and format, the raw JSON. */
    private JsonNode results(Object body) throws CrmCallException {
        try {
            if (body == null) {
                return null;
            }
            if (body instanceof String text) {
                return json.readTree(text);
            }
            if (body instanceof java.io.InputStream in) {
                return json.readTree(in);
            }
            if (body instanceof byte[] bytes) {
                return json.readTree(bytes);
            }
            return json.valueToTree(body);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new CrmCallException(CrmCallException.Kind.UNAVAILABLE, 0, "UNEXPECTED_RESPONSE", "delete answer is not JSON", e);
        }
    }

    /** Sets the same fields on every record of {@code ids}, 200 a call (sObject Collections update). */
    public void updateAll(String object, List<String> ids, Map<String, Object> fields) throws CrmCallException {
        for (int from = 0; from < ids.size(); from += SalesforceCollections.MAX_RECORDS) {
            List<Map<String, Object>> records = new ArrayList<>();
            for (String id : ids.subList(from, Math.min(ids.size(), from + SalesforceCollections.MAX_RECORDS))) {
                Map<String, Object> record = new java.util.LinkedHashMap<>(fields);
                record.put("Id", id);
                records.add(record);
            }
            SalesforceCollections.CallResult result = collections.update(object, records);
            for (SalesforceCollections.RecordResult r : result.records()) {
                if (!r.success() && !"ENTITY_IS_DELETED".equals(r.errorCode())) {
                    throw new CrmCallException(CrmCallException.Kind.REJECTED, 200, r.errorCode(), "update of " + object
                            + " failed: " + r.errorCode(), null);
                }
            }
        }
    }

    /** Updates one record by id (fields may be null to clear them). */
    public void update(String object, String id, Map<String, Object> fields) throws CrmCallException {
        Map<String, Object> record = new java.util.LinkedHashMap<>(fields);
        record.put("Id", id);
        SalesforceCollections.CallResult result = collections.update(object, List.of(record));
        SalesforceCollections.RecordResult r = result.records().get(0);
        if (!r.success()) {
            throw new CrmCallException(CrmCallException.Kind.REJECTED, 200, r.errorCode(), "update of " + object + " failed: "
                    + r.errorCode(), null);
        }
    }
}
