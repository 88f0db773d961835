package io.hearth.crm.salesforce;

import java.util.Locale;

import org.springframework.boot.context.properties.bind.Binder;

import io.hearth.config.HearthConfigurationException;
import org.springframework.core.env.Environment;

/**
 * How the hub reaches Salesforce ({@code hearth.salesforce.*}, defaults in config/application.yml, secrets from
 * {@code HEARTH_SALESFORCE_*} environment variables).
 * <p>
 * With no {@code client-id} the hub is in sandbox mode: it logs in with the built-in sandbox's OAuth client
 * ({@code hearth.sandbox.client-id}/{@code client-secret}) at {@code http://127.0.0.1:<hearth.sandbox.port>}. Only
 * properties are read here; nothing refers to the sandbox's code.
 *
 * @param authType       CLIENT_CREDENTIALS (default), USERNAME_PASSWORD, REFRESH_TOKEN or JWT
 * @param loginUrl       the org's My Domain URL (client credentials need it), https://login.salesforce.com or
 *                       https://test.salesforce.com; blank: login.salesforce.com, or the sandbox in sandbox mode
 * @param jwtKeystore    JWT bearer: keystore (PKCS12/JKS file or classpath: resource) with the certificate's key
 * @param apiVersion     REST API version, e.g. 62.0
 * @param lazyLogin      log in on first use, so the hub starts while Salesforce is down
 */
public record SalesforceSettings(String authType, String loginUrl, String clientId, String clientSecret, String username,
                                 String password, String refreshToken, String jwtKeystore, String jwtKeystorePassword,
                                 String jwtKeystoreType, String jwtAudience, String apiVersion, boolean lazyLogin,
                                 boolean sandboxMode) {

    public static final String DEFAULT_LOGIN_URL = "https://login.salesforce.com";

    public static SalesforceSettings from(Environment environment) {
        Binder b = Binder.get(environment);
        String p = "hearth.salesforce.";
        String clientId = b.bind(p + "client-id", String.class).orElse("").trim();
        boolean sandbox = clientId.isEmpty();
        String loginUrl = b.bind(p + "login-url", String.class).orElse("").trim();
        String secret = b.bind(p + "client-secret", String.class).orElse("");
        String authType = b.bind(p + "auth-type", String.class).orElse("CLIENT_CREDENTIALS").trim().toUpperCase(Locale.ROOT)
                .replace('-', '_');
        if (sandbox) {
            // The sandbox's own OAuth client; its port as configured (tests choose a free one and set it).
            clientId = b.bind("hearth.sandbox.client-id", String.class).orElse("sandbox");
            secret = b.bind("hearth.sandbox.client-secret", String.class).orElse("sandbox");
            authType = "CLIENT_CREDENTIALS";
            if (loginUrl.isEmpty()) {
                String host = b.bind("hearth.sandbox.host", String.class).orElse("127.0.0.1");
                if (host.isBlank() || host.equals("0.0.0.0") || host.equals("::")) {
                    host = "127.0.0.1";
                }
                loginUrl = "http://" + host + ":" + b.bind("hearth.sandbox.port", Integer.class).orElse(8089);
            }
        } else if (authType.equals("CLIENT_CREDENTIALS") && !isMyDomain(loginUrl)) {
            // Salesforce's client credentials flow answers only at the org's own My Domain URL: login.salesforce.com and
            // test.salesforce.com refuse it (invalid_grant / "request not supported on this domain"), so do not try them.
            throw new HearthConfigurationException("hearth.salesforce.login-url",
                    (loginUrl.isEmpty() ? "is blank" : "is " + loginUrl) + ", but the client credentials flow only works at the org's"
                            + " My Domain URL: set HEARTH_SALESFORCE_LOGIN_URL to https://<your-domain>.my.salesforce.com (Setup > My"
                            + " Domain; a sandbox org: https://<your-domain>--<sandbox>.sandbox.my.salesforce.com), see salesforce/README.md");
        } else if (loginUrl.isEmpty()) {
            loginUrl = DEFAULT_LOGIN_URL;
        }
        return new SalesforceSettings(authType, stripSlash(loginUrl), clientId, secret,
                b.bind(p + "username", String.class).orElse(""),
                b.bind(p + "password", String.class).orElse(""),
                b.bind(p + "refresh-token", String.class).orElse(""),
                b.bind(p + "jwt.keystore", String.class).orElse(""),
                b.bind(p + "jwt.keystore-password", String.class).orElse(""),
                b.bind(p + "jwt.keystore-type", String.class).orElse("PKCS12"),
                b.bind(p + "jwt.audience", String.class).orElse(""),
                b.bind(p + "api-version", String.class).orElse("62.0"),
                b.bind(p + "lazy-login", Boolean.class).orElse(true),
                sandbox);
    }

    /** An org's own URL, not the generic login hosts (client credentials need it). */
    static boolean isMyDomain(String url) {
        if (url == null || url.isBlank()) {
            return false;
        }
        String host;
        try {
            host = java.net.URI.create(url.strip()).getHost();
        } catch (IllegalArgumentException e) {
            return false;
        }
        return host != null && !host.equalsIgnoreCase("login.salesforce.com") && !host.equalsIgnoreCase("test.salesforce.com");
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** For logs: never the secrets. */
    @Override
    public String toString() {
        return "SalesforceSettings[authType=" + authType + ", loginUrl=" + loginUrl + ", clientId=" + clientId
                + ", username=" + username + ", apiVersion=" + apiVersion + ", lazyLogin=" + lazyLogin
                + ", sandboxMode=" + sandboxMode + "]";
    }
}
