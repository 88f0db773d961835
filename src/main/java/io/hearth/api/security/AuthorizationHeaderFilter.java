package io.hearth.api.security;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates the {@code Authorization} header (bearer key or HTTP Basic) through the {@link AuthenticationManager}
 * ({@link HearthCredentials}). Credentials that do not match leave the request unauthenticated: the authorisation rules
 * of {@link SecurityConfiguration} then answer 401 for anything but the open endpoints, and the health endpoint answers
 * its status without details, as it does to anyone. Spring Security has no bearer-API-key mechanism of its own (its
 * bearer support is the OAuth 2 resource server), so this small filter is the hub's.
 */
final class AuthorizationHeaderFilter extends OncePerRequestFilter {

    private final AuthenticationManager authentication;
    private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

    AuthorizationHeaderFilter(AuthenticationManager authentication) {
        this.authentication = authentication;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String header = request.getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null) {
            try {
                SecurityContext context = contexts.createEmptyContext();
                context.setAuthentication(authentication.authenticate(new HearthCredentials.HeaderToken(header)));
                contexts.setContext(context);
            } catch (AuthenticationException wrong) {
                contexts.clearContext();   // unauthenticated: the rules decide (401, or the open endpoints' answer)
            }
        }
        chain.doFilter(request, response);
    }
}
