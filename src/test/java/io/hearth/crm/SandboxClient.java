package io.hearth.crm;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The tests' own view of the sandbox over HTTP: SOQL, the admin fault endpoint, API usage; plus seeding helpers. */
public final class SandboxClient {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final String V = "/services/data/v62.0";

    private final String base;
    private final HttpClient http = io.hearth.support.TestHttp.client();
    private String token;

    public SandboxClient(int port) {
        this.base = "http://127.0.0.1:" + port;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An 18-character Contact id of the test's own (not the sandbox's "HS" form): {@link io.hearth.support.KnownAuthors#contactId}. */
    static String contactId(int n) {
        return io.hearth.support.KnownAuthors.contactId(n);
    }

    /** A seed file with {@code contacts} consenting contacts (ids {@link #contactId}). */
    static Path writeSeed(Path dir, int contacts) throws IOException {
        List<Map<String, Object>> list = new ArrayList<>();
        for (int i = 1; i <= contacts; i++) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("Id", contactId(i));
            c.put("LastName", "Tester" + i);
            c.put("Social_Consent__c", true);
            list.add(c);
        }
        Path seed = dir.resolve("seed.json");
        Files.createDirectories(dir);
        JSON.writeValue(seed.toFile(), Map.of("Contact", list));
        return seed;
    }

    /** A seed file of consenting and refusing contacts with verified X identities: {@link io.hearth.support.KnownAuthors#writeSeed}. */
    static Path writeSeedWithIdentities(Path dir, int consenting, int refusing) throws IOException {
        return io.hearth.support.KnownAuthors.writeSeed(dir, consenting, refusing);
    }

    public JsonNode soql(String q) throws Exception {
        login();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + V + "/query?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 401) {
            token = null;
            return soql(q);
        }
        if (r.statusCode() != 200) {
            throw new IllegalStateException("SOQL " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** All records of a query, following nextRecordsUrl. */
    public List<JsonNode> records(String q) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        JsonNode page = soql(q);
        while (true) {
            page.get("records").forEach(out::add);
            if (page.path("done").asBoolean(true)) {
                return out;
            }
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + page.get("nextRecordsUrl").asText()))
                    .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
            page = JSON.readTree(r.body());
        }
    }

    /** PATCH a record as the administrator (test set-up); fails unless 204. */
    public void patch(String path, Map<String, Object> body) throws Exception {
        login();
        // Sforce-Auto-Assign FALSE: a set-up edit (e.g. an agent taking a case) must not itself re-run assignment rules
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + V + path)).header("Authorization", "Bearer " + token)
                .header("Sforce-Auto-Assign", "FALSE")
                .header("Content-Type", "application/json").method("PATCH", HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 204) {
            throw new IllegalStateException("PATCH " + path + ": " + r.statusCode() + " " + r.body());
        }
    }

    /** queryAll: also the records in the Recycle Bin (deleted, not emptied). */
    public int countAll(String q) throws Exception {
        login();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + V + "/queryAll?q=" + URLEncoder.encode(q, StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + token).GET().build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("SOQL " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body()).get("totalSize").asInt();
    }

    public int count(String q) throws Exception {
        return soql(q).get("totalSize").asInt();
    }

    public JsonNode admin(Map<String, Object> body) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/sandbox/admin/faults"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("sandbox:sandbox".getBytes(StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("admin " + r.statusCode() + ": " + r.body());
        }
        return JSON.readTree(r.body());
    }

    /** The org's API calls counted today (token calls are not counted; admin calls are not API calls). */
    long apiUsage() throws Exception {
        return admin(Map.of()).get("apiUsage").asLong();
    }

    /** Records of this object the org has written since it started: a record written twice counts twice. */
    public long writes(String object) throws Exception {
        return admin(Map.of()).path("recordWrites").path(object).asLong(0);
    }

    private void login() throws Exception {
        if (token != null) {
            return;
        }
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + "/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=password&client_id=sandbox&client_secret=sandbox&username=admin%40sandbox&password=test")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("login " + r.statusCode() + ": " + r.body());
        }
        token = JSON.readTree(r.body()).get("access_token").asText();
    }
}
