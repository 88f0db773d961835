package io.hearth.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.config.HearthConfigurationException;
import org.junit.jupiter.api.Test;

class ManagementCredentialsTest {

    @Test
    void aManagementUserWithoutPasswordIsAStartupError() {
        assertThatThrownBy(() -> new ApiConfiguration().managementAuthFilter(new ApiKey("k"), "scraper", ""))
                .isInstanceOf(HearthConfigurationException.class).hasMessageContaining("hearth.management.password");
        assertThat(new ApiConfiguration().managementAuthFilter(new ApiKey("k"), "", "").getUrlPatterns())
                .containsExactly("/actuator", "/actuator/*");
    }
}
