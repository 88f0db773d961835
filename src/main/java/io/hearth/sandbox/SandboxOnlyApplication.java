package io.hearth.sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The stand-alone sandbox ({@code HEARTH_SANDBOX_ONLY=true java -jar target/hearth.jar}): only the Salesforce-compatible
 * sandbox, so several hubs can share one CRM in tests and demos. A plain Spring context with no auto-configuration: no
 * web server, broker, Camel, pipeline or state database; the sandbox's own H2 store under {@code <data-dir>/sandbox} is
 * all it keeps. Settings are the hub's {@code hearth.sandbox.*} (port {@code HEARTH_SANDBOX_PORT}, seed
 * {@code HEARTH_SANDBOX_SEED}, integration-user permission set, faults); it runs whatever {@code hearth.salesforce.*}
 * says, since it is the CRM here, not a client of one. Stops with the JVM (SIGTERM: the store is closed cleanly).
 */
// Deliberately not a @Configuration: the hub's component scan covers this package and must not start a second sandbox.
// Registered as the application's source, its @Bean method runs in Spring's "lite" mode.
public class SandboxOnlyApplication {

    /** The environment variable (or system property {@code hearth.sandbox-only}) that selects this mode. */
    public static final String ENV = "HEARTH_SANDBOX_ONLY";

    private static final Logger log = LoggerFactory.getLogger(SandboxOnlyApplication.class);

    /** True when the environment or the system properties ask for the stand-alone sandbox. */
    public static boolean requested(Map<String, String> env) {
        return Boolean.parseBoolean(env.getOrDefault(ENV, "").strip())
                || Boolean.parseBoolean(System.getProperty("hearth.sandbox-only", "").strip());
    }

    public static ConfigurableApplicationContext run(String... args) {
        return new SpringApplicationBuilder(SandboxOnlyApplication.class)
                .web(WebApplicationType.NONE)
                .run(args);
    }

    @Bean(destroyMethod = "close")
    SalesforceSandbox salesforceSandbox(Environment environment) throws IOException {
        Path dataRoot = Path.of(Binder.get(environment).bind("hearth.data-dir", String.class).orElse("./data"))
                .toAbsolutePath().normalize();
        SalesforceSandbox sandbox = SandboxConfiguration.start(environment, dataRoot);
        // Kept alive by the sandbox's HTTP dispatcher (a non-daemon thread) until the JVM is stopped.
        log.info("Stand-alone Salesforce sandbox at {} (store {}); hubs log in with HEARTH_SALESFORCE_LOGIN_URL={}"
                + " HEARTH_SALESFORCE_CLIENT_ID=<hearth.sandbox.client-id> HEARTH_SALESFORCE_CLIENT_SECRET=<its secret>"
                + " (docs/sandbox.md)", sandbox.baseUrl(), dataRoot.resolve("sandbox"), sandbox.baseUrl());
        return sandbox;
    }
}
