package io.hearth.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.apache.activemq.artemis.core.config.impl.FileConfiguration;
import org.apache.activemq.artemis.core.config.FileDeploymentManager;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.junit.jupiter.api.Test;

/**
 * The shipped external broker configuration ({@code docker/artemis/broker.xml}) as Artemis itself reads it (schema
 * validation included): its memory bound is set and below the broker's heap, and every Hearth address pages when
 * the bound is reached instead of blocking producers or dropping messages (issue 14 item 4, the external side).
 */
class ExternalBrokerXmlTest {

    @Test
    void theExternalBrokerHasABoundedGlobalMaxSizeAndPagesEveryHearthAddress() throws Exception {
        FileConfiguration config = new FileConfiguration();
        FileDeploymentManager deployment = new FileDeploymentManager(Path.of("docker/artemis/broker.xml").toUri().toString());
        deployment.addDeployable(config);
        deployment.readConfiguration();

        assertThat(config.getGlobalMaxSizePercentOfJvmMaxMemory()).as("global-max-size-percent-of-jvm-max-memory").isEqualTo(50);
        assertThat(config.getGlobalMaxSize()).as("the bound in bytes, in this JVM")
                .isPositive().isLessThan(Runtime.getRuntime().maxMemory());
        for (String stage : StageQueues.STAGES) {
            for (String address : new String[] {stage, StageQueues.deadLetterQueueOf(stage)}) {
                AddressSettings settings = matching(config, address);
                assertThat(settings.getAddressFullMessagePolicy()).as(address).isEqualTo(AddressFullMessagePolicy.PAGE);
            }
        }
    }

    /** The settings Artemis applies to an address: the most specific match merged over the wider ones. */
    private static AddressSettings matching(FileConfiguration config, String address) {
        AddressSettings merged = new AddressSettings();
        config.getAddressSettings().entrySet().stream()
                .filter(e -> e.getKey().equals(address) || e.getKey().equals("#")
                        || e.getKey().endsWith(".#") && address.startsWith(e.getKey().substring(0, e.getKey().length() - 1)))
                .sorted((a, b) -> Integer.compare(b.getKey().length(), a.getKey().length())) // most specific first
                .forEach(e -> merged.merge(e.getValue()));
        return merged;
    }
}
