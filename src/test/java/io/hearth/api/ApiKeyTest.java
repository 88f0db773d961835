package io.hearth.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ApiKeyTest {

    private static final String KEY = "hk_2f9c1e7a4b8d4e0c9a61b3f5d7e8a9c0";
    private final ApiKey apiKey = new ApiKey(KEY);

    @Test
    void acceptsTheBearerKey() {
        assertThat(apiKey.accepts("Bearer " + KEY)).isTrue();
        assertThat(apiKey.accepts("Bearer " + KEY + "  ")).as("trailing blanks").isTrue();
        assertThat(apiKey.accepts("Bearer   " + KEY)).as("extra blanks after the scheme").isTrue();
    }

    @Test
    void theSchemeIsCaseInsensitive() {
        assertThat(apiKey.accepts("bearer " + KEY)).isTrue();
        assertThat(apiKey.accepts("BEARER " + KEY)).isTrue();
        assertThat(apiKey.accepts("bEaReR " + KEY)).isTrue();
    }

    @Test
    void theKeyItselfIsCaseSensitiveAndExact() {
        assertThat(apiKey.accepts("Bearer " + KEY.toUpperCase())).isFalse();
        assertThat(apiKey.accepts("Bearer " + KEY.substring(0, KEY.length() - 1))).as("prefix").isFalse();
        assertThat(apiKey.accepts("Bearer " + KEY + "x")).as("longer").isFalse();
        assertThat(apiKey.accepts("Bearer wrong")).isFalse();
    }

    @Test
    void refusesMissingOrOtherSchemes() {
        assertThat(apiKey.accepts(null)).isFalse();
        assertThat(apiKey.accepts("")).isFalse();
        assertThat(apiKey.accepts("Bearer")).isFalse();
        assertThat(apiKey.accepts("Bearer ")).isFalse();
        assertThat(apiKey.accepts(KEY)).as("key without scheme").isFalse();
        assertThat(apiKey.accepts("Basic " + KEY)).isFalse();
        assertThat(apiKey.accepts("Token " + KEY)).isFalse();
        assertThat(apiKey.accepts("Bearer" + KEY)).as("no space after the scheme").isFalse();
    }

    @Test
    void aBlankKeyCannotBeConfigured() {
        assertThatThrownBy(() -> new ApiKey(null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ApiKey("  ")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("API key must not be blank");
    }

    @Test
    void neverShowsTheKey() {
        assertThat(apiKey.toString()).doesNotContain(KEY);
    }
}
