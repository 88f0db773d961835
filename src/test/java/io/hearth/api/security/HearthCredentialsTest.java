package io.hearth.api.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

import io.hearth.api.ApiKey;
import io.hearth.config.HearthConfigurationException;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/** Which credentials carry which roles; configuration errors name the setting. */
class HearthCredentialsTest {

    static final String ADMIN = "hk_admin_2f9c1e7a4b8d";
    static final String OPERATOR = "hk_operator_9a61b3f5";
    static final String VIEWER = "hk_viewer_d7e8a9c0aa";

    final HearthCredentials credentials = new HearthCredentials(new ApiKey(ADMIN), new SecuritySettings(OPERATOR, VIEWER),
            new ManagementSettings("scraper", "scrape-pw"));

    @Test
    void eachKeyCarriesItsRoles() {
        assertThat(roles("Bearer " + ADMIN)).containsExactlyInAnyOrder("ROLE_OPERATOR", "ROLE_VIEWER", "ROLE_INGEST");
        assertThat(roles("Bearer " + OPERATOR)).containsExactlyInAnyOrder("ROLE_OPERATOR", "ROLE_VIEWER");
        assertThat(roles("Bearer " + VIEWER)).containsExactly("ROLE_VIEWER");
        assertThat(roles(basic("scraper", "scrape-pw"))).containsExactly("ROLE_VIEWER");
        assertThat(roles("bearer   " + OPERATOR + "  ")).as("scheme in any case, blanks around the key")
                .containsExactlyInAnyOrder("ROLE_OPERATOR", "ROLE_VIEWER");
        assertThat(credentials.authenticate(new HearthCredentials.HeaderToken("Bearer " + VIEWER)).getName()).isEqualTo("viewer");
    }

    @Test
    void wrongOrMisplacedCredentialsAreRefused() {
        for (String header : List.of("Bearer wrong", "Bearer " + ADMIN + "x", "Bearer " + ADMIN.toUpperCase(), ADMIN,
                "Basic " + ADMIN, "Bearer", "Bearer ", "", basic("scraper", "wrong"), basic("other", "scrape-pw"),
                "Bearer " + Base64.getEncoder().encodeToString("scraper:scrape-pw".getBytes(StandardCharsets.UTF_8)),
                "Basic !!notbase64", "Token " + ADMIN)) {
            assertThatThrownBy(() -> credentials.authenticate(new HearthCredentials.HeaderToken(header)))
                    .as(header).isInstanceOf(BadCredentialsException.class);
        }
    }

    @Test
    void withoutRoleKeysOnlyTheApiKeyAndNoBasic() {
        HearthCredentials bare = new HearthCredentials(new ApiKey(ADMIN), new SecuritySettings(null, " "),
                new ManagementSettings("", ""));
        assertThat(bare.names()).containsExactly("api-key");
        assertThatThrownBy(() -> bare.authenticate(new HearthCredentials.HeaderToken("Bearer " + VIEWER)))
                .isInstanceOf(BadCredentialsException.class);
    }

    @Test
    void aManagementUserWithoutPasswordIsAStartupError() {
        assertThatThrownBy(() -> new HearthCredentials(new ApiKey("k"), new SecuritySettings(null, null),
                new ManagementSettings("scraper", "")))
                .isInstanceOf(HearthConfigurationException.class).hasMessageContaining("hearth.management.password");
    }

    @Test
    void aKeyUsedForTwoRolesIsAStartupError() {
        assertThatThrownBy(() -> new HearthCredentials(new ApiKey(ADMIN), new SecuritySettings(ADMIN, null), null))
                .isInstanceOf(HearthConfigurationException.class).hasMessageContaining("hearth.security.operator-key")
                .hasMessageContaining("hearth.api-key");
        assertThatThrownBy(() -> new HearthCredentials(new ApiKey(ADMIN), new SecuritySettings(OPERATOR, OPERATOR), null))
                .isInstanceOf(HearthConfigurationException.class).hasMessageContaining("hearth.security.viewer-key");
    }

    @Test
    void theTokenNeverShowsTheHeader() {
        assertThat(new HearthCredentials.HeaderToken("Bearer " + ADMIN).toString()).doesNotContain(ADMIN);
    }

    private List<String> roles(String header) {
        Authentication a = credentials.authenticate(new HearthCredentials.HeaderToken(header));
        assertThat(a.isAuthenticated()).isTrue();
        return a.getAuthorities().stream().map(GrantedAuthority::getAuthority).toList();
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
