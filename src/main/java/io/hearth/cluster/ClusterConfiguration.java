package io.hearth.cluster;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Set;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

import io.hearth.config.HearthConfigurationException;

/**
 * The cluster service behind the {@code master:} routes ({@code hearth.cluster.service}, docs/scaling.md): postgres
 * ({@link JdbcLockClusterService}, a Spring bean that camel-spring-boot adds to the Camel context), kubernetes
 * ({@link KubernetesLease}, camel-kubernetes' Lease service, also a bean) or camel's lock-file
 * service (camel.cluster.file.*; its bean is removed when another service is chosen). A wrong value or combination
 * stops the start with one line naming the setting.
 */
@Configuration(proxyBeanMethods = false)
public class ClusterConfiguration {

    /** The cluster services of this class: the one chosen is kept, camel's lock-file service is dropped. */
    static final Set<String> HEARTH_SERVICES = Set.of("hearthClusterService", "hearthKubernetesClusterService");

    /** {@code hearth.cluster.kubernetes.*} as bound before any bean exists (defaults of the record when unset). */
    static ClusterSettings.Kubernetes kubernetesSettings(Environment environment) {
        return Binder.get(environment).bindOrCreate("hearth.cluster.kubernetes", ClusterSettings.Kubernetes.class);
    }

    /**
     * Checks {@code hearth.cluster.*} before any bean is created (a BeanFactoryPostProcessor), so a wrong combination
     * stops the start before the state database or the broker is touched.
     */
    @Bean
    static BeanFactoryPostProcessor clusterServiceCheck(Environment environment) {
        return beanFactory -> {
            ClusterServiceKind kind = ClusterServiceKind.resolve(environment.getProperty(ClusterServiceKind.SETTING, ""),
                    environment.getProperty("spring.datasource.url", ""));
            if (kind != ClusterServiceKind.FILE && beanFactory instanceof BeanDefinitionRegistry registry) {
                // Exactly one cluster service for the master: component: drop camel-file-cluster-service's lock-file
                // service (camel.cluster.file.enabled) here, decided from the same environment as PostgresSelected.
                for (String name : beanFactory.getBeanNamesForType(CamelClusterService.class, true, false)) {
                    if (!HEARTH_SERVICES.contains(name)) {
                        registry.removeBeanDefinition(name);
                    }
                }
            }
            if (kind == ClusterServiceKind.KUBERNETES) {
                kubernetesSettings(environment).check(environment.getProperty("HOSTNAME"));
            }
            if (kind == ClusterServiceKind.POSTGRES) {
                Binder binder = Binder.get(environment);
                ClusterSettings.checkTimings(
                        binder.bind("hearth.cluster.ttl", Duration.class).orElse(Duration.ofSeconds(15)),
                        binder.bind("hearth.cluster.renew-interval", Duration.class).orElse(Duration.ofSeconds(2)),
                        binder.bind("hearth.cluster.lease", Duration.class).orElse(Duration.ofSeconds(8)));
            }
        };
    }

    /**
     * Its own small connection pool on the state database, so that leadership neither waits behind a busy pipeline pool
     * nor is kept by it: a connection that cannot be had within one renew interval is a failed renewal.
     */
    @Bean(destroyMethod = "stop")
    @Conditional(PostgresSelected.class)
    JdbcLockClusterService hearthClusterService(ClusterSettings settings, DataSourceProperties database, Environment environment) {
        ClusterServiceKind.resolve(settings.service(), database.getUrl());
        HikariConfig pool = new HikariConfig();
        pool.setPoolName("hearth-cluster");
        pool.setJdbcUrl(database.getUrl());
        pool.setUsername(database.getUsername());
        pool.setPassword(database.getPassword());
        pool.setMaximumPoolSize(2);
        pool.setMinimumIdle(1);
        pool.setConnectionTimeout(Math.max(250, settings.renewInterval().toMillis()));
        pool.setValidationTimeout(Math.max(250, settings.renewInterval().toMillis() / 2));
        pool.setInitializationFailTimeout(-1); // the hub starts (and follows) while the database is still coming up
        HikariDataSource dataSource = new HikariDataSource(pool);
        String name = environment.getProperty("camel.main.name", "hearth") + "@" + ManagementFactory.getRuntimeMXBean().getName();
        return new JdbcLockClusterService(dataSource, name, settings.ttl(), settings.renewInterval(), settings.lease()) {
            @Override
            protected void doStop() throws Exception {
                try {
                    super.doStop();
                } finally {
                    dataSource.close();
                }
            }
        };
    }

    /**
     * camel-kubernetes' Lease cluster service ({@link KubernetesLease}); camel-spring-boot adds it to the Camel context
     * like the postgres one.
     */
    @Bean
    @Conditional(KubernetesSelected.class)
    KubernetesClusterService hearthKubernetesClusterService(ClusterSettings settings, DataSourceProperties database,
                                                            Environment environment) {
        ClusterServiceKind.resolve(settings.service(), database.getUrl());
        String podName = settings.kubernetes().check(environment.getProperty("HOSTNAME"));
        return KubernetesLease.clusterService(settings.kubernetes(), podName);
    }

    static class KubernetesSelected implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Environment env = context.getEnvironment();
            try {
                return ClusterServiceKind.resolve(env.getProperty(ClusterServiceKind.SETTING, ""),
                        env.getProperty("spring.datasource.url", "")) == ClusterServiceKind.KUBERNETES;
            } catch (HearthConfigurationException e) {
                return false;
            }
        }
    }

    static class PostgresSelected implements Condition {
        @Override
        public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
            Environment env = context.getEnvironment();
            try {
                return ClusterServiceKind.resolve(env.getProperty(ClusterServiceKind.SETTING, ""),
                        env.getProperty("spring.datasource.url", "")) == ClusterServiceKind.POSTGRES;
            } catch (HearthConfigurationException e) {
                return false;
            }
        }
    }
}
