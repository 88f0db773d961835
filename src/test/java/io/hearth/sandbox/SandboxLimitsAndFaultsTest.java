package io.hearth.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SandboxLimitsAndFaultsTest {

    static final String V = SandboxFixture.V;
    @TempDir
    Path dir;
    SandboxFixture sf;

    @BeforeEach
    void start() throws Exception {
        sf = new SandboxFixture(dir, s -> s.withDailyApiBudget(5)).login();
    }

    @AfterEach
    void stop() {
        sf.close();
    }

    @Test
    void everyCallIsCountedInTheLimitHeaderAndTheBudgetEndsIn403() throws Exception {
        SandboxFixture.Reply first = sf.get(V + "/limits");
        assertThat(first.header("Sforce-Limit-Info")).isEqualTo("api-usage=1/5");
        assertThat(first.body().get("DailyApiRequests").get("Max").asInt()).isEqualTo(5);
        assertThat(first.body().get("DailyApiRequests").get("Remaining").asInt()).isEqualTo(4);
        assertThat(sf.query("SELECT Id FROM Contact").header("Sforce-Limit-Info")).isEqualTo("api-usage=2/5");
        SandboxFixture.Reply err = sf.post(V + "/sobjects/Contact", Map.of());
        assertThat(err.status()).isEqualTo(400);
        assertThat(err.header("Sforce-Limit-Info")).as("failed calls count too").isEqualTo("api-usage=3/5");
        sf.get(V + "/limits");
        sf.get(V + "/limits");
        SandboxFixture.Reply over = sf.get(V + "/limits");
        assertThat(over.status()).isEqualTo(403);
        assertThat(over.body()).isEqualTo(SandboxFixture.parse("[{\"message\":\"TotalRequests Limit exceeded.\",\"errorCode\":\"REQUEST_LIMIT_EXCEEDED\"}]"));
        assertThat(over.header("Sforce-Limit-Info")).isEqualTo("api-usage=5/5");
        sf.clock.advance(Duration.ofDays(1));
        sf.login();
        assertThat(sf.get(V + "/limits").status()).as("a new day, a new budget").isEqualTo(200);
    }

    @Test
    void theAdminEndpointNeedsTheSandboxSecret() throws Exception {
        SandboxFixture.Reply r = sf.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(sf.base() + "/sandbox/admin/faults"))
                .header("Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString("sandbox:wrong".getBytes()))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"unavailableForSeconds\":60}")));
        assertThat(r.status()).isEqualTo(401);
        assertThat(sf.get(V + "/limits").status()).isEqualTo(200);
    }

    @Test
    void unavailableWindowAnswers503UntilItEnds() throws Exception {
        assertThat(sf.admin(Map.of("unavailableForSeconds", 30)).status()).isEqualTo(200);
        SandboxFixture.Reply r = sf.get(V + "/limits");
        assertThat(r.status()).isEqualTo(503);
        assertThat(r.body().get(0).get("errorCode").asText()).isEqualTo("SERVER_UNAVAILABLE");
        assertThat(sf.form("/services/oauth2/token", "grant_type", "client_credentials", "client_id", "sandbox", "client_secret", "sandbox")
                .status()).as("the whole org is down").isEqualTo(503);
        sf.clock.advance(Duration.ofSeconds(31));
        assertThat(sf.get(V + "/limits").status()).isEqualTo(200);
    }

    @Test
    void loginFailsFaultRefusesEveryLoginWithInvalidGrantUntilItEnds() throws Exception {
        sf.admin(Map.of("loginFailsForSeconds", 30));
        SandboxFixture.Reply refused = sf.form("/services/oauth2/token", "grant_type", "client_credentials", "client_id", "sandbox",
                "client_secret", "sandbox");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(refused.body().get("error_description").asText()).isEqualTo("authentication failure");
        assertThat(sf.admin(Map.of()).body().get("loginFails").asBoolean()).isTrue();
        sf.clock.advance(Duration.ofSeconds(31));
        assertThat(sf.form("/services/oauth2/token", "grant_type", "client_credentials", "client_id", "sandbox", "client_secret", "sandbox")
                .status()).isEqualTo(200);
    }

    @Test
    void recordWritesCountEveryWriteOfARecord() throws Exception {
        long before = sf.admin(Map.of()).body().path("recordWrites").path("Contact").asLong(0);
        SandboxFixture.Reply created = sf.post(V + "/sobjects/Contact", Map.of("LastName", "Twice"));
        assertThat(created.status()).isEqualTo(201);
        String id = created.body().get("id").asText();
        assertThat(sf.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(sf.base() + V + "/sobjects/Contact/" + id))
                .header("Authorization", "Bearer " + sf.token).header("Content-Type", "application/json")
                .method("PATCH", java.net.http.HttpRequest.BodyPublishers.ofString("{\"LastName\":\"Twice\"}"))).status()).isEqualTo(204);
        assertThat(sf.admin(Map.of()).body().get("recordWrites").get("Contact").asLong()).as("created, then written again unchanged")
                .isEqualTo(before + 2);
    }

    @Test
    void requestLimitExceededFault() throws Exception {
        sf.admin(Map.of("requestLimitExceeded", true));
        assertThat(sf.get(V + "/limits").body().get(0).get("errorCode").asText()).isEqualTo("REQUEST_LIMIT_EXCEEDED");
        sf.admin(Map.of("requestLimitExceeded", false));
        assertThat(sf.get(V + "/limits").status()).isEqualTo(200);
    }

    @Test
    void unableToLockRowFailsTheNextRecordWrites() throws Exception {
        sf.admin(Map.of("lockRowFailures", 1));
        SandboxFixture.Reply r = sf.post(V + "/composite/sobjects", Map.of("records", List.of(
                Map.of("attributes", Map.of("type", "Contact"), "LastName", "A"),
                Map.of("attributes", Map.of("type", "Contact"), "LastName", "B"))));
        assertThat(r.body().get(0).get("errors").get(0).get("statusCode").asText()).isEqualTo("UNABLE_TO_LOCK_ROW");
        assertThat(r.body().get(0).get("errors").get(0).get("message").asText()).startsWith("unable to obtain exclusive access to this record");
        assertThat(r.body().get(1).get("success").asBoolean()).isTrue();
    }

    @Test
    void expiringAllTokensAndLatency() throws Exception {
        sf.admin(Map.of("expireTokens", true, "latencyMs", 300));
        long start = System.nanoTime();
        SandboxFixture.Reply r = sf.get(V + "/limits");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.body().get(0).get("errorCode").asText()).isEqualTo("INVALID_SESSION_ID");
        sf.admin(Map.of("reset", true));
        sf.login();
        assertThat(sf.get(V + "/limits").status()).isEqualTo(200);
    }

    @Test
    void periodicUnavailableWindowsFromConfiguration() throws Exception {
        sf.close();
        sf = new SandboxFixture(dir.resolve("periodic"), s -> s.withFaults(new SandboxSettings.Faults(Duration.ZERO, Duration.ofMinutes(1),
                Duration.ofSeconds(10), false, 0.0))).login();
        assertThat(sf.get(V + "/limits").status()).isEqualTo(200);
        sf.clock.advance(Duration.ofSeconds(55));
        assertThat(sf.get(V + "/limits").status()).isEqualTo(503);
        sf.clock.advance(Duration.ofSeconds(10));
        assertThat(sf.get(V + "/limits").status()).isEqualTo(200);
    }
}
