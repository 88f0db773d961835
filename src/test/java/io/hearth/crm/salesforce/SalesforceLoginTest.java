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
 * camel-salesforce, configured by {@link SalesforceConfiguration} from hearth.salesforce.* alone, logs in to the
 * sandbox over real HTTP (client credentials, username-password, JWT bearer) and runs SOQL; lazy login lets it start
 * while the org is unreachable.
 */
class SalesforceLoginTest {

    @TempDir
    static Path dir;
    static SalesforceSandbox sandbox;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void startSandbox() throws Exception {
        sandbox = new SalesforceSandbox(SandboxSettings.defaults(dir.resolve("sandbox"), Path.of("salesforce"))
                .withPort(freePort()).withSeed(Path.of("config/sandbox-seed.json").toAbsolutePath())).start();
    }

    @AfterAll
    static void stopSandbox() {
        sandbox.close();
    }

    static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static SalesforceSettings settings(Map<String, Object> properties) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return SalesforceSettings.from(env);
    }

    static JsonNode query(SalesforceSettings settings, String soql) throws Exception {
        SalesforceComponent component = new SalesforceConfiguration().salesforceComponent(settings, TEN_S, MINUTE);
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addComponent("salesforce", component);
            camel.start();
            ProducerTemplate producer = camel.createProducerTemplate();
            String body = producer.requestBody("salesforce:query?rawPayload=true", soql, String.class);
            return JSON.readTree(body);
        }
    }

    @Test
    void sandboxModeLogsInWithClientCredentialsAndRunsSoql() throws Exception {
        SalesforceSettings settings = settings(Map.of("hearth.sandbox.port", sandbox.port()));
        assertThat(settings.sandboxMode()).isTrue();
        assertThat(settings.loginUrl()).isEqualTo("http://127.0.0.1:" + sandbox.port());
        assertThat(settings.authType()).isEqualTo("CLIENT_CREDENTIALS");
        JsonNode page = query(settings, "SELECT Handle__c, Contact__r.Social_Consent__c FROM Social_Identity__c WHERE Channel__c = 'x'");
        assertThat(page.get("totalSize").asInt()).isGreaterThan(0);
        assertThat(page.get("records").get(0).has("Contact__r")).isTrue();
    }

    @Test
    void usernamePasswordLogin() throws Exception {
        SalesforceSettings settings = settings(Map.of("hearth.salesforce.client-id", "sandbox",
                "hearth.salesforce.client-secret", "sandbox", "hearth.salesforce.auth-type", "username-password",
                "hearth.salesforce.username", "hearth@example.com", "hearth.salesforce.password", "pw",
                "hearth.salesforce.login-url", sandbox.baseUrl() + "/"));
        assertThat(settings.sandboxMode()).isFalse();
        assertThat(settings.loginUrl()).isEqualTo(sandbox.baseUrl());
        assertThat(query(settings, "SELECT COUNT() FROM Contact").get("totalSize").asInt()).isEqualTo(30);
    }

    @Test
    void jwtBearerLogin() throws Exception {
        Path keystore = dir.resolve("hearth-jwt.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "hearth", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=hearth",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", keystore.toString(), "-storepass", "changeit",
                "-keypass", "changeit").redirectErrorStream(true).start();
        assertThat(keytool.waitFor()).isZero();
        SalesforceSettings settings = settings(Map.of("hearth.salesforce.client-id", "sandbox",
                "hearth.salesforce.auth-type", "JWT", "hearth.salesforce.username", "hearth@example.com",
                "hearth.salesforce.jwt.keystore", "file:" + keystore, "hearth.salesforce.jwt.keystore-password", "changeit",
                "hearth.salesforce.login-url", sandbox.baseUrl()));
        assertThat(query(settings, "SELECT COUNT() FROM Contact").get("totalSize").asInt()).isEqualTo(30);
    }

    @Test
    void lazyLoginStartsWhileTheOrgIsDownAndFailsOnlyOnUse() throws Exception {
        int closed = freePort();
        SalesforceSettings settings = settings(Map.of("hearth.salesforce.client-id", "real-client",
                "hearth.salesforce.client-secret", "s3cret", "hearth.salesforce.login-url", "http://127.0.0.1:" + closed));
        assertThat(settings.lazyLogin()).isTrue();
        assertThat(settings.toString()).doesNotContain("s3cret");
        SalesforceComponent component = new SalesforceConfiguration().salesforceComponent(settings, TEN_S, MINUTE);
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.addComponent("salesforce", component);
            camel.start();   // no login yet
            assertThat(camel.isStarted()).isTrue();
            ProducerTemplate producer = camel.createProducerTemplate();
            assertThatThrownBy(() -> producer.requestBody("salesforce:query?rawPayload=true", "SELECT Id FROM Contact", String.class))
                    .isInstanceOf(CamelExecutionException.class);
        }
    }

    @Test
    void productionDefaults() {
        // (client credentials need a My Domain login URL: SalesforceLoginUrlTest; the other flows default to login.salesforce.com)
        SalesforceSettings settings = settings(Map.of("hearth.salesforce.client-id", "3MVGreal",
                "hearth.salesforce.client-secret", "x", "hearth.salesforce.auth-type", "USERNAME_PASSWORD"));
        assertThat(settings.loginUrl()).isEqualTo(SalesforceSettings.DEFAULT_LOGIN_URL);
        assertThat(settings.clientId()).isEqualTo("3MVGreal");
        assertThat(settings.apiVersion()).isEqualTo("62.0");
        assertThatThrownBy(() -> new SalesforceConfiguration().salesforceComponent(settings(Map.of(
                "hearth.salesforce.client-id", "3MVGreal", "hearth.salesforce.auth-type", "USERNAME_PASSWORD",
                "hearth.salesforce.client-secret", "x")), TEN_S, MINUTE)).hasMessageContaining("hearth.salesforce.username");
    }

    @Test
    void everySalesforceCallIsBoundedByTimeouts() {
        // issue 18: a Salesforce that stops answering fails the call instead of hanging the writer or a job
        SalesforceSettings settings = settings(Map.of("hearth.salesforce.client-id", "3MVGreal", "hearth.salesforce.client-secret", "x",
                "hearth.salesforce.login-url", "https://acme.my.salesforce.com"));
        SalesforceComponent component = new SalesforceConfiguration().salesforceComponent(settings, java.time.Duration.ofSeconds(3),
                java.time.Duration.ofSeconds(45));
        assertThat(component.getHttpClientConnectionTimeout()).isEqualTo(3_000);
        assertThat(component.getHttpRequestTimeout()).isEqualTo(45_000);
        assertThatThrownBy(() -> new SalesforceConfiguration().salesforceComponent(settings, TEN_S, java.time.Duration.ZERO))
                .hasMessageContaining("hearth.salesforce.request-timeout must be a positive duration");
    }

    static final java.time.Duration TEN_S = java.time.Duration.ofSeconds(10);
    static final java.time.Duration MINUTE = java.time.Duration.ofSeconds(60);
}
