package io.hearth.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

class SandboxOAuthTest {

    @TempDir
    Path dir;
    SandboxFixture sf;

    @BeforeEach
    void start() throws Exception {
        sf = new SandboxFixture(dir, s -> s.withTokenTtl(Duration.ofMinutes(30)));
    }

    @AfterEach
    void stop() {
        sf.close();
    }

    @Test
    void clientCredentialsGrantReturnsSalesforceShapedToken() throws Exception {
        SandboxFixture.Reply r = sf.form("/services/oauth2/token", "grant_type", "client_credentials", "client_id", "sandbox",
                "client_secret", "sandbox");
        assertThat(r.status()).isEqualTo(200);
        JsonNode t = r.body();
        assertThat(t.get("access_token").asText()).matches("00D[0-9A-Za-z]{12}![0-9A-Za-z.]+");
        assertThat(t.get("instance_url").asText()).isEqualTo(sf.base());
        assertThat(t.get("id").asText()).startsWith(sf.base() + "/id/00D");
        assertThat(t.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(t.get("issued_at").asText()).isEqualTo(String.valueOf(sf.clock.now.toEpochMilli()));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec("sandbox".getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String expected = Base64.getEncoder().encodeToString(mac.doFinal((t.get("id").asText() + t.get("issued_at").asText())
                .getBytes(StandardCharsets.UTF_8)));
        assertThat(t.get("signature").asText()).isEqualTo(expected);
    }

    @Test
    void passwordGrantAndJwtBearerGrantAreAccepted() throws Exception {
        assertThat(sf.form("/services/oauth2/token", "grant_type", "password", "client_id", "sandbox", "client_secret", "sandbox",
                "username", "hearth@example.com", "password", "pw").status()).isEqualTo(200);
        String claims = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"iss\":\"sandbox\",\"sub\":\"hearth@example.com\",\"aud\":\"https://login.salesforce.com\",\"exp\":"
                        + (sf.clock.now.getEpochSecond() + 300) + "}").getBytes(StandardCharsets.UTF_8));
        SandboxFixture.Reply jwt = sf.form("/services/oauth2/token", "grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer",
                "assertion", "eyJhbGciOiJSUzI1NiJ9." + claims + ".c2ln");
        assertThat(jwt.status()).isEqualTo(200);
        assertThat(jwt.body().has("access_token")).isTrue();
    }

    @Test
    void aJwtBearerAssertionThatIsNotJsonGets400InvalidGrant() throws Exception {
        // the claims part is base64url, but of text that is not JSON, of nothing, of a JSON value that is no object,
        // and not base64url at all: each is a bad assertion (400 invalid_grant), not a dropped connection
        for (String claims : new String[] {
                Base64.getUrlEncoder().withoutPadding().encodeToString("not json".getBytes(StandardCharsets.UTF_8)),
                Base64.getUrlEncoder().withoutPadding().encodeToString("{\"iss\":".getBytes(StandardCharsets.UTF_8)),
                Base64.getUrlEncoder().withoutPadding().encodeToString(" ".getBytes(StandardCharsets.UTF_8)),
                Base64.getUrlEncoder().withoutPadding().encodeToString("[1,2]".getBytes(StandardCharsets.UTF_8)),
                "%%%"}) {
            SandboxFixture.Reply jwt = sf.form("/services/oauth2/token", "grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer",
                    "assertion", "eyJhbGciOiJSUzI1NiJ9." + claims + ".c2ln");
            assertThat(jwt.status()).as(claims).isEqualTo(400);
            assertThat(jwt.body().get("error").asText()).as(claims).isEqualTo("invalid_grant");
            assertThat(jwt.body().get("error_description").asText()).as(claims).isEqualTo("invalid assertion");
        }
    }

    @Test
    void badCredentialsGet400WithOAuthErrorBodies() throws Exception {
        SandboxFixture.Reply secret = sf.form("/services/oauth2/token", "grant_type", "client_credentials", "client_id", "sandbox",
                "client_secret", "wrong");
        assertThat(secret.status()).isEqualTo(400);
        assertThat(secret.body().get("error").asText()).isEqualTo("invalid_client");
        assertThat(secret.body().get("error_description").asText()).isEqualTo("invalid client credentials");
        SandboxFixture.Reply client = sf.form("/services/oauth2/token", "grant_type", "client_credentials", "client_id", "nobody",
                "client_secret", "sandbox");
        assertThat(client.body().get("error").asText()).isEqualTo("invalid_client_id");
        SandboxFixture.Reply password = sf.form("/services/oauth2/token", "grant_type", "password", "client_id", "sandbox",
                "client_secret", "sandbox", "username", "", "password", "");
        assertThat(password.status()).isEqualTo(400);
        assertThat(password.body().get("error").asText()).isEqualTo("invalid_grant");
        assertThat(password.body().get("error_description").asText()).isEqualTo("authentication failure");
        assertThat(sf.form("/services/oauth2/token", "grant_type", "authorization_code").body().get("error").asText())
                .isEqualTo("unsupported_grant_type");
    }

    @Test
    void callsWithoutOrWithAnUnknownTokenGet401InvalidSessionId() throws Exception {
        SandboxFixture.Reply none = sf.get(SandboxFixture.V + "/limits");
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.body()).isEqualTo(SandboxFixture.parse("[{\"message\":\"Session expired or invalid\",\"errorCode\":\"INVALID_SESSION_ID\"}]"));
        sf.token = "00D000000000000!bogus";
        assertThat(sf.get(SandboxFixture.V + "/limits").status()).isEqualTo(401);
    }

    @Test
    void tokensExpireAfterTheConfiguredTtl() throws Exception {
        sf.login();
        assertThat(sf.get(SandboxFixture.V + "/limits").status()).isEqualTo(200);
        sf.clock.advance(Duration.ofMinutes(29));
        assertThat(sf.get(SandboxFixture.V + "/limits").status()).isEqualTo(200);
        sf.clock.advance(Duration.ofMinutes(2));
        SandboxFixture.Reply expired = sf.get(SandboxFixture.V + "/limits");
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.body().get(0).get("errorCode").asText()).isEqualTo("INVALID_SESSION_ID");
        sf.login();
        assertThat(sf.get(SandboxFixture.V + "/limits").status()).as("a new login works again").isEqualTo(200);
    }

    @Test
    void versionsListNeedsNoAuthAndIncludesV62() throws Exception {
        SandboxFixture.Reply r = sf.get("/services/data");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body().isArray()).isTrue();
        assertThat(r.body().findValuesAsText("version")).contains("62.0");
        JsonNode v62 = null;
        for (JsonNode v : r.body()) {
            if (v.get("version").asText().equals("62.0")) {
                v62 = v;
            }
        }
        assertThat(v62.get("url").asText()).isEqualTo("/services/data/v62.0");
        assertThat(v62.get("label").asText()).isEqualTo("Winter '25");
    }
}
