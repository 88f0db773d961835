package io.hearth.config;

import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Sandbox mode: no CRM credentials are configured, so the hub runs against its built-in
 * Salesforce-compatible sandbox and may generate what production must be given (the API key).
 */
@Component
public class HearthMode {

    private final boolean sandbox;

    public HearthMode(Environment environment) {
        this.sandbox = environment.getProperty("hearth.salesforce.client-id", "").isBlank();
    }

    public boolean isSandbox() {
        return sandbox;
    }
}
