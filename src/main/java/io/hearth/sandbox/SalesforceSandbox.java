package io.hearth.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.hearth.sandbox.SandboxOrg.Input;
import io.hearth.sandbox.SandboxOrg.Op;
import io.hearth.sandbox.SandboxOrg.SaveResult;
import io.hearth.sandbox.soql.SoqlException;

/**
 * A Salesforce-compatible org over real HTTP (JDK HttpServer): OAuth token endpoint, REST sObjects, sObject
 * Collections, SOQL query with paging, /limits with the {@code Sforce-Limit-Info} header, and fault injection.
 * Paths, status codes and error bodies follow Salesforce's (see docs/sandbox.md for what is and is not implemented).
 */
public final class SalesforceSandbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SalesforceSandbox.class);
    private static final Pattern DATA_PATH = Pattern.compile("^/services/data/(v\\d+\\.\\d)(/.*)?$");
    private static final String ORG_ID = "00DHS0000000001MAA";
    private static final String USER_ID = "005HS0000000001AAA";
    static final int QUERY_PAGE = 2000;
    private static final int MAX_CURSORS = 200;

    private final SandboxSettings settings;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    /** Tokens of an administrator (password grant as admin@…): never restricted by the integration user's permissions. */
    private final Set<String> adminTokens = ConcurrentHashMap.newKeySet();
    private final Map<String, List<ObjectNode>> cursors = java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<ObjectNode>> eldest) {
            return size() > MAX_CURSORS;
        }
    });
    private final Object usageLock = new Object();
    private long apiUsage;
    private LocalDate usageDay;
    private SandboxFaults faults;
    private RecordStore store;
    private SandboxOrg org;
    private SoqlEngine soql;
    private HttpServer server;
    private ExecutorService executor;

    public SalesforceSandbox(SandboxSettings settings) {
        this(settings, Clock.systemUTC());
    }

    public SalesforceSandbox(SandboxSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** Loads the schema, opens (and, if empty, seeds) the store, and starts listening. */
    public synchronized SalesforceSandbox start() throws IOException {
        SandboxSchema schema = SandboxSchema.load(settings.metadataDir());
        faults = new SandboxFaults(settings.faults(), clock);
        store = new RecordStore(settings.storeDir(), schema, json);
        org = new SandboxOrg(schema, store, clock, json, faults::lockRow);
        soql = new SoqlEngine(org);
        if (settings.seed() != null) {
            if (Files.exists(settings.seed())) {
                int seeded = org.seed(json.readTree(settings.seed().toFile()));
                if (seeded > 0) {
                    log.info("Salesforce sandbox seeded {} records from {}", seeded, settings.seed());
                }
            } else {
                log.warn("Salesforce sandbox seed file {} does not exist; starting without seed", settings.seed());
            }
        }
        usageDay = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        try {
            server = HttpServer.create(new InetSocketAddress(settings.host(), settings.port()), 50);
        } catch (IOException e) {
            store.close();
            throw new IOException("Salesforce sandbox cannot listen on " + settings.host() + ":" + settings.port()
                    + " (set hearth.sandbox.port / HEARTH_SANDBOX_PORT): " + e.getMessage(), e);
        }
        AtomicInteger threads = new AtomicInteger();
        executor = Executors.newFixedThreadPool(8, r -> {
            Thread t = new Thread(r, "sandbox-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
        log.info("Salesforce sandbox listening on {} ({} records; client id '{}')", baseUrl(), store.size(), settings.clientId());
        return this;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        String host = settings.host().equals("0.0.0.0") ? "localhost" : settings.host();
        return "http://" + host + ":" + port();
    }

    @Override
    public synchronized void close() {
        if (server != null) {
            server.stop(0);
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            server = null;
        }
        if (store != null) {
            org.lock.lock();
            try {
                store.close();
            } finally {
                org.lock.unlock();
            }
            store = null;
        }
    }

    // --- HTTP plumbing ----------------------------------------------------------------------------------------------

    private record Response(int status, JsonNode body, Map<String, String> headers) {
        static Response of(int status, JsonNode body) {
            return new Response(status, body, Map.of());
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        Response response;
        boolean dataApi = false;
        try {
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod().toUpperCase();
            Map<String, String> query = parseForm(exchange.getRequestURI().getRawQuery());
            if (method.equals("POST") && query.containsKey("_HttpMethod")) {
                method = query.get("_HttpMethod").toUpperCase();
            }
            if (path.startsWith("/sandbox/admin")) {
                response = admin(exchange, method, path);
            } else if (path.startsWith("/services/Soap/u/") && !faults.unavailable()) {
                soap(exchange);
                return;
            } else {
                long latency = faults.latency().toMillis();
                if (latency > 0) {
                    Thread.sleep(latency);
                }
                if (path.startsWith("/services/") && faults.unavailable()) {
                    response = Response.of(503, errors(SfError.of("SERVER_UNAVAILABLE", "Server temporarily unavailable, please retry later")));
                } else if (path.equals("/services/oauth2/token")) {
                    response = token(exchange, method);
                } else if (path.equals("/services/oauth2/revoke")) {
                    Map<String, String> form = parseForm(readBody(exchange));
                    form.putAll(query);
                    if (form.containsKey("token")) {
                        tokens.remove(form.get("token"));
                    }
                    response = Response.of(200, null);
                } else if (path.equals("/services/data") || path.equals("/services/data/")) {
                    response = Response.of(200, versions());
                } else {
                    Matcher m = DATA_PATH.matcher(path);
                    if (!m.matches()) {
                        response = Response.of(404, errors(SfError.of("NOT_FOUND", "The requested resource does not exist")));
                    } else {
                        dataApi = true;
                        response = dataApi(exchange, method, m.group(1), m.group(2) == null ? "" : m.group(2), query);
                    }
                }
            }
        } catch (SandboxApiException e) {
            response = Response.of(e.status, errors(e.errors.toArray(SfError[]::new)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response = Response.of(503, errors(SfError.of("SERVER_UNAVAILABLE", "shutting down")));
        } catch (RuntimeException e) {
            // The path only: a query string is SOQL with handles or loyalty numbers in it; the details at DEBUG.
            log.warn("Salesforce sandbox: {} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    e.getClass().getName());
            log.debug("Salesforce sandbox: {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            response = Response.of(500, errors(SfError.of("UNKNOWN_EXCEPTION", "An unexpected error occurred: " + e.getMessage())));
        }
        byte[] bytes = response.body() == null ? new byte[0] : json.writeValueAsBytes(response.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
        if (dataApi) {
            exchange.getResponseHeaders().set("Sforce-Limit-Info", "api-usage=" + usage() + "/" + settings.dailyApiBudget());
        }
        response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        if (response.status() == 204 || bytes.length == 0) {
            exchange.sendResponseHeaders(response.status(), -1);
        } else {
            exchange.sendResponseHeaders(response.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    private static String readBody(HttpExchange exchange) throws IOException {
        try (InputStream in = exchange.getRequestBody()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private JsonNode readJson(HttpExchange exchange) throws IOException {
        JsonNode subrequest = subrequestBody.get();
        if (subrequest != null) {
            return subrequest.deepCopy();
        }
        String body = readBody(exchange);
        try {
            return body.isBlank() ? JsonNodeFactory.instance.objectNode() : json.readTree(body);
        } catch (JsonProcessingException e) {
            throw SandboxApiException.badRequest("JSON_PARSER_ERROR", "Unexpected character at [line:" + e.getLocation().getLineNr()
                    + ", column:" + e.getLocation().getColumnNr() + "]");
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

    private static ArrayNode errors(SfError... errors) {
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

    private String instanceUrl(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        return host == null || host.isBlank() ? baseUrl() : "http://" + host;
    }

    // --- OAuth ------------------------------------------------------------------------------------------------------

    private Response token(HttpExchange exchange, String method) throws IOException {
        if (!method.equals("POST")) {
            return Response.of(405, null);
        }
        Map<String, String> form = parseForm(readBody(exchange));
        parseForm(exchange.getRequestURI().getRawQuery()).forEach(form::putIfAbsent);
        String grant = form.getOrDefault("grant_type", "");
        String clientId = form.get("client_id");
        String clientSecret = form.get("client_secret");
        String basic = exchange.getRequestHeaders().getFirst("Authorization");
        if (clientId == null && basic != null && basic.regionMatches(true, 0, "Basic ", 0, 6)) {
            String decoded = new String(Base64.getDecoder().decode(basic.substring(6).strip()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon > 0) {
                clientId = URLDecoder.decode(decoded.substring(0, colon), StandardCharsets.UTF_8);
                clientSecret = URLDecoder.decode(decoded.substring(colon + 1), StandardCharsets.UTF_8);
            }
        }
        if (faults.loginFails()) {
            // A revoked connected app / rotated secret: Salesforce answers every grant like this.
            return oauthError("invalid_grant", "authentication failure");
        }
        switch (grant) {
            case "client_credentials", "password", "refresh_token" -> {
                if (!settings.clientId().equals(clientId)) {
                    return oauthError("invalid_client_id", "client identifier invalid");
                }
                if (!settings.clientSecret().equals(clientSecret)) {
                    return oauthError("invalid_client", "invalid client credentials");
                }
                if (grant.equals("password") && (form.getOrDefault("username", "").isBlank() || form.getOrDefault("password", "").isBlank())) {
                    return oauthError("invalid_grant", "authentication failure");
                }
                if (grant.equals("refresh_token") && form.getOrDefault("refresh_token", "").isBlank()) {
                    return oauthError("invalid_grant", "expired access/refresh token");
                }
            }
            case "urn:ietf:params:oauth:grant-type:jwt-bearer" -> {
                String assertion = form.getOrDefault("assertion", "");
                String[] parts = assertion.split("\\.");
                if (parts.length != 3) {
                    return oauthError("invalid_grant", "invalid assertion");
                }
                JsonNode claims;
                try {
                    claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
                } catch (RuntimeException e) {
                    return oauthError("invalid_grant", "invalid assertion");
                }
                if (!settings.clientId().equals(claims.path("iss").asText())) {
                    return oauthError("invalid_client_id", "client identifier invalid");
                }
                if (claims.path("sub").asText().isBlank()) {
                    return oauthError("invalid_grant", "invalid assertion");
                }
                if (claims.has("exp") && Instant.ofEpochSecond(claims.get("exp").asLong()).isBefore(clock.instant())) {
                    return oauthError("invalid_grant", "expired authorization code");
                }
            }
            default -> {
                return oauthError("unsupported_grant_type", "grant type not supported");
            }
        }
        byte[] raw = new byte[48];
        random.nextBytes(raw);
        String accessToken = ORG_ID.substring(0, 15) + "!" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw).replace('-', '.').replace('_', '.');
        Instant now = clock.instant();
        tokens.put(accessToken, now.plus(settings.tokenTtl()));
        if (grant.equals("password") && form.getOrDefault("username", "").startsWith("admin@")) {
            adminTokens.add(accessToken);
        }
        String instanceUrl = instanceUrl(exchange);
        String id = instanceUrl + "/id/" + ORG_ID + "/" + USER_ID;
        String issuedAt = String.valueOf(now.toEpochMilli());
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("access_token", accessToken);
        body.put("signature", sign(id + issuedAt));
        body.put("scope", "api");
        body.put("instance_url", instanceUrl);
        body.put("id", id);
        body.put("token_type", "Bearer");
        body.put("issued_at", issuedAt);
        return Response.of(200, body);
    }

    private static Response oauthError(String error, String description) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("error", error);
        body.put("error_description", description);
        return Response.of(400, body);
    }

    private String sign(String value) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(settings.clientSecret().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(value.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean authorised(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        if (header == null) {
            return false;
        }
        String token;
        if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            token = header.substring(7).strip();
        } else if (header.regionMatches(true, 0, "OAuth ", 0, 6)) {
            token = header.substring(6).strip();
        } else {
            return false;
        }
        Instant expiry = tokens.get(token);
        if (expiry == null) {
            return false;
        }
        if (!clock.instant().isBefore(expiry)) {
            tokens.remove(token);
            return false;
        }
        return true;
    }

    private static ArrayNode versions() {
        ArrayNode array = JsonNodeFactory.instance.arrayNode();
        String[][] versions = {{"59.0", "Winter '24"}, {"60.0", "Spring '24"}, {"61.0", "Summer '24"}, {"62.0", "Winter '25"},
                {"63.0", "Spring '25"}, {"64.0", "Summer '25"}};
        for (String[] v : versions) {
            ObjectNode n = array.addObject();
            n.put("label", v[1]);
            n.put("url", "/services/data/v" + v[0]);
            n.put("version", v[0]);
        }
        return array;
    }

    // --- API usage --------------------------------------------------------------------------------------------------

    private long usage() {
        synchronized (usageLock) {
            rollDay();
            return apiUsage;
        }
    }

    private void rollDay() {
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        if (!today.equals(usageDay)) {
            usageDay = today;
            apiUsage = 0;
        }
    }

    /** Counts the call, or refuses it when the day's budget is spent. */
    private boolean countCall() {
        synchronized (usageLock) {
            rollDay();
            if (apiUsage >= settings.dailyApiBudget()) {
                return false;
            }
            apiUsage++;
            return true;
        }
    }

    // --- REST data API ----------------------------------------------------------------------------------------------

    private Response dataApi(HttpExchange exchange, String method, String version, String rest, Map<String, String> query)
            throws IOException {
        if (!authorised(exchange)) {
            return Response.of(401, errors(SfError.of("INVALID_SESSION_ID", "Session expired or invalid")));
        }
        if (faults.requestLimitExceeded() || !countCall()) {
            return Response.of(403, errors(SfError.of("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")));
        }
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        boolean admin = header != null && adminTokens.contains(header.substring(header.indexOf(' ') + 1).strip());
        org.runAsAdmin(admin);
        org.callHeaders(exchange.getRequestHeaders().getFirst("Sforce-Auto-Assign"),
                exchange.getRequestHeaders().getFirst("Sforce-Duplicate-Rule-Header"));
        try {
            return route(exchange, method, version, rest, query);
        } finally {
            org.runAsAdmin(false);
            org.callHeaders(null, null);
        }
    }

    /** One data API request, authorised and counted: by its path. Composite subrequests come here too. */
    private Response route(HttpExchange exchange, String method, String version, String rest, Map<String, String> query)
            throws IOException {
        List<String> parts = new ArrayList<>();
        for (String p : rest.split("/")) {
            if (!p.isEmpty()) {
                parts.add(URLDecoder.decode(p, StandardCharsets.UTF_8));
            }
        }
        if (parts.isEmpty()) {
            ObjectNode resources = JsonNodeFactory.instance.objectNode();
            for (String r : List.of("limits", "query", "queryAll", "sobjects", "composite")) {
                resources.put(r, "/services/data/" + version + "/" + r);
            }
            return Response.of(200, resources);
        }
        String head = parts.get(0);
        switch (head) {
            case "limits" -> {
                IntegrationAccess access = org.access();
                if (access != null && !access.hasUserPermission("ViewSetup")) {
                    return Response.of(403, errors(SfError.of("INSUFFICIENT_ACCESS",
                            "insufficient access rights: /limits needs the View Setup and Configuration permission (ViewSetup)")));
                }
                return Response.of(200, limits());
            }
            case "query", "queryAll" -> {
                if (parts.size() == 1) {
                    return query(exchange, version, query.get("q"), head.equals("queryAll"));
                }
                return queryMore(parts.get(1), version);
            }
            case "sobjects" -> {
                return sobjects(exchange, method, version, parts.subList(1, parts.size()), query);
            }
            case "composite" -> {
                if (parts.size() == 2 && parts.get(1).equals("sobjects") && method.equals("DELETE")) {
                    return collectionsDelete(query);
                }
                if (parts.size() >= 2 && parts.get(1).equals("sobjects")) {
                    return collections(exchange, method, parts.subList(2, parts.size()));
                }
                if (parts.size() == 1) {
                    if (!method.equals("POST")) {
                        return methodNotAllowed(method);
                    }
                    if (subrequestBody.get() != null) {
                        throw SandboxApiException.badRequest("INVALID_BATCH_REQUEST", "A composite request cannot contain a composite request");
                    }
                    return composite(exchange, version);
                }
                throw SandboxApiException.notFound();
            }
            default -> throw SandboxApiException.notFound();
        }
    }

    private ObjectNode limits() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        long used = usage();
        ObjectNode daily = root.putObject("DailyApiRequests");
        daily.put("Max", settings.dailyApiBudget());
        daily.put("Remaining", Math.max(0, settings.dailyApiBudget() - used));
        String[][] fixed = {{"ConcurrentAsyncGetReportInstances", "200"}, {"ConcurrentSyncReportRuns", "20"},
                {"DailyAsyncApexExecutions", "250000"}, {"DailyBulkApiRequests", "5000"}, {"DailyStreamingApiEvents", "10000"},
                {"DailyWorkflowEmails", "390"}, {"DataStorageMB", "5"}, {"FileStorageMB", "20"}, {"HourlyAsyncReportRuns", "1200"},
                {"HourlyDashboardRefreshes", "200"}, {"HourlySyncReportRuns", "500"}, {"MassEmail", "10"}, {"SingleEmail", "15"},
                {"StreamingApiConcurrentClients", "20"}};
        for (String[] f : fixed) {
            ObjectNode n = root.putObject(f[0]);
            n.put("Max", Long.parseLong(f[1]));
            n.put("Remaining", Long.parseLong(f[1]));
        }
        return root;
    }

    private Response query(HttpExchange exchange, String version, String q, boolean withDeleted) {
        if (q == null || q.isBlank()) {
            throw SandboxApiException.badRequest("MALFORMED_QUERY", "A query string has to be specified");
        }
        SoqlEngine.Result result;
        try {
            result = soql.run(q, version, withDeleted);
        } catch (SoqlException e) {
            throw SandboxApiException.badRequest(e.errorCode(), e.getMessage());
        }
        int pageSize = QUERY_PAGE;
        String options = exchange.getRequestHeaders().getFirst("Sforce-Query-Options");
        if (options != null) {
            Matcher m = Pattern.compile("batchSize=(\\d+)").matcher(options);
            if (m.find()) {
                pageSize = Math.max(200, Math.min(QUERY_PAGE, Integer.parseInt(m.group(1))));
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

    private Response queryMore(String cursor, String version) {
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
        int end = Math.min(records.size(), offset + QUERY_PAGE);
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

    private Response sobjects(HttpExchange exchange, String method, String version, List<String> parts, Map<String, String> query)
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
            return methodNotAllowed(method);
        }
        if (parts.size() == 1) {
            if (method.equals("GET")) {
                ObjectNode body = JsonNodeFactory.instance.objectNode();
                body.set("objectDescribe", describeSummary(type, version));
                body.putArray("recentItems");
                return Response.of(200, body);
            }
            if (!method.equals("POST")) {
                return methodNotAllowed(method);
            }
            JsonNode body = readJson(exchange);
            if (!body.isObject()) {
                throw SandboxApiException.badRequest("JSON_PARSER_ERROR", "Cannot deserialize instance of " + type.name + " from "
                        + body.getNodeType());
            }
            SaveResult r = org.write(Op.CREATE, List.of(new Input(type.name, null, null, (ObjectNode) body)), null, false).get(0);
            if (!r.success()) {
                return Response.of(400, errors(r.errors().toArray(SfError[]::new)));
            }
            return Response.of(201, saveResult(r, true));
        }
        if (parts.size() == 2 && parts.get(1).equals("describe")) {
            return Response.of(200, describe(type, version));
        }
        if (parts.size() == 2) {
            String id = parts.get(1);
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
                    JsonNode body = readJson(exchange);
                    SaveResult r = org.write(Op.UPDATE, List.of(new Input(type.name, id, null, (ObjectNode) body)), null, false).get(0);
                    if (!r.success()) {
                        return Response.of(400, errors(r.errors().toArray(SfError[]::new)));
                    }
                    return Response.of(204, null);
                }
                case "DELETE" -> {
                    org.delete(type.name, id);
                    return Response.of(204, null);
                }
                default -> {
                    return methodNotAllowed(method);
                }
            }
        }
        if (parts.size() == 3) {
            SandboxSchema.Field ext = type.field(parts.get(1));
            if (ext == null || !(ext.externalId() || ext.type() == SandboxSchema.FieldType.ID)) {
                return Response.of(404, errors(SfError.of("NOT_FOUND", "Provided external ID field does not exist or is not accessible: "
                        + parts.get(1))));
            }
            String value = parts.get(2);
            if (method.equals("GET")) {
                String id = ext.type() == SandboxSchema.FieldType.ID ? SalesforceIds.normalise(value)
                        : store.idByUnique(type.name, ext.name(), RecordStore.normaliseUnique(ext, value));
                if (id == null) {
                    throw SandboxApiException.notFound();
                }
                return Response.of(200, org.read(type.name, id, null));
            }
            if (!method.equals("PATCH")) {
                return methodNotAllowed(method);
            }
            if (ext.type() == SandboxSchema.FieldType.ID) {
                throw SandboxApiException.badRequest("NOT_FOUND", "upsert by Id is not supported by the sandbox");
            }
            JsonNode body = readJson(exchange);
            if (body.has(ext.name()) && !body.get(ext.name()).asText().equals(value)) {
                throw SandboxApiException.badRequest("INVALID_FIELD", "The value of the external ID field in the body does not match the URL: "
                        + ext.name(), ext.name());
            }
            ((ObjectNode) body).remove(ext.name());
            SaveResult r = org.write(Op.UPSERT, List.of(new Input(type.name, null, value, (ObjectNode) body)), ext.name(), false).get(0);
            if (!r.success()) {
                return Response.of(400, errors(r.errors().toArray(SfError[]::new)));
            }
            ObjectNode out = saveResult(r, true);
            return Response.of(Boolean.TRUE.equals(r.created()) ? 201 : 200, out);
        }
        throw SandboxApiException.notFound();
    }

    private static Response methodNotAllowed(String method) {
        return Response.of(405, errors(SfError.of("METHOD_NOT_ALLOWED", "HTTP Method '" + method + "' not allowed.")));
    }

    private static ObjectNode describeSummary(SandboxSchema.SObjectType t, String version) {
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

    private static ObjectNode describe(SandboxSchema.SObjectType t, String version) {
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

    private static ObjectNode saveResult(SaveResult r, boolean singleRecord) {
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

    // --- /composite: up to 25 subrequests in one call, later ones referring to earlier results -------------------

    static final int COMPOSITE_LIMIT = 25;
    private static final Pattern REFERENCE = Pattern.compile("@\\{([A-Za-z0-9_]+)((?:\\.[A-Za-z0-9_]+|\\[\\d+\\])+)}");

    /** The body of the composite subrequest this thread is running (readJson returns it instead of the HTTP body). */
    private final ThreadLocal<JsonNode> subrequestBody = new ThreadLocal<>();

    /**
     * POST /composite: {@code {"allOrNone": bool, "compositeRequest": [{"method", "url", "referenceId", "body"}]}} →
     * {@code {"compositeResponse": [{"body", "httpHeaders", "httpStatusCode", "referenceId"}]}}, in order. One API call
     * for all. {@code @{ref.field}} / {@code @{ref.records[0].Id}} in a URL or body take a value from an earlier
     * subrequest's response. allOrNone: the first failure rolls back every write of the request and the other
     * subrequests answer PROCESSING_HALTED. (Queries inside an all-or-none request do not see its uncommitted writes.)
     */
    private Response composite(HttpExchange exchange, String version) throws IOException {
        JsonNode request = readJson(exchange);
        JsonNode subrequests = request.path("compositeRequest");
        if (!subrequests.isArray() || subrequests.isEmpty()) {
            throw SandboxApiException.badRequest("JSON_PARSER_ERROR", "compositeRequest: an array of subrequests is required");
        }
        if (subrequests.size() > COMPOSITE_LIMIT) {
            throw SandboxApiException.badRequest("LIMIT_EXCEEDED", "The composite request has " + subrequests.size()
                    + " subrequests; the limit is " + COMPOSITE_LIMIT);
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
                    responses.add(subresponse(ref, 400, errors(SfError.of("PROCESSING_HALTED",
                            "The transaction was rolled back since another operation in the same transaction failed.")), null));
                    continue;
                }
                Response r;
                try {
                    r = subrequest(exchange, sub, results);
                } catch (SandboxApiException e) {
                    r = Response.of(e.status, errors(e.errors.toArray(SfError[]::new)));
                } catch (RecordException e) {
                    r = Response.of(400, errors(e.error));
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
                    responses.set(i, subresponse(responses.get(i).get("referenceId").asText(), 400, errors(SfError.of(
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
        Matcher m = DATA_PATH.matcher(path);
        if (!m.matches()) {
            throw SandboxApiException.badRequest("INVALID_INPUT", "url: not a data API resource: " + path);
        }
        JsonNode body = sub.has("body") ? resolveJson(sub.get("body"), results) : JsonNodeFactory.instance.objectNode();
        subrequestBody.set(body);
        try {
            return route(exchange, method, m.group(1), m.group(2) == null ? "" : m.group(2),
                    parseForm(q < 0 ? null : url.substring(q + 1)));
        } finally {
            subrequestBody.remove();
        }
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

    private Response collections(HttpExchange exchange, String method, List<String> parts) throws IOException {
        JsonNode body = readJson(exchange);
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
                return Response.of(404, errors(SfError.of("NOT_FOUND", "Provided external ID field does not exist or is not accessible: "
                        + parts.get(1))));
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
            out.add(saveResult(r, false));
        }
        return Response.of(200, out);
    }

    /** {@code DELETE /composite/sobjects?ids=a,b&allOrNone=false}: up to 200 records of any type. */
    private Response collectionsDelete(Map<String, String> query) {
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
            out.add(saveResult(r, false));
        }
        return Response.of(200, out);
    }

    // --- admin ------------------------------------------------------------------------------------------------------

    private Response admin(HttpExchange exchange, String method, String path) throws IOException {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        String expected = "Basic " + Base64.getEncoder().encodeToString((settings.clientId() + ":" + settings.clientSecret())
                .getBytes(StandardCharsets.UTF_8));
        boolean ok = header != null && (header.strip().equals(expected) || header.strip().equals("Bearer " + settings.clientSecret()));
        if (!ok) {
            return Response.of(401, errors(SfError.of("INVALID_SESSION_ID", "sandbox admin: use the sandbox client id and secret (HTTP Basic)")));
        }
        if (path.equals("/sandbox/admin/faults")) {
            if (method.equals("POST")) {
                JsonNode request = readJson(exchange);
                faults.update(request);
                if (request.path("expireTokens").asBoolean(false)) {
                    tokens.clear();
                }
                if (request.has("apiUsage")) {
                    synchronized (usageLock) {
                        apiUsage = request.get("apiUsage").asLong();
                    }
                }
                org.rules(request);
                log.info("Salesforce sandbox faults now {}", faults.describe());
            }
            ObjectNode state = faults.describe();
            org.describeRules(state);
            state.put("apiUsage", usage());
            state.put("dailyApiBudget", settings.dailyApiBudget());
            state.put("activeTokens", tokens.size());
            state.set("recordWrites", json.valueToTree(store.writes()));
            return Response.of(200, state);
        }
        if (path.startsWith("/sandbox/admin/events/") && method.equals("GET")) {
            // The platform events published so far (tests: what a subscriber would have received), oldest first.
            SandboxSchema.SObjectType type = org.type(path.substring("/sandbox/admin/events/".length()));
            if (!type.platformEvent) {
                throw SandboxApiException.notFound();
            }
            ArrayNode events = JsonNodeFactory.instance.arrayNode();
            org.lock.lock();
            try {
                org.records(type).stream()
                        .sorted(java.util.Comparator.comparing((RecordStore.Stored s) -> s.fields().path("CreatedDate").asText())
                                .thenComparing(s -> s.fields().path("Id").asText()))
                        .forEach(s -> events.add(s.fields().deepCopy()));
            } finally {
                org.lock.unlock();
            }
            ObjectNode body = JsonNodeFactory.instance.objectNode();
            body.put("totalSize", events.size());
            body.set("records", events);
            return Response.of(200, body);
        }
        throw SandboxApiException.notFound();
    }

    /**
     * Restricts every data call to what this permission set grants (object and field permissions, View All / Modify All,
     * ViewSetup for /limits), as for an integration user who has only it; null lifts the restriction.
     */
    public void restrictTo(java.nio.file.Path permissionSet) {
        org.restrictTo(permissionSet == null ? null : IntegrationAccess.load(permissionSet));
        log.info("Salesforce sandbox: integration user's permissions {}", permissionSet == null ? "unrestricted" : "from " + permissionSet);
    }

    // --- SOAP (partner API): emptyRecycleBin ------------------------------------------------------------------------

    private static final Pattern SESSION_ID = Pattern.compile("<(?:\\w+:)?sessionId>\\s*([^<\\s]+)\\s*</(?:\\w+:)?sessionId>");
    private static final Pattern SOAP_IDS = Pattern.compile("<(?:\\w+:)?ids>\\s*([^<\\s]+)\\s*</(?:\\w+:)?ids>");
    private static final Pattern SOAP_CALL = Pattern.compile("<(?:\\w+:)?Body[^>]*>\\s*<(?:\\w+:)?(\\w+)");

    /**
     * {@code POST /services/Soap/u/NN.N}: the partner API's {@code emptyRecycleBin} (the only SOAP call the sandbox has):
     * session from the SessionHeader, ≤ 200 ids, one result per id. Counts as an API call. Other calls: a SOAP fault.
     */
    private void soap(HttpExchange exchange) throws IOException {
        String body = readBody(exchange);
        int status = 200;
        String answer;
        Matcher session = SESSION_ID.matcher(body);
        Matcher call = SOAP_CALL.matcher(body);
        String token = session.find() ? session.group(1) : null;
        Instant expiry = token == null ? null : tokens.get(token);
        if (expiry == null || !clock.instant().isBefore(expiry)) {
            status = 500;
            answer = soapFault("sf:INVALID_SESSION_ID", "INVALID_SESSION_ID: Invalid Session ID found in SessionHeader: Illegal Session");
        } else if (faults.requestLimitExceeded() || !countCall()) {
            status = 500;
            answer = soapFault("sf:REQUEST_LIMIT_EXCEEDED", "REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.");
        } else if (!call.find() || !call.group(1).equals("emptyRecycleBin")) {
            status = 500;
            answer = soapFault("sf:UNSUPPORTED_API_VERSION", "the sandbox's SOAP API has emptyRecycleBin only");
        } else {
            List<String> ids = new ArrayList<>();
            for (Matcher m = SOAP_IDS.matcher(body); m.find(); ) {
                ids.add(m.group(1));
            }
            if (ids.size() > 200) {
                status = 500;
                answer = soapFault("sf:EXCEEDED_ID_LIMIT", "EXCEEDED_ID_LIMIT: emptyRecycleBin takes at most 200 ids");
            } else {
                StringBuilder results = new StringBuilder();
                for (SaveResult r : org.emptyRecycleBin(ids)) {
                    results.append("<result>");
                    for (SfError e : r.errors()) {
                        results.append("<errors><message>").append(xml(e.message())).append("</message><statusCode>").append(e.code())
                                .append("</statusCode></errors>");
                    }
                    results.append(r.id() == null ? "<id xsi:nil=\"true\"/>" : "<id>" + r.id() + "</id>")
                            .append("<success>").append(r.success()).append("</success></result>");
                }
                answer = "<emptyRecycleBinResponse>" + results + "</emptyRecycleBinResponse>";
            }
        }
        byte[] bytes = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"http://schemas.xmlsoap.org/soap/envelope/\""
                + " xmlns=\"urn:partner.soap.sforce.com\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><soapenv:Body>" + answer
                + "</soapenv:Body></soapenv:Envelope>").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/xml;charset=UTF-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
        exchange.close();
    }

    private static String soapFault(String code, String message) {
        return "<soapenv:Fault><faultcode>" + code + "</faultcode><faultstring>" + xml(message) + "</faultstring></soapenv:Fault>";
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Expires every issued token now (the next API call answers 401 INVALID_SESSION_ID). */
    public void expireTokens() {
        tokens.clear();
    }
}
