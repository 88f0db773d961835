package io.hearth.sandbox;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;

import io.hearth.sandbox.SandboxHttp.Response;

/**
 * The OAuth side of the sandbox: {@code POST /services/oauth2/token} (client credentials, password, refresh token and
 * JWT bearer grants, answered as Salesforce does), {@code /services/oauth2/revoke}, and the issued access tokens with
 * their expiry that every data and SOAP call must present.
 */
final class SandboxAuth {

    static final String ORG_ID = "00DHS0000000001MAA";
    static final String USER_ID = "005HS0000000001AAA";

    private final SandboxSettings settings;
    private final Clock clock;
    private final ObjectMapper json;
    private final SandboxFaults faults;
    /** The sandbox's own URL, for a token request without a Host header. */
    private final Supplier<String> baseUrl;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Instant> tokens = new ConcurrentHashMap<>();
    /** Tokens of an administrator (password grant as admin@…): never restricted by the integration user's permissions. */
    private final Set<String> adminTokens = ConcurrentHashMap.newKeySet();

    SandboxAuth(SandboxSettings settings, Clock clock, ObjectMapper json, SandboxFaults faults, Supplier<String> baseUrl) {
        this.settings = settings;
        this.clock = clock;
        this.json = json;
        this.faults = faults;
        this.baseUrl = baseUrl;
    }

    Response token(HttpExchange exchange, String method) throws IOException {
        if (!method.equals("POST")) {
            return Response.of(405, null);
        }
        Map<String, String> form = SandboxHttp.parseForm(SandboxHttp.readBody(exchange));
        SandboxHttp.parseForm(exchange.getRequestURI().getRawQuery()).forEach(form::putIfAbsent);
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
        Response refused = switch (grant) {
            case "client_credentials", "password", "refresh_token" -> secretGrant(grant, form, clientId, clientSecret);
            case "urn:ietf:params:oauth:grant-type:jwt-bearer" -> jwtBearer(form.getOrDefault("assertion", ""));
            default -> oauthError("unsupported_grant_type", "grant type not supported");
        };
        if (refused != null) {
            return refused;
        }
        return issue(exchange, grant.equals("password") && form.getOrDefault("username", "").startsWith("admin@"));
    }

    /** The grants with the client secret; null: accepted. */
    private Response secretGrant(String grant, Map<String, String> form, String clientId, String clientSecret) {
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
        return null;
    }

    /** The JWT bearer grant: the assertion's issuer, subject and expiry (its signature is not checked); null: accepted. */
    private Response jwtBearer(String assertion) throws IOException {
        String[] parts = assertion.split("\\.");
        if (parts.length != 3) {
            return oauthError("invalid_grant", "invalid assertion");
        }
        JsonNode claims;
        try {
            claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (IOException | RuntimeException e) {   // not base64url, or not JSON: a bad assertion, not a dropped connection
            return oauthError("invalid_grant", "invalid assertion");
        }
        if (claims == null || !claims.isObject()) {
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
        return null;
    }

    private Response issue(HttpExchange exchange, boolean admin) {
        byte[] raw = new byte[48];
        random.nextBytes(raw);
        String accessToken = ORG_ID.substring(0, 15) + "!" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw).replace('-', '.').replace('_', '.');
        Instant now = clock.instant();
        tokens.put(accessToken, now.plus(settings.tokenTtl()));
        if (admin) {
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

    private String instanceUrl(HttpExchange exchange) {
        String host = exchange.getRequestHeaders().getFirst("Host");
        return host == null || host.isBlank() ? baseUrl.get() : "http://" + host;
    }

    /** {@code /services/oauth2/revoke}: the token (form or query) no longer works. */
    Response revoke(HttpExchange exchange, Map<String, String> query) throws IOException {
        Map<String, String> form = SandboxHttp.parseForm(SandboxHttp.readBody(exchange));
        form.putAll(query);
        if (form.containsKey("token")) {
            tokens.remove(form.get("token"));
        }
        return Response.of(200, null);
    }

    /** The call presents a live token ({@code Bearer} or {@code OAuth}); an expired one is forgotten. */
    boolean authorised(HttpExchange exchange) {
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

    /** The (authorised) call runs as an administrator. */
    boolean admin(HttpExchange exchange) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        return header != null && adminTokens.contains(header.substring(header.indexOf(' ') + 1).strip());
    }

    /** A SOAP SessionHeader's session id is a live token. */
    boolean liveSession(String token) {
        Instant expiry = token == null ? null : tokens.get(token);
        return expiry != null && clock.instant().isBefore(expiry);
    }

    /** Expires every issued token now (the next API call answers 401 INVALID_SESSION_ID). */
    void expireAll() {
        tokens.clear();
    }

    int active() {
        return tokens.size();
    }
}
