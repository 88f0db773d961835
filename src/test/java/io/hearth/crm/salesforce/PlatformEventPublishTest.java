package io.hearth.crm.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.salesforce.SalesforceComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.MapPropertySource;
import io.hearth.sandbox.SalesforceSandbox;
import io.hearth.sandbox.SandboxSettings;

/**
 * Publishing the reward trigger platform event as the hub does (camel-salesforce createSObject, raw JSON body) reaches
 * the sandbox as an event: 201 with an id, and the event listed by the sandbox's admin API.
 */
class PlatformEventPublishTest {

    @TempDir
    static Path dir;

    @Test
    void createSObjectOnTheEventPublishesIt() throws Exception {
        SalesforceSandbox sandbox = new SalesforceSandbox(SandboxSettings.defaults(dir.resolve("sandbox"), Path.of("salesforce"))
                .withPort(SalesforceLoginTest.freePort())).start();
        // as for the hub: the integration user has exactly the generated permission set
        sandbox.restrictTo(Path.of("salesforce/force-app/main/default/permissionsets/Hearth_Integration.permissionset-meta.xml"));
        try {
            SalesforceSettings settings = SalesforceLoginTest.settings(Map.of("hearth.sandbox.port", sandbox.port()));
            SalesforceComponent component = new SalesforceConfiguration().salesforceComponent(settings, SalesforceLoginTest.TEN_S, SalesforceLoginTest.MINUTE);
            try (CamelContext camel = new DefaultCamelContext()) {
                camel.addComponent("salesforce", component);
                camel.start();
                ProducerTemplate producer = camel.createProducerTemplate();
                // the body as the hub builds it, from a grant at a clock instant with nanoseconds
                String event = new io.hearth.rules.triggers.RewardTriggers(() -> null, new ObjectMapper()).platformEvent(
                        new io.hearth.rules.triggers.RewardTriggers.Granted("monthly-goodie:003000000000001AAA:2026-12",
                                "monthly-goodie", "003000000000001AAA", "x:1", 0, "hiking-flask",
                                "item hiking-flask for interest #hiking (profile: #hiking)", "mention of the brand on x",
                                java.time.Instant.parse("2026-12-05T22:44:12.123456789Z")));
                org.apache.camel.Exchange done = producer.request("salesforce:createSObject?rawPayload=true", e -> {
                    e.getMessage().setBody(event);
                    e.getMessage().setHeader("sObjectName", "Hearth_Reward__e");
                });
                assertThat(done.getException()).isNull();
                JsonNode result = new ObjectMapper().readTree(done.getMessage().getBody(String.class));
                assertThat(result.get("success").asBoolean()).isTrue();
                assertThat(result.get("id").asText()).startsWith("e00");
                assertThat(sandbox.baseUrl()).isNotBlank();
            }
        } finally {
            sandbox.close();
        }
    }
}
