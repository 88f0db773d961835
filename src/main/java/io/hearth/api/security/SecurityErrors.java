package io.hearth.api.security;

import java.io.IOException;

import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * The security layer's answers, as JSON like the rest of the API: 401 {@code unauthorized} (kept from the filters the
 * chain replaced: same bodies and {@code WWW-Authenticate}), 403 {@code forbidden} (valid credentials without the role),
 * 400 {@code rejected_request} (the firewall).
 */
final class SecurityErrors {

    private static final Logger LOG = LoggerFactory.getLogger(SecurityErrors.class);

    private SecurityErrors() {
    }

    static AuthenticationEntryPoint unauthorized() {
        return (request, response, e) -> {
            String path = request.getServletPath();
            boolean management = path.equals("/actuator") || path.startsWith("/actuator/");
            write(response, HttpServletResponse.SC_UNAUTHORIZED, "unauthorized", management
                    ? "send 'Authorization: Bearer <HEARTH_API_KEY>' or the management credentials (HTTP Basic)"
                    : "missing or wrong API key: send 'Authorization: Bearer <HEARTH_API_KEY>'");
        };
    }

    static AccessDeniedHandler forbidden() {
        return (request, response, e) -> write(response, HttpServletResponse.SC_FORBIDDEN, "forbidden",
                "these credentials are valid but lack the role this endpoint needs (docs/security.md)");
    }

    /** The firewall refused the request (not normalised, ';', encoded '/' or '.', '//', a bad header...): 400. */
    static RequestRejectedHandler rejected(MeterRegistry meters) {
        return (request, response, e) -> {
            meters.counter("hearth.http.rejected").increment();
            // The reason names the offending construct, never the whole URL (which may carry a handle).
            LOG.debug("Firewall rejected a {} request: {}", request.getMethod(), e.getMessage());
            write(response, HttpServletResponse.SC_BAD_REQUEST, "rejected_request", "the request was rejected: its path"
                    + " or headers are not in plain, normalised form (no ';', encoded '/' or '.', '//', '..'; docs/security.md)");
        };
    }

    private static void write(HttpServletResponse response, int status, String error, String message) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.setStatus(status);
        if (status == HttpServletResponse.SC_UNAUTHORIZED) {
            response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"hearth\"");
        }
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getWriter().write("{\"error\":\"" + error + "\",\"message\":\"" + message.replace("\"", "\\\"") + "\"}");
    }
}
