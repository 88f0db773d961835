package io.hearth;

import io.hearth.sandbox.SandboxOnlyApplication;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.integration.IntegrationAutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Hearth: social channels in, canonical mentions through Artemis stage queues, CRM writes out. */
// spring-integration-jdbc is here for its lock registry only (io.hearth.cluster): no Spring Integration channels/scheduler
@SpringBootApplication(exclude = IntegrationAutoConfiguration.class)
@ConfigurationPropertiesScan
public class HearthApplication {

    public static void main(String[] args) {
        if (SandboxOnlyApplication.requested(System.getenv())) {
            // HEARTH_SANDBOX_ONLY=true: only the Salesforce-compatible sandbox (docs/sandbox.md), no hub
            SandboxOnlyApplication.run(args);
            return;
        }
        SpringApplication.run(HearthApplication.class, args);
    }
}
