package io.hearth.sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

import io.hearth.config.DataPaths;

/**
 * Starts the Salesforce-compatible sandbox in sandbox mode (no {@code hearth.salesforce.client-id}), unless
 * {@code hearth.sandbox.enabled=false}; stops it with the context. Nothing else in the hub refers to it: clients reach
 * it only over HTTP, like a real org.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(SandboxConfiguration.SandboxMode.class)
public class SandboxConfiguration {

    private static final Logger log = LoggerFactory.getLogger(SandboxConfiguration.class);

    static class SandboxMode implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Environment env = context.getEnvironment();
            return env.getProperty("hearth.salesforce.client-id", "").isBlank()
                    && env.getProperty("hearth.sandbox.enabled", Boolean.class, true);
        }
    }

    @Bean(destroyMethod = "close")
    SalesforceSandbox salesforceSandbox(Environment environment, DataPaths paths) throws IOException {
        SalesforceSandbox sandbox = start(environment, paths.root());
        log.info("Sandbox mode: no Salesforce credentials configured, so the hub runs against its built-in Salesforce sandbox at {}."
                + " Try: curl -s -d grant_type=client_credentials -d client_id=sandbox -d client_secret=sandbox {}/services/oauth2/token"
                + " then curl -s -H \"Authorization: Bearer <access_token>\" \"{}/services/data/v62.0/query?q=SELECT+Id,Name+FROM+Contact+LIMIT+5\""
                + " (docs/sandbox.md)", sandbox.baseUrl(), sandbox.baseUrl(), sandbox.baseUrl());
        return sandbox;
    }

    /**
     * Starts a sandbox from {@code hearth.sandbox.*} with its store under {@code <dataRoot>/sandbox} and the configured
     * integration-user permission set; shared by the hub's sandbox mode and the stand-alone sandbox
     * ({@link SandboxOnlyApplication}).
     */
    static SalesforceSandbox start(Environment environment, Path dataRoot) throws IOException {
        SalesforceSandbox sandbox = new SalesforceSandbox(settings(environment, dataRoot)).start();
        String permissionSet = environment.getProperty("hearth.sandbox.integration-user.permission-set", "").strip();
        if (!permissionSet.isEmpty()) {
            Path file = Path.of(permissionSet).toAbsolutePath().normalize();
            if (!java.nio.file.Files.isRegularFile(file)) {
                sandbox.close();
                throw new io.hearth.config.HearthConfigurationException("hearth.sandbox.integration-user.permission-set",
                        "no permission set file at " + file + " (HEARTH_SANDBOX_PERMISSION_SET; blank for an unrestricted"
                                + " integration user)");
            }
            sandbox.restrictTo(file);
        }
        return sandbox;
    }

    static SandboxSettings settings(Environment environment, DataPaths paths) {
        return settings(environment, paths.root());
    }

    static SandboxSettings settings(Environment environment, Path dataRoot) {
        Binder binder = Binder.get(environment);
        String prefix = "hearth.sandbox.";
        String seed = binder.bind(prefix + "seed", String.class).orElse("./config/sandbox-seed.json");
        SandboxSettings.Faults faults = new SandboxSettings.Faults(
                binder.bind(prefix + "faults.latency", Duration.class).orElse(Duration.ZERO),
                binder.bind(prefix + "faults.unavailable-every", Duration.class).orElse(Duration.ZERO),
                binder.bind(prefix + "faults.unavailable-for", Duration.class).orElse(Duration.ZERO),
                binder.bind(prefix + "faults.request-limit-exceeded", Boolean.class).orElse(false),
                binder.bind(prefix + "faults.lock-row-rate", Double.class).orElse(0.0));
        return new SandboxSettings(
                binder.bind(prefix + "port", Integer.class).orElse(8089),
                binder.bind(prefix + "host", String.class).orElse("127.0.0.1"),
                binder.bind(prefix + "client-id", String.class).orElse("sandbox"),
                binder.bind(prefix + "client-secret", String.class).orElse("sandbox"),
                binder.bind(prefix + "token-ttl", Duration.class).orElse(Duration.ofHours(2)),
                dataRoot.resolve("sandbox"),
                Path.of(binder.bind(prefix + "metadata-dir", String.class).orElse("./salesforce")).toAbsolutePath().normalize(),
                seed.isBlank() ? null : Path.of(seed).toAbsolutePath().normalize(),
                binder.bind(prefix + "daily-api-budget", Long.class).orElse(15_000L),
                faults);
    }
}
