package io.hearth.crm.salesforce;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.component.salesforce.api.SalesforceException;
import org.apache.camel.component.salesforce.internal.SalesforceSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Empties records from the org's Recycle Bin for good: the SOAP partner API's {@code emptyRecycleBin} (≤ 200 ids a call),
 * with the session camel-salesforce logged in with. REST deletes only move records to the Recycle Bin, where they stay for
 * 15 days, visible to {@code queryAll} and undeletable; erasure is complete only once they are emptied.
 * <p>
 * Why SOAP {@code emptyRecycleBin} and not Bulk API 2.0 {@code hardDelete}: it needs no extra permission (the right to delete
 * the records suffices), whereas hard delete needs the "Bulk API Hard Delete" system permission, which Salesforce advises
 * to grant sparingly (it bypasses the Recycle Bin for every object the user may delete); it answers synchronously with a
 * result per id (a Bulk job is asynchronous: create, upload CSV, close, poll, fetch failed rows — five or more calls); and it
 * also purges records that an earlier, interrupted attempt deleted already. camel-salesforce has no SOAP client, so this is
 * one plain HTTP call with the JDK client (the envelope is four elements; a SOAP stack would be a large dependency for it).
 */
@Component
public class RecycleBin {

    public static final String OPERATION = "emptyRecycleBin";
    public static final int MAX_IDS = 200;

    private static final Logger LOG = LoggerFactory.getLogger(RecycleBin.class);

    /** One id's outcome. {@code errorCode} null when it was purged. */
    public record Result(String id, boolean success, String errorCode, String message) {
    }

    private final CamelContext camel;
    private final SalesforceSettings settings;
    private final Counter calls;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    public RecycleBin(CamelContext camel, SalesforceSettings settings, MeterRegistry meters) {
        this.camel = camel;
        this.settings = settings;
        this.calls = Counter.builder("hearth.crm.api.calls").tag("operation", OPERATION)
                .description("CRM API calls made by the hub, by operation").register(meters);
    }

    /** Purges these records from the Recycle Bin; one result per id, in order. */
    public List<Result> empty(List<String> ids) throws CrmCallException {
        if (ids.size() > MAX_IDS) {
            throw new IllegalArgumentException("at most " + MAX_IDS + " ids a call, got " + ids.size());
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        SalesforceSession session = camel.getComponent("salesforce", SalesforceComponent.class).getSession();
        String token = session.getAccessToken();
        for (int attempt = 0; ; attempt++) {
            if (token == null) {
                token = login(session, null);
            }
            calls.increment();
            HttpResponse<String> response;
            try {
                response = http.send(HttpRequest.newBuilder(URI.create(session.getInstanceUrl() + "/services/Soap/u/" + settings.apiVersion()))
                        .timeout(Duration.ofSeconds(60))
                        .header("Content-Type", "text/xml; charset=UTF-8")
                        .header("SOAPAction", "\"\"")
                        .POST(HttpRequest.BodyPublishers.ofString(envelope(token, ids))).build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new CrmCallException(CrmCallException.Kind.UNAVAILABLE, 0, "UNAVAILABLE", OPERATION + " failed: " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CrmCallException(CrmCallException.Kind.UNAVAILABLE, 0, "UNAVAILABLE", OPERATION + " interrupted", e);
            }
            Document doc = parse(response);
            if (response.statusCode() == 200) {
                return results(doc, ids.size());
            }
            String fault = doc == null ? null : text(doc.getDocumentElement(), "faultcode");
            String code = fault == null ? "HTTP_" + response.statusCode() : fault.substring(fault.indexOf(':') + 1);
            String what = OPERATION + " failed: HTTP " + response.statusCode() + " " + code;
            if ("INVALID_SESSION_ID".equals(code) && attempt == 0) {
                LOG.debug("{}: session expired, logging in again", OPERATION);
                token = login(session, token);
                continue;
            }
            if ("REQUEST_LIMIT_EXCEEDED".equals(code)) {
                throw new CrmCallException(CrmCallException.Kind.REQUEST_LIMIT, response.statusCode(), code, what, null);
            }
            if (response.statusCode() >= 502 || "SERVER_UNAVAILABLE".equals(code) || "INVALID_SESSION_ID".equals(code)) {
                throw new CrmCallException(CrmCallException.Kind.UNAVAILABLE, response.statusCode(), code, what, null);
            }
            throw new CrmCallException(CrmCallException.Kind.REJECTED, response.statusCode(), code, what, null);
        }
    }

    private static String login(SalesforceSession session, String oldToken) throws CrmCallException {
        try {
            return session.login(oldToken);
        } catch (SalesforceException e) {
            throw SalesforceCollections.classify("login", e);
        }
    }

    static String envelope(String sessionId, List<String> ids) {
        StringBuilder b = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
                + "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:urn=\"urn:partner.soap.sforce.com\">"
                + "<soapenv:Header><urn:SessionHeader><urn:sessionId>").append(xml(sessionId))
                .append("</urn:sessionId></urn:SessionHeader></soapenv:Header><soapenv:Body><urn:emptyRecycleBin>");
        for (String id : ids) {
            b.append("<urn:ids>").append(xml(id)).append("</urn:ids>");
        }
        return b.append("</urn:emptyRecycleBin></soapenv:Body></soapenv:Envelope>").toString();
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static Document parse(HttpResponse<String> response) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setNamespaceAware(false);
            return factory.newDocumentBuilder().parse(new ByteArrayInputStream(response.body().getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            return null;
        }
    }

    private static List<Result> results(Document doc, int expected) throws CrmCallException {
        if (doc == null) {
            throw new CrmCallException(CrmCallException.Kind.UNAVAILABLE, 200, "UNEXPECTED_RESPONSE", OPERATION + " answer is not XML", null);
        }
        NodeList nodes = doc.getElementsByTagName("result");
        if (nodes.getLength() != expected) {
            throw new CrmCallException(CrmCallException.Kind.UNAVAILABLE, 200, "UNEXPECTED_RESPONSE", OPERATION + " answered "
                    + nodes.getLength() + " results for " + expected + " ids", null);
        }
        List<Result> out = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            Element r = (Element) nodes.item(i);
            boolean success = "true".equals(text(r, "success"));
            Element error = (Element) r.getElementsByTagName("errors").item(0);
            out.add(new Result(text(r, "id"), success, success || error == null ? (success ? null : "UNKNOWN_ERROR") : text(error, "statusCode"),
                    error == null ? null : text(error, "message")));
        }
        return out;
    }

    private static String text(Element parent, String tag) {
        NodeList n = parent.getElementsByTagName(tag);
        return n.getLength() == 0 ? null : n.item(0).getTextContent().strip();
    }
}
