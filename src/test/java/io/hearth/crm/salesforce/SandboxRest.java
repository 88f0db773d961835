package io.hearth.crm.salesforce;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** A plain REST client of the sandbox (the test's own view of the org: inserts, updates, the API usage counter). */
final class SandboxRest {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String V = "/services/data/v62.0";

    record Reply(int status, JsonNode body, long usage) {
    }

    private final String base;
    private final HttpClient http = io.hearth.support.TestHttp.client();
    private String token;

    SandboxRest(String base) {
        this.base = base;
    }

    private String token() throws Exception {
        if (token == null) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/services/oauth2/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=sandbox&client_secret=sandbox&username=admin%40sandbox&password=test"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            token = JSON.readTree(r.body()).get("access_token").asText();
        }
        return token;
    }

    Reply call(String method, String path, Object body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token())
                .timeout(Duration.ofSeconds(30));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(body instanceof String s ? s : JSON.writeValueAsString(body)));
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        String info = r.headers().firstValue("Sforce-Limit-Info").orElse("api-usage=-1/0");
        long usage = Long.parseLong(info.substring(info.indexOf('=') + 1, info.indexOf('/')));
        return new Reply(r.statusCode(), r.body().isBlank() ? null : JSON.readTree(r.body()), usage);
    }

    JsonNode query(String soql) throws Exception {
        return call("GET", V + "/query?q=" + URLEncoder.encode(soql, StandardCharsets.UTF_8), null).body();
    }

    /** The org's API usage counter after this (counted) call. */
    long usage() throws Exception {
        return call("GET", V + "/limits", null).usage();
    }

    /** Deletes a record for good: REST DELETE (to the Recycle Bin), then SOAP emptyRecycleBin. */
    void hardDelete(String object, String id) throws Exception {
        if (call("DELETE", V + "/sobjects/" + object + "/" + id, null).status() != 204) {
            throw new IllegalStateException("delete of " + id + " failed");
        }
        String envelope = "<soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\" xmlns:urn=\"urn:partner.soap.sforce.com\">"
                + "<soapenv:Header><urn:SessionHeader><urn:sessionId>" + token() + "</urn:sessionId></urn:SessionHeader></soapenv:Header>"
                + "<soapenv:Body><urn:emptyRecycleBin><urn:ids>" + id + "</urn:ids></urn:emptyRecycleBin></soapenv:Body></soapenv:Envelope>";
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/services/Soap/u/62.0")).header("Content-Type", "text/xml")
                .header("SOAPAction", "\"\"").POST(HttpRequest.BodyPublishers.ofString(envelope)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200 || !r.body().contains("<success>true</success>")) {
            throw new IllegalStateException("emptyRecycleBin: " + r.statusCode() + " " + r.body());
        }
    }

    void faults(String json) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/sandbox/admin/faults"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("sandbox:sandbox".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("faults: " + r.statusCode() + " " + r.body());
        }
    }
}
