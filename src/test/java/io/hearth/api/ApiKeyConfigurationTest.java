package io.hearth.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.config.HearthMode;
import io.hearth.config.HearthProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/** Where the API key comes from: configuration, generated in sandbox mode, or a clear startup failure. */
@ExtendWith(OutputCaptureExtension.class)
class ApiKeyConfigurationTest {

    @Configuration
    @EnableConfigurationProperties(HearthProperties.class)
    @Import({ApiConfiguration.class, HearthMode.class})
    static class Wiring {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Wiring.class);

    @Test
    void configuredKeyIsUsedAndNeverPrinted(CapturedOutput output) {
        runner.withPropertyValues("hearth.api-key=configured-key-123").run(context -> {
            assertThat(context.getBean(ApiKey.class).accepts("Bearer configured-key-123")).isTrue();
            assertThat(output.getAll()).doesNotContain("configured-key-123");
        });
    }

    @Test
    void sandboxWithoutKeyGeneratesOneAndPrintsIt(CapturedOutput output) {
        runner.run(context -> {
            String line = output.getOut().lines().filter(l -> l.contains("this run's API key is")).findFirst().orElseThrow();
            String generated = line.substring(line.lastIndexOf(' ') + 1);
            assertThat(generated).hasSize(48);
            assertThat(context.getBean(ApiKey.class).accepts("Bearer " + generated)).isTrue();
        });
    }

    @Test
    void outsideSandboxAMissingKeyStopsStartupNamingTheSetting() {
        runner.withPropertyValues("hearth.salesforce.client-id=real-client").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("hearth.api-key");
        });
    }
}
