package io.hearth.api.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import io.hearth.api.ApiKey;
import io.hearth.config.HearthConfigurationException;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.authority.AuthorityUtils;

/**
 * The hub's credentials and the roles each one carries (docs/security.md), as a Spring Security
 * {@link AuthenticationProvider} for {@link HeaderToken}s (the request's {@code Authorization} header):
 * <ul>
 * <li>{@code Bearer <hearth.api-key>}: OPERATOR, VIEWER, INGEST (the key the hub always had: full access);</li>
 * <li>{@code Bearer <hearth.security.operator-key>}: OPERATOR, VIEWER;</li>
 * <li>{@code Bearer <hearth.security.viewer-key>}: VIEWER;</li>
 * <li>{@code Basic <hearth.management.user:password>}: VIEWER (a Prometheus scraper).</li>
 * </ul>
 * Keys are compared in constant time against every configured credential (no early exit); none is ever logged.
 */
public final class HearthCredentials implements AuthenticationProvider {

    private record Credential(String name, byte[] secret, boolean basic, List<String> roles) {
    }

    /** An {@code Authorization} header value, not yet authenticated. Its {@code toString} never shows it. */
    public static final class HeaderToken extends AbstractAuthenticationToken {
        private final String header;

        public HeaderToken(String header) {
            super(null);
            this.header = header;
            setAuthenticated(false);
        }

        @Override
        public Object getCredentials() {
            return header;
        }

        @Override
        public Object getPrincipal() {
            return "unauthenticated";
        }

        @Override
        public String toString() {
            return "HeaderToken[hidden]";
        }
    }

    private final List<Credential> credentials;

    public HearthCredentials(ApiKey apiKey, SecuritySettings keys, ManagementSettings management) {
        List<Credential> list = new ArrayList<>();
        list.add(new Credential("api-key", apiKey.bytes(), false, List.of(Roles.OPERATOR, Roles.VIEWER, Roles.INGEST)));
        String operator = blankToNull(keys == null ? null : keys.operatorKey());
        String viewer = blankToNull(keys == null ? null : keys.viewerKey());
        if (operator != null) {
            list.add(new Credential("operator", utf8(operator), false, List.of(Roles.OPERATOR, Roles.VIEWER)));
        }
        if (viewer != null) {
            list.add(new Credential("viewer", utf8(viewer), false, List.of(Roles.VIEWER)));
        }
        for (int i = 0; i < list.size(); i++) {
            for (int j = 0; j < i; j++) {
                if (MessageDigest.isEqual(list.get(i).secret(), list.get(j).secret())) {
                    throw new HearthConfigurationException(setting(list.get(i).name()), "must differ from "
                            + setting(list.get(j).name()) + ": each key stands for one role");
                }
            }
        }
        String user = blankToNull(management == null ? null : management.user());
        String password = blankToNull(management == null ? null : management.password());
        if (user != null && password == null) {
            throw new HearthConfigurationException("hearth.management.password",
                    "is not set but hearth.management.user is; set HEARTH_MANAGEMENT_PASSWORD or unset the user");
        }
        if (user != null && user.contains(":")) {
            throw new HearthConfigurationException("hearth.management.user", "must not contain ':' (HTTP Basic)");
        }
        if (user != null) {
            list.add(new Credential("management", utf8(user + ":" + password), true, List.of(Roles.VIEWER)));
        }
        this.credentials = List.copyOf(list);
    }

    /** The configured credentials' names (api-key, operator, viewer, management), for the startup log. */
    public List<String> names() {
        return credentials.stream().map(Credential::name).toList();
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        String header = (String) authentication.getCredentials();
        Credential match = match(header);
        if (match == null) {
            throw new BadCredentialsException("missing or wrong credentials");
        }
        return UsernamePasswordAuthenticationToken.authenticated(match.name(), null,
                AuthorityUtils.createAuthorityList(match.roles().stream().map(r -> "ROLE_" + r).toArray(String[]::new)));
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return HeaderToken.class.isAssignableFrom(authentication);
    }

    /** The credential an Authorization header presents, or null. Scheme case-insensitive, secret exact. */
    Credential match(String header) {
        if (header == null) {
            return null;
        }
        byte[] bearer = secretAfter(header, "bearer ");
        byte[] basic = bearer == null ? basicUserPassword(header) : null;
        if (bearer == null && basic == null) {
            return null;
        }
        Credential found = null;
        for (Credential c : credentials) {   // every credential compared: the time does not tell which one matched
            boolean equal = MessageDigest.isEqual(c.secret(), c.basic() ? (basic == null ? new byte[0] : basic)
                    : (bearer == null ? new byte[0] : bearer));
            if (equal && (c.basic() ? basic != null : bearer != null) && found == null) {
                found = c;
            }
        }
        return found;
    }

    private static byte[] secretAfter(String header, String scheme) {
        if (header.length() <= scheme.length() || !header.regionMatches(true, 0, scheme, 0, scheme.length())) {
            return null;
        }
        String secret = header.substring(scheme.length()).strip();
        return secret.isEmpty() ? null : utf8(secret);
    }

    private static byte[] basicUserPassword(String header) {
        byte[] encoded = secretAfter(header, "basic ");
        if (encoded == null) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(encoded);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String setting(String name) {
        return switch (name) {
            case "api-key" -> "hearth.api-key";
            default -> "hearth.security." + name.toLowerCase(Locale.ROOT) + "-key";
        };
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
