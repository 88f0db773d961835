package io.hearth.queue;

import static java.lang.Boolean.TRUE;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import io.hearth.config.HearthProperties;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.FileDeploymentManager;
import org.apache.activemq.artemis.core.config.impl.FileConfiguration;
import org.apache.activemq.artemis.core.settings.impl.AddressFullMessagePolicy;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.core.settings.impl.HierarchicalObjectRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.FileSystemResource;

/**
 * The shipped external broker configuration ({@code docker/artemis/broker.xml}) as Artemis itself reads it (schema
 * validation included), against what the hub gives its embedded broker ({@link BrokerConfiguration#brokerConfiguration},
 * with the redelivery settings of the shipped {@code config/application.yml}): the hub declares nothing on an external
 * broker, so broker.xml must hold every stage queue of {@link StageQueues#STAGES}, its DLQ, and the same effective
 * address settings (dead-letter and expiry address, delivery attempts, redelivery delay, PAGE, group rebalancing, ...).
 * Its memory bound is set and below the broker's heap (issue 14 item 4, the external side).
 */
class ExternalBrokerXmlTest {

    /**
     * Address settings broker.xml's catch-all ({@code #}) sets for every address, which the embedded broker leaves at
     * Artemis's defaults. None of them changes how a stage queue delivers, dead-letters, expires or pages; the
     * auto-create ones matter only for addresses nobody declared (broker.xml declares every Hearth queue).
     */
    static final Set<String> MAY_DIFFER = Set.of("isAutoCreateQueues", "isAutoCreateAddresses",
            "getMessageCounterHistoryDayLimit");
    /** Getters of AddressSettings that are no setting (getEncodeSize throws: the journal encoding is JSON now). */
    static final Set<String> NOT_SETTINGS = Set.of("getEncodeSize");

    @TempDir
    Path dir;

    @Test
    void theExternalBrokerHasABoundedGlobalMaxSizeAndPagesEveryHearthAddress() throws Exception {
        FileConfiguration config = externalBroker();

        assertThat(config.getGlobalMaxSizePercentOfJvmMaxMemory()).as("global-max-size-percent-of-jvm-max-memory").isEqualTo(50);
        assertThat(config.getGlobalMaxSize()).as("the bound in bytes, in this JVM")
                .isPositive().isLessThan(Runtime.getRuntime().maxMemory());
        for (String address : StageQueues.all()) {
            assertThat(effective(config, address).getAddressFullMessagePolicy()).as(address)
                    .isEqualTo(AddressFullMessagePolicy.PAGE);
        }
    }

    @Test
    void everyStageQueueAndItsDeadLetterQueueIsDeclaredAsTheEmbeddedBrokerDeclaresIt() throws Exception {
        FileConfiguration external = externalBroker();
        Configuration embedded = embeddedBroker();

        for (String queue : StageQueues.all()) {
            QueueConfiguration expected = declared(embedded, queue)
                    .orElseThrow(() -> new AssertionError("the embedded broker declares no " + queue));
            Optional<QueueConfiguration> declared = declared(external, queue);
            assertThat(declared).as("broker.xml <address name=\"%s\"> with its <queue name=\"%s\">", queue, queue).isPresent();
            QueueConfiguration actual = declared.get();
            assertThat(actual.getRoutingType()).as(queue + " routing type").isEqualTo(RoutingType.ANYCAST)
                    .isEqualTo(expected.getRoutingType());
            assertThat(actual.isDurable() == null || actual.isDurable()).as(queue + " durable").isTrue();
            // unset is false, for both
            assertThat(TRUE.equals(actual.isGroupRebalance())).as(queue + " group-rebalance")
                    .isEqualTo(TRUE.equals(expected.isGroupRebalance()));
            assertThat(TRUE.equals(actual.isGroupRebalancePauseDispatch())).as(queue + " group-rebalance-pause-dispatch")
                    .isEqualTo(TRUE.equals(expected.isGroupRebalancePauseDispatch()));
        }
    }

    @Test
    void everyStageQueueAndItsDeadLetterQueueHasTheEmbeddedBrokersAddressSettings() throws Exception {
        FileConfiguration external = externalBroker();
        Configuration embedded = embeddedBroker();

        Map<String, String> differences = new TreeMap<>();
        for (String address : StageQueues.all()) {
            AddressSettings expected = effective(embedded, address);
            AddressSettings actual = effective(external, address);
            for (Method getter : getters()) {
                Object want = invoke(getter, expected);
                Object got = invoke(getter, actual);
                if (!Objects.equals(String.valueOf(want), String.valueOf(got))) {
                    differences.put(address + " " + getter.getName(), "broker.xml " + got + ", embedded " + want);
                }
            }
        }
        assertThat(differences).as("effective address settings broker.xml vs the embedded broker").isEmpty();
    }

