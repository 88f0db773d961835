package io.hearth.api;

import java.security.SecureRandom;
import java.util.HexFormat;

import io.hearth.config.HearthConfigurationException;
import io.hearth.config.HearthProperties;
import io.hearth.config.HearthMode;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The main API key; the rules that use it are in {@link io.hearth.api.security.SecurityConfiguration}. */
@Configuration(proxyBeanMethods = false)
public class ApiConfiguration {

    @Bean
    ApiKey apiKey(HearthProperties properties, HearthMode mode) {
        String key = properties.getApiKey();
        if (key != null && !key.isBlank()) {
            return new ApiKey(key);
        }
        if (!mode.isSandbox()) {
            throw new HearthConfigurationException("hearth.api-key",
                    "is not set; outside sandbox mode the API needs a key (set HEARTH_API_KEY)");
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        String generated = HexFormat.of().formatHex(random);
        // Printed, not logged: log shippers should never see it, the person starting the sandbox must.
        // Sandbox mode only (outside it a missing key is a startup error): this is how its user learns the key.
        System.out.println("Hearth sandbox: no HEARTH_API_KEY set; this run's API key is " + generated);
        return new ApiKey(generated);
    }
}
