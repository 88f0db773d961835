package io.hearth.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.hearth.config.DataPaths;
import io.hearth.config.HearthProperties;
import io.hearth.identity.ContactDirectory;
import io.hearth.identity.DirectorySyncStatus;

/**
 * Sandbox mode (no Salesforce client id): the hub starts the seeded sandbox, and not when credentials are configured;
 * the contact directory job runs by itself on its timer (hearth.directory.*) against it, and the default demo seed lands
 * in the directory. (The directory job's test was DirectorySyncScheduleIT, a second sandbox-mode hub of its own.)
 */
@SpringBootTest(properties = {"server.port=0", "hearth.api-key=hk_sandbox_mode_test_key_0123456789", "hearth.sources.inbox.enabled=false",
        "hearth.directory.enabled=true", "hearth.directory.initial-delay=0", "hearth.directory.sync-interval=500"})
// Its hub lives in a data directory of this class only: closed with the class, before that directory is deleted
// (TestLayersTest)
@org.springframework.test.annotation.DirtiesContext
class SandboxModeIT {

    @org.junit.jupiter.api.io.TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void dataDir(DynamicPropertyRegistry registry) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        registry.add("hearth.data-dir", dataDir::toString);
        registry.add("hearth.sandbox.port", () -> port);
    }

    @Autowired
    ApplicationContext context;
    @Autowired
    DirectorySyncStatus status;
    @Autowired
    ContactDirectory directory;

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

    @Test
    void theDirectoryTimerRunsAFullLoadThenIncrementalSyncs() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            DirectorySyncStatus.Sync last = status.last();
            assertThat(last).as("last error: %s", status.lastError()).isNotNull();
            assertThat(last.full()).as("a later, incremental sync").isFalse();
        });
        assertThat(directory.size()).as("the 60 identities of config/sandbox-seed.json").isEqualTo(60);
        ContactDirectory.Entry anouk = directory.lookup("x", "@Anouk_Vos").orElseThrow();
        assertThat(anouk.verified()).isTrue();
        assertThat(directory.lookup("mastodon", "@AnoukVos@Hachyderm.io")).isPresent();
    }
}
