package io.hearth.api;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.Principal;
import java.util.Base64;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Guards {@code /actuator}: {@code /actuator/health} (and its groups) answers its status to anyone and its details only
 * to an authenticated caller ({@code management.endpoint.health.show-details: when-authorized} sees the principal this
 * filter sets); every other actuator endpoint ({@code prometheus}, {@code info}, …) answers 401 without credentials.
 * Credentials: the API bearer key, or HTTP Basic with the management user and password
 * ({@code hearth.management.user}/{@code password}, e.g. for a Prometheus scrape config), when configured.
 */
public class ManagementAuthFilter extends OncePerRequestFilter {

    private final ApiKey apiKey;
    private final byte[] basic;

    /** @param user management user, blank for none (then only the bearer key is accepted) */
    public ManagementAuthFilter(ApiKey apiKey, String user, String password) {
        this.apiKey = apiKey;
        this.basic = user == null || user.isBlank() ? null
                : ("Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)))
                        .getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return !(path.equals("/actuator") || path.startsWith("/actuator/"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        boolean authenticated = authenticated(request.getHeader(HttpHeaders.AUTHORIZATION));
        boolean health = path.equals("/actuator/health") || path.startsWith("/actuator/health/");
        if (authenticated) {
            chain.doFilter(new Authenticated(request), response);
        } else if (health) {
            chain.doFilter(request, response);
        } else {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"hearth\"");
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            response.getWriter().write("{\"error\":\"unauthorized\",\"message\":\"send 'Authorization: Bearer <HEARTH_API_KEY>'"
                    + " or the management credentials (HTTP Basic)\"}");
        }
    }

    private boolean authenticated(String authorization) {
        if (authorization == null) {
            return false;
        }
        if (apiKey.accepts(authorization)) {
            return true;
        }
        return basic != null && MessageDigest.isEqual(basic, authorization.strip().getBytes(StandardCharsets.UTF_8));
    }

    /** The request as Spring Boot's actuator sees an authenticated one (a principal; no roles needed). */
    private static final class Authenticated extends HttpServletRequestWrapper {
        private static final Principal PRINCIPAL = () -> "hearth-management";

        Authenticated(HttpServletRequest request) {
            super(request);
        }

        @Override
        public Principal getUserPrincipal() {
            return PRINCIPAL;
        }
    }
}
