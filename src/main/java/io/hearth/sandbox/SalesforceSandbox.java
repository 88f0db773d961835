package io.hearth.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.hearth.sandbox.SandboxHttp.Response;

/**
 * A Salesforce-compatible org over real HTTP (JDK HttpServer): OAuth token endpoint ({@link SandboxAuth}), REST
 * sObjects ({@link SObjectResource}), sObject Collections ({@link CollectionsResource}), composite
 * ({@link CompositeResource}), SOQL query with paging ({@link QueryResource}), /limits with the
 * {@code Sforce-Limit-Info} header ({@link ApiUsage}), the SOAP emptyRecycleBin ({@link SoapEndpoint}), and fault
 * injection ({@link SandboxAdmin}). This class starts and stops the server and routes each request. Paths, status
 * codes and error bodies follow Salesforce's (see docs/sandbox.md for what is and is not implemented).
 */
public final class SalesforceSandbox implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(SalesforceSandbox.class);
    static final int QUERY_PAGE = QueryResource.PAGE;
    static final int COMPOSITE_LIMIT = CompositeResource.LIMIT;

    private final SandboxSettings settings;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final RequestBodies bodies = new RequestBodies(json);
    private SandboxFaults faults;
    private RecordStore store;
    private SandboxOrg org;
    private SandboxAuth auth;
    private ApiUsage usage;
    private QueryResource query;
    private SObjectResource sobjects;
    private CollectionsResource collections;
    private CompositeResource composite;
    private SandboxAdmin admin;
    private SoapEndpoint soap;
    private HttpServer server;
    private ExecutorService executor;
    private volatile CollectionsWriteHook collectionsWriteHook;
    private final AtomicInteger collectionsWritesAnswered = new AtomicInteger();
    private static final java.util.regex.Pattern COLLECTIONS_WRITE =
            java.util.regex.Pattern.compile("/services/data/v[^/]+/composite/sobjects(/.*)?");

    /**
     * A hook of the test JVM on sObject Collections writes ({@code POST}/{@code PATCH /composite/sobjects[/...]}): fault
     * injection that needs the moment a call arrives, e.g. the chaos suite's kill -9 aimed at the CRM writer's window
     * between a call and its commit (docs/reliability.md). Not reachable over HTTP; not used by the hub.
     */
    @FunctionalInterface
    public interface CollectionsWriteHook {
        /**
         * Called when a Collections write arrives, before it is served, on the request's thread (the caller waits).
         * {@code path}: the request path (names the object of an upsert); {@code answered}: Collections writes this sandbox
         * has answered with 200 so far. Returns false to answer 503 SERVER_UNAVAILABLE without writing anything.
         */
        boolean beforeWrite(String path, int answered);
    }

    /** Sets (or, with null, removes) the {@link CollectionsWriteHook}. */
    public void collectionsWriteHook(CollectionsWriteHook hook) {
        this.collectionsWriteHook = hook;
    }

    /** sObject Collections writes answered with 200 since the start. */
    public int collectionsWritesAnswered() {
        return collectionsWritesAnswered.get();
    }

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
        auth = new SandboxAuth(settings, clock, json, faults, this::baseUrl);
        usage = new ApiUsage(settings.dailyApiBudget(), clock);
        query = new QueryResource(new SoqlEngine(org));
        sobjects = new SObjectResource(org, store, bodies);
        collections = new CollectionsResource(org, bodies);
        composite = new CompositeResource(org, bodies, this::route);
        admin = new SandboxAdmin(settings, json, bodies, auth, usage, faults, org, store);
        soap = new SoapEndpoint(auth, usage, faults, org);
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

    /**
     * Restricts every data call to what this permission set grants (object and field permissions, View All / Modify All,
     * ViewSetup for /limits), as for an integration user who has only it; null lifts the restriction.
     */
    public void restrictTo(java.nio.file.Path permissionSet) {
        org.restrictTo(permissionSet == null ? null : IntegrationAccess.load(permissionSet));
        log.info("Salesforce sandbox: integration user's permissions {}", permissionSet == null ? "unrestricted" : "from " + permissionSet);
    }

    /** Expires every issued token now (the next API call answers 401 INVALID_SESSION_ID). */
    public void expireTokens() {
        auth.expireAll();
    }

    // --- HTTP plumbing ----------------------------------------------------------------------------------------------

    private void handle(HttpExchange exchange) throws IOException {
        Response response;
        boolean dataApi = false;
        boolean collectionsWrite = false;
        try {
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod().toUpperCase();
            Map<String, String> query = SandboxHttp.parseForm(exchange.getRequestURI().getRawQuery());
            if (method.equals("POST") && query.containsKey("_HttpMethod")) {
                method = query.get("_HttpMethod").toUpperCase();
            }
            if (path.startsWith("/sandbox/admin")) {
                response = admin.serve(exchange, method, path);
            } else if (path.startsWith("/services/Soap/u/") && !faults.unavailable()) {
                soap.serve(exchange);
                return;
            } else {
                long latency = faults.latency().toMillis();
                if (latency > 0) {
                    Thread.sleep(latency);
                }
                collectionsWrite = (method.equals("POST") || method.equals("PATCH")) && COLLECTIONS_WRITE.matcher(path).matches();
                CollectionsWriteHook hook = collectionsWriteHook;
                if (collectionsWrite && hook != null && !hook.beforeWrite(path, collectionsWritesAnswered.get())) {
                    response = Response.error(503, SfError.of("SERVER_UNAVAILABLE", "Server temporarily unavailable, please retry later"));
                } else if (path.startsWith("/services/") && faults.unavailable()) {
                    response = Response.error(503, SfError.of("SERVER_UNAVAILABLE", "Server temporarily unavailable, please retry later"));
                } else if (path.equals("/services/oauth2/token")) {
                    response = auth.token(exchange, method);
                } else if (path.equals("/services/oauth2/revoke")) {
                    response = auth.revoke(exchange, query);
                } else if (path.equals("/services/data") || path.equals("/services/data/")) {
                    response = Response.of(200, versions());
                } else {
                    Matcher m = SandboxHttp.DATA_PATH.matcher(path);
                    if (!m.matches()) {
                        response = Response.error(404, SfError.of("NOT_FOUND", "The requested resource does not exist"));
                    } else {
                        dataApi = true;
                        response = dataApi(exchange, method, m.group(1), m.group(2) == null ? "" : m.group(2), query);
                    }
                }
            }
        } catch (SandboxApiException e) {
            response = Response.error(e.status, e.errors.toArray(SfError[]::new));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            response = Response.error(503, SfError.of("SERVER_UNAVAILABLE", "shutting down"));
        } catch (RuntimeException e) {
            // The path only: a query string is SOQL with handles or loyalty numbers in it; the details at DEBUG.
            log.warn("Salesforce sandbox: {} {} failed: {}", exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    e.getClass().getName());
            log.debug("Salesforce sandbox: {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            response = Response.error(500, SfError.of("UNKNOWN_EXCEPTION", "An unexpected error occurred: " + e.getMessage()));
        }
        if (collectionsWrite && response.status() == 200) {
            collectionsWritesAnswered.incrementAndGet(); // before the answer leaves: the caller's next call sees it counted
        }
        byte[] bytes = response.body() == null ? new byte[0] : json.writeValueAsBytes(response.body());
        exchange.getResponseHeaders().set("Content-Type", "application/json;charset=UTF-8");
        if (dataApi) {
            exchange.getResponseHeaders().set("Sforce-Limit-Info", "api-usage=" + usage.used() + "/" + settings.dailyApiBudget());
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

    // --- REST data API ----------------------------------------------------------------------------------------------

    private Response dataApi(HttpExchange exchange, String method, String version, String rest, Map<String, String> query)
            throws IOException {
        if (!auth.authorised(exchange)) {
            return Response.error(401, SfError.of("INVALID_SESSION_ID", "Session expired or invalid"));
        }
        if (faults.requestLimitExceeded() || !usage.count()) {
            return Response.error(403, SfError.of("REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded."));
        }
        org.runAsAdmin(auth.admin(exchange));
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
                    return Response.error(403, SfError.of("INSUFFICIENT_ACCESS",
                            "insufficient access rights: /limits needs the View Setup and Configuration permission (ViewSetup)"));
                }
                return Response.of(200, usage.limits());
            }
            case "query", "queryAll" -> {
                if (parts.size() == 1) {
                    return this.query.query(exchange, version, query.get("q"), head.equals("queryAll"));
                }
                return this.query.queryMore(parts.get(1), version);
            }
            case "sobjects" -> {
                return sobjects.serve(exchange, method, version, parts.subList(1, parts.size()), query);
            }
            case "composite" -> {
                if (parts.size() == 2 && parts.get(1).equals("sobjects") && method.equals("DELETE")) {
                    return collections.delete(query);
                }
                if (parts.size() >= 2 && parts.get(1).equals("sobjects")) {
                    return collections.write(exchange, method, parts.subList(2, parts.size()));
                }
                if (parts.size() == 1) {
                    if (!method.equals("POST")) {
                        return SandboxHttp.methodNotAllowed(method);
                    }
                    if (bodies.inSubrequest()) {
                        throw SandboxApiException.badRequest("INVALID_BATCH_REQUEST", "A composite request cannot contain a composite request");
                    }
                    return composite.serve(exchange, version);
                }
                throw SandboxApiException.notFound();
            }
            default -> throw SandboxApiException.notFound();
        }
    }
}
