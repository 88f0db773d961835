package io.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;

import io.hearth.config.HearthConfigurationException;

/**
 * The wiring of {@code hearth.cluster.service} (ClusterConfiguration) without a hub: kubernetes gives one cluster service,
 * camel-kubernetes' Lease service built from {@code hearth.cluster.kubernetes.*}, and removes the lock-file service; a
 * wrong Kubernetes setting stops the context with one line naming it; file keeps the lock-file service only.
 */
class ClusterConfigurationTest {

    private static final String PG = "jdbc:postgresql://db:5432/hearth";

    /** Stands for camel-file-cluster-service-starter's bean (camel.cluster.file.enabled). */
    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties({ClusterSettings.class, DataSourceProperties.class})
    static class WithFileService {
        @Bean
        FileLockClusterService fileClusterService() {
            return new FileLockClusterService();
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(WithFileService.class, ClusterConfiguration.class);

    @Test
    void kubernetesIsTheOnlyClusterServiceAndCarriesTheSettings() {
        runner.withPropertyValues("hearth.cluster.service=kubernetes", "spring.datasource.url=" + PG,
                        "hearth.cluster.kubernetes.pod-name=hearth-abc", "hearth.cluster.kubernetes.namespace=prod",
                        "hearth.cluster.kubernetes.lease-duration=20s", "hearth.cluster.kubernetes.master-url=http://127.0.0.1:1")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBeansOfType(CamelClusterService.class)).containsOnlyKeys("hearthKubernetesClusterService");
                    KubernetesClusterService service = context.getBean(KubernetesClusterService.class);
                    assertThat(service.getPodName()).isEqualTo("hearth-abc");
                    assertThat(service.getKubernetesNamespace()).isEqualTo("prod");
                    assertThat(service.getKubernetesResourceName()).isEqualTo("hearth-leaders");
                    assertThat(service.getLeaseResourceType()).isEqualTo(LeaseResourceType.Lease);
                    assertThat(service.getClusterLabels()).containsEntry("app.kubernetes.io/name", "hearth");
                    assertThat(service.getLeaseDurationMillis()).isEqualTo(Duration.ofSeconds(20).toMillis());
                    assertThat(service.getRenewDeadlineMillis()).isEqualTo(10_000);
                    assertThat(service.getRetryPeriodMillis()).isEqualTo(2_000);
                });
    }

    @Test
    void aWrongKubernetesSettingStopsTheStartNamingIt() {
        runner.withPropertyValues("hearth.cluster.service=kubernetes", "spring.datasource.url=" + PG,
                        "hearth.cluster.kubernetes.pod-name=hearth-abc", "hearth.cluster.kubernetes.renew-deadline=15s")
                .run(context -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                        .isInstanceOf(HearthConfigurationException.class)
                        .hasMessageStartingWith("hearth.cluster.kubernetes.lease-duration: must exceed the renew deadline"));
        runner.withPropertyValues("hearth.cluster.service=kubernetes", "spring.datasource.url=" + PG)
                .withSystemProperties("HOSTNAME=") // (system properties come before the environment) no pod name at all
                .run(context -> assertThat(NestedExceptionUtils.getMostSpecificCause(context.getStartupFailure()))
                        .hasMessageStartingWith("hearth.cluster.kubernetes.pod-name: blank and HOSTNAME is not set"));
    }

    @Test
    void fileKeepsTheLockFileServiceOnly() {
        runner.withPropertyValues("hearth.cluster.service=file", "spring.datasource.url=" + PG).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context.getBeansOfType(CamelClusterService.class)).containsOnlyKeys("fileClusterService");
            assertThat(context).doesNotHaveBean(CamelContext.class);
        });
    }
}
