package io.hearth.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hearth.config.DataPaths;
import io.hearth.config.HearthProperties;

/** The hub starts the sandbox in sandbox mode (no Salesforce client id), and not when credentials are configured. */
@SpringBootTest(properties = {"server.port=0", "hearth.api-key=hk_sandbox_mode_test_key_0123456789", "hearth.sources.inbox.enabled=false",
        "hearth.sandbox.port=0"})
class SandboxModeIT {

    static Path dataDir;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws Exception {
        dataDir = Files.createTempDirectory("hearth-sandbox-mode");
        registry.add("hearth.data-dir", dataDir::toString);
    }

    @AfterAll
    static void cleanUp() throws Exception {
        FileSystemUtils.deleteRecursively(dataDir);
    }

    @Autowired
    ApplicationContext context;

    @Test
    void theHubStartsTheSeededSandboxInSandboxMode() throws Exception {
        SalesforceSandbox sandbox = context.getBean(SalesforceSandbox.class);
        HttpClient http = io.hearth.support.TestHttp.client();
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(sandbox.baseUrl() + "/services/oauth2/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=sandbox&client_secret=sandbox")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(token.statusCode()).isEqualTo(200);
        ObjectMapper json = new ObjectMapper();
        JsonNode t = json.readTree(token.body());
        HttpResponse<String> count = http.send(HttpRequest.newBuilder(URI.create(t.get("instance_url").asText()
                + "/services/data/v62.0/query?q=SELECT+COUNT()+FROM+Contact"))
                .header("Authorization", "Bearer " + t.get("access_token").asText()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(json.readTree(count.body()).get("totalSize").asInt()).as("the default seed").isEqualTo(30);
        assertThat(Files.exists(dataDir.resolve("sandbox/sandbox.mv.db"))).isTrue();
    }

    @Test
    void noSandboxWhenSalesforceCredentialsAreConfigured() {
        ApplicationContextRunner runner = new ApplicationContextRunner()
                .withBean(HearthProperties.class, HearthProperties::new)
                .withBean(DataPaths.class)
                .withUserConfiguration(SandboxConfiguration.class)
                .withPropertyValues("hearth.sandbox.port=0", "hearth.sandbox.seed=", "hearth.data-dir=" + dataDir.resolve("runner"));
        runner.withPropertyValues("hearth.salesforce.client-id=3MVG9real").run(ctx ->
                assertThat(ctx).doesNotHaveBean(SalesforceSandbox.class));
        runner.withPropertyValues("hearth.sandbox.enabled=false").run(ctx ->
                assertThat(ctx).doesNotHaveBean(SalesforceSandbox.class));
    }
}
