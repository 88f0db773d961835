package io.hearth.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12: {@code HEARTH_SANDBOX_ONLY=true} runs the hub's main class as the stand-alone Salesforce sandbox only, in a
 * child JVM as {@code java -jar target/hearth.jar} would: it serves Salesforce's OAuth and REST API with the seed and the
 * integration user's permission set, on HEARTH_SANDBOX_PORT, keeps running after main returns, and starts nothing of the
 * hub (no broker journal, no state database, no Camel, no web server).
 */
class SandboxOnlyIT {

    private static final Path PROJECT_ROOT = Path.of(System.getProperty("basedir", System.getProperty("user.dir")))
            .toAbsolutePath().normalize();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path temp;

    @Test
    void runsOnlyTheSandboxOnItsPortWithTheSeed() throws Exception {
        int port = freePort();
        Path dataDir = Files.createDirectories(temp.resolve("data"));
        Path log = temp.resolve("sandbox-only.log");
        Path argFile = temp.resolve("classpath.args");
        Files.writeString(argFile, "-cp\n\"" + classPath().replace("\\", "\\\\") + "\"\n");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "@" + argFile, "io.hearth.HearthApplication")
                .directory(PROJECT_ROOT.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("HEARTH_") || k.startsWith("SPRING_"));
        pb.environment().put("HEARTH_SANDBOX_ONLY", "true");
        pb.environment().put("HEARTH_SANDBOX_PORT", Integer.toString(port));
        pb.environment().put("HEARTH_SANDBOX_SEED", PROJECT_ROOT.resolve("config/sandbox-seed.json").toString());
        pb.environment().put("HEARTH_DATA_DIR", dataDir.toString());
        // a hub's Salesforce credentials in the same environment do not turn the sandbox off
        pb.environment().put("HEARTH_SALESFORCE_CLIENT_ID", "sandbox");
        Process process = pb.start();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            String base = "http://127.0.0.1:" + port;
            String token = awaitToken(http, base, process, log);

            // the seed: 30 contacts; queried as the integration user (permission set enforced)
            HttpResponse<String> query = http.send(HttpRequest.newBuilder(URI.create(base + "/services/data/v62.0/query?q="
                            + URLEncoder.encode("SELECT Id, LastName FROM Contact", StandardCharsets.UTF_8)))
                    .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(query.statusCode()).as(query.body()).isEqualTo(200);
            assertThat(JSON.readTree(query.body()).path("totalSize").asInt()).isEqualTo(30);
            // the integration user's permission set is enforced: consent is read-only for it
            String contactId = JSON.readTree(query.body()).path("records").get(0).path("Id").asText();
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(
                            URI.create(base + "/services/data/v62.0/sobjects/Contact/" + contactId))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"Social_Consent__c\":false}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(400);
            assertThat(refused.body()).contains("INVALID_FIELD_FOR_INSERT_UPDATE");

            // still serving after main() has returned: the thing under test is a window, alive at every look for 1.5 s
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5)).until(process::isAlive);

            // nothing of the hub: only the sandbox's store under the data dir, no Camel, no broker, no web server
            try (Stream<Path> children = Files.list(dataDir)) {
                assertThat(children.map(p -> p.getFileName().toString()).collect(Collectors.toList()))
                        .containsExactly("sandbox");
            }
            String output = Files.readString(log);
            assertThat(output).contains("Stand-alone Salesforce sandbox at " + base)
                    .doesNotContain("Apache Camel").doesNotContain("Tomcat").doesNotContain("Artemis")
                    .doesNotContain("Flyway");
        } finally {
            process.destroy(); // SIGTERM: Spring closes the sandbox's store
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        assertThat(Files.readString(log)).doesNotContain("Exception");
    }

    private static String awaitToken(HttpClient http, String base, Process process, Path log) throws Exception {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            assertThat(process.isAlive()).as(() -> "stand-alone sandbox exited: " + readQuietly(log)).isTrue();
            try {
                HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(base + "/services/oauth2/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&client_id=sandbox&client_secret=sandbox"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
                JsonNode body = JSON.readTree(token.body());
                assertThat(body.path("instance_url").asText()).isEqualTo(base);
                return body.path("access_token").asText();
            } catch (IOException notYet) {
                Thread.sleep(250); // the polling interval of a readiness probe, not a wait for an outcome
            }
        }
        throw new AssertionError("stand-alone sandbox did not answer within 60 s: " + readQuietly(log));
    }

    private static String readQuietly(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static String classPath() {
        String separator = System.getProperty("path.separator");
        List<String> entries = Arrays.stream(System.getProperty("java.class.path").split(separator))
                .filter(entry -> !entry.isBlank())
                .filter(entry -> !Path.of(entry).normalize().endsWith(Path.of("target", "test-classes")))
                .toList();
        return String.join(separator, entries);
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