    @Test
    void theComparisonSeesWhatItCompares() throws Exception {
        // The checks above would pass vacuously if the getters found nothing or the stages were not all there.
        assertThat(getters()).extracting(Method::getName).contains("getDeadLetterAddress", "getExpiryAddress",
                "getMaxDeliveryAttempts", "getRedeliveryDelay", "getAddressFullMessagePolicy", "isDefaultGroupRebalance",
                "isDefaultGroupRebalancePauseDispatch");
        assertThat(StageQueues.all()).contains("service.replies", "DLQ.service.replies", "rewards.triggers",
                "DLQ.rewards.triggers");
        Configuration embedded = embeddedBroker();
        AddressSettings stage = effective(embedded, StageQueues.MENTIONS);
        assertThat(stage.getMaxDeliveryAttempts()).as("from config/application.yml").isEqualTo(10);
        assertThat(stage.getRedeliveryDelay()).as("from config/application.yml").isEqualTo(1000);
        assertThat(String.valueOf(stage.getDeadLetterAddress())).isEqualTo("DLQ.social.mentions");
        // group rebalancing is off on every stage (StageQueues.GROUPED empty, docs/scaling.md): the flags compared are false
        assertThat(stage.isDefaultGroupRebalance()).as("no stage rebalances its groups").isFalse();
        assertThat(declared(embedded, StageQueues.MENTIONS).orElseThrow().isGroupRebalance())
                .as("the embedded broker's declared social.mentions").isNotEqualTo(TRUE);
        AddressSettings other = new AddressSettings().setRedeliveryDelay(999);
        assertThat(getters().stream().filter(g -> !Objects.equals(invoke(g, stage), invoke(g, other))))
                .as("a differing redelivery delay is a difference").isNotEmpty();
    }

    /** The hub's embedded broker configuration with the shipped application.yml's settings (nothing is started). */
    private Configuration embeddedBroker() throws Exception {
        StandardEnvironment environment = new StandardEnvironment();
        // only the shipped file: no HEARTH_* variable of this machine may change what is compared
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        environment.getPropertySources().remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        try {
            new YamlPropertySourceLoader().load("application.yml", new FileSystemResource("config/application.yml"))
                    .forEach(source -> environment.getPropertySources().addLast(source));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        HearthProperties properties = Binder.get(environment).bind("hearth", HearthProperties.class).get();
        return BrokerConfiguration.brokerConfiguration(properties, dir.resolve("broker"), 9_998);
    }

    private static FileConfiguration externalBroker() throws Exception {
        FileConfiguration config = new FileConfiguration();
        FileDeploymentManager deployment = new FileDeploymentManager(Path.of("docker/artemis/broker.xml").toUri().toString());
        deployment.addDeployable(config);
        deployment.readConfiguration();
        return config;
    }

    /** The settings Artemis applies to an address: its own matching and merging, as the server builds it. */
    private static AddressSettings effective(Configuration config, String address) {
        HierarchicalObjectRepository<AddressSettings> repository =
                new HierarchicalObjectRepository<>(config.getWildcardConfiguration());
        repository.setDefault(new AddressSettings());
        config.getAddressSettings().forEach((match, settings) -> repository.addMatch(match, settings, true));
        return repository.getMatch(address);
    }

    /** The queue of that name declared in the address of that name. */
    private static Optional<QueueConfiguration> declared(Configuration config, String name) {
        return config.getAddressConfigurations().stream().filter(a -> a.getName().equals(name))
                .flatMap(a -> a.getQueueConfigs().stream())
                .filter(q -> String.valueOf(q.getName()).equals(name)).findFirst();
    }

    /** Every public no-argument getter of AddressSettings except those broker.xml's catch-all may set differently. */
    private static List<Method> getters() {
        return Arrays.stream(AddressSettings.class.getMethods())
                .filter(m -> m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers()))
                .filter(m -> m.getDeclaringClass() == AddressSettings.class)
                .filter(m -> m.getName().matches("(get|is)[A-Z].*"))
                .filter(m -> !MAY_DIFFER.contains(m.getName()) && !NOT_SETTINGS.contains(m.getName()))
                .sorted(Comparator.comparing(Method::getName)).toList();
    }

    private static Object invoke(Method getter, AddressSettings settings) {
        try {
            return getter.invoke(settings);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
