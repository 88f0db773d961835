package io.hearth.crm.salesforce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import io.hearth.config.HearthConfigurationException;

/** Issue 16 item 10: client credentials only work at the org's My Domain URL; without one the start stops, no login is tried. */
class SalesforceLoginUrlTest {

    static SalesforceSettings settings(String loginUrl, String authType) {
        Map<String, Object> p = new HashMap<>();
        p.put("hearth.salesforce.client-id", "3MVG9-connected-app");
        p.put("hearth.salesforce.client-secret", "secret");
        p.put("hearth.salesforce.username", "hub@example.com");
        p.put("hearth.salesforce.password", "pw");
        p.put("hearth.salesforce.auth-type", authType);
        if (loginUrl != null) {
            p.put("hearth.salesforce.login-url", loginUrl);
        }
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", p));
        return SalesforceSettings.from(env);
    }

    @Test
    void clientCredentialsWithoutMyDomainStopTheStartWithWhatToSet() {
        for (String url : new String[] {null, "", "https://login.salesforce.com", "https://test.salesforce.com/"}) {
            assertThatThrownBy(() -> settings(url, "CLIENT_CREDENTIALS")).as(String.valueOf(url))
                    .isInstanceOf(HearthConfigurationException.class)
                    .hasMessageContaining("hearth.salesforce.login-url").hasMessageContaining("My Domain")
                    .hasMessageContaining("HEARTH_SALESFORCE_LOGIN_URL");
        }
    }

    @Test
    void aMyDomainUrlIsTakenAndOtherFlowsKeepTheGenericLoginHost() {
        assertThat(settings("https://acme.my.salesforce.com/", "CLIENT_CREDENTIALS").loginUrl()).isEqualTo("https://acme.my.salesforce.com");
        assertThat(settings(null, "USERNAME_PASSWORD").loginUrl()).isEqualTo(SalesforceSettings.DEFAULT_LOGIN_URL);
        // sandbox mode (no client id): the built-in sandbox's own URL
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", Map.of("hearth.sandbox.port", 9999)));
        assertThat(SalesforceSettings.from(env).loginUrl()).isEqualTo("http://127.0.0.1:9999");
    }
}
