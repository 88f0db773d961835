package io.hearth.sandbox;

import java.security.SecureRandom;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import io.hearth.sandbox.SandboxHttp.Response;
import io.hearth.sandbox.soql.SoqlException;

/**
 * {@code GET /query?q=} and {@code /queryAll?q=} (SOQL by {@link SoqlEngine}) in pages of up to
 * {@value #PAGE} records ({@code Sforce-Query-Options: batchSize=} down to 200), and {@code GET /query/<locator>} for
 * the next page; the last {@value #MAX_CURSORS} open cursors are kept.
 */
final class QueryResource {

    static final int PAGE = 2000;
    private static final int MAX_CURSORS = 200;
    private static final Pattern BATCH_SIZE = Pattern.compile("batchSize=(\\d+)");

    private final SoqlEngine soql;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, List<ObjectNode>> cursors = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<ObjectNode>> eldest) {
            return size() > MAX_CURSORS;
        }
    });

    QueryResource(SoqlEngine soql) {
        this.soql = soql;
    }

    Response query(HttpExchange exchange, String version, String q, boolean withDeleted) {
        if (q == null || q.isBlank()) {
            throw SandboxApiException.badRequest("MALFORMED_QUERY", "A query string has to be specified");
        }
        SoqlEngine.Result result;
        try {
            result = soql.run(q, version, withDeleted);
        } catch (SoqlException e) {
            throw SandboxApiException.badRequest(e.errorCode(), e.getMessage());
        }
        int pageSize = PAGE;
        String options = exchange.getRequestHeaders().getFirst("Sforce-Query-Options");
        if (options != null) {
            Matcher m = BATCH_SIZE.matcher(options);
            if (m.find()) {
                pageSize = Math.max(200, Math.min(PAGE, Integer.parseInt(m.group(1))));
            }
        }
        if (result.records().size() <= pageSize) {
            return Response.of(200, page(result.totalSize(), result.records(), null));
        }
        String locator = "01g" + SalesforceIds.of("HSq", random.nextInt(Integer.MAX_VALUE)).substring(3, 15);
        cursors.put(locator, result.records());
        return Response.of(200, page(result.totalSize(), result.records().subList(0, pageSize),
                "/services/data/" + version + "/query/" + locator + "-" + pageSize));
    }

    Response queryMore(String cursor, String version) {
        int dash = cursor.lastIndexOf('-');
        List<ObjectNode> records = dash < 0 ? null : cursors.get(cursor.substring(0, dash));
        int offset;
        try {
            offset = dash < 0 ? -1 : Integer.parseInt(cursor.substring(dash + 1));
        } catch (NumberFormatException e) {
            offset = -1;
        }
        if (records == null || offset < 0 || offset > records.size()) {
            throw SandboxApiException.badRequest("INVALID_QUERY_LOCATOR", "invalid query locator");
        }
        int end = Math.min(records.size(), offset + PAGE);
        String next = null;
        if (end < records.size()) {
            next = "/services/data/" + version + "/query/" + cursor.substring(0, dash) + "-" + end;
        } else {
            cursors.remove(cursor.substring(0, dash));
        }
        return Response.of(200, page(records.size(), records.subList(offset, end), next));
    }

    private static ObjectNode page(int totalSize, List<ObjectNode> records, String nextRecordsUrl) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("totalSize", totalSize);
        body.put("done", nextRecordsUrl == null);
        if (nextRecordsUrl != null) {
            body.put("nextRecordsUrl", nextRecordsUrl);
        }
        ArrayNode array = body.putArray("records");
        records.forEach(array::add);
        return body;
    }
}
