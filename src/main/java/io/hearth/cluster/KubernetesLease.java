package io.hearth.cluster;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.apache.camel.CamelContext;
import org.apache.camel.component.kubernetes.KubernetesConfiguration;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterView;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.apache.camel.component.kubernetes.cluster.lock.KubernetesLockConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code hearth.cluster.service=kubernetes}: camel-kubernetes' {@link KubernetesClusterService} on a
 * {@code coordination.k8s.io/v1} Lease, one Lease {@code <lease-name>-<master namespace>} per {@code master:} namespace,
 * configured from {@link ClusterSettings.Kubernetes} (docs/scaling.md#kubernetes).
 *
 * <p>What Camel 4.17's {@code KubernetesLeadershipController} does, read from its code (and relied on by the bound in
 * docs/scaling.md): a pod is a candidate only while it is Running and Ready and carries the cluster labels (it lists the
 * pods: RBAC {@code pods: get, list}); the Lease holder stays leader for the others as long as its pod is such a
 * candidate (the Lease's renew time is not compared with any clock); a pod that takes a Lease over from another pod waits
 * {@code lease-duration} before it starts its routes, one that finds the Lease empty starts at once; the leader stops its
 * routes when its last successful look-up is older than {@code renew-deadline}. Stopping does not give the Lease back.
 *
 * <p>Works around CAMEL-24583 (Camel 4.17's MasterConsumer starts its route one second after a leadership-taken event and
 * drops a leadership-lost event that arrives in between, leaving the route running on a pod that does not lead; seen here
 * in KubernetesLeaseClusterTest when a late renewal is followed by the cut): every {@code retry-period} a pod that does
 * not lead announces its view's leader again, which stops such a route.
 */
public final class KubernetesLease {

    private static final Logger log = LoggerFactory.getLogger(KubernetesLease.class);

    /** Camel's default: a retry waits retry-period × [1, 1.2]. */
    static final double JITTER = 1.2;

    private KubernetesLease() {
    }

    /**
     * A cluster service for this pod, with its own Kubernetes client (closed when the service stops).
     *
     * @param settings checked settings ({@link ClusterSettings.Kubernetes#check})
     * @param podName  this pod's name, the Lease holder
     */
    public static KubernetesClusterService clusterService(ClusterSettings.Kubernetes settings, String podName) {
        KubernetesClient client = new KubernetesClientBuilder().withConfig(clientConfig(settings)).build();
        KubernetesConfiguration configuration = new KubernetesConfiguration();
        configuration.setKubernetesClient(client);
        KubernetesClusterService service = new LeaseService(configuration, client, settings.retryPeriod());
        service.setId("hearth-kubernetes");
        service.setLeaseResourceType(LeaseResourceType.Lease);
        service.setKubernetesResourceName(settings.leaseName().strip());
        if (!settings.namespace().isBlank()) {
            service.setKubernetesNamespace(settings.namespace().strip());
        }
        service.setPodName(podName);
        service.setClusterLabels(settings.labels());
        service.setLeaseDurationMillis(settings.leaseDuration().toMillis());
        service.setRenewDeadlineMillis(settings.renewDeadline().toMillis());
        service.setRetryPeriodMillis(settings.retryPeriod().toMillis());
        service.setJitterFactor(JITTER);
        return service;
    }

    /**
     * The in-cluster (or kubeconfig) configuration, with the master URL and namespace when set. A call to the API server
     * gives up after at most the renew deadline, so a hanging call cannot keep the controller from trying again.
     */
    static Config clientConfig(ClusterSettings.Kubernetes settings) {
        ConfigBuilder builder = new ConfigBuilder(Config.autoConfigure(null));
        if (!settings.masterUrl().isBlank()) {
            builder.withMasterUrl(settings.masterUrl().strip());
        }
        if (!settings.namespace().isBlank()) {
            builder.withNamespace(settings.namespace().strip());
        }
        int timeout = Math.toIntExact(Math.max(1000, settings.renewDeadline().dividedBy(2).toMillis()));
        return builder.withConnectionTimeout(timeout).withRequestTimeout(timeout)
                .withRequestRetryBackoffLimit(0).build();
    }

    /**
     * How long after a leader was last able to look its Lease up its master: routes are stopped at the latest, and how
     * long before another pod may start them they are stopped at least (docs/scaling.md#kubernetes).
     */
    static Duration margin(ClusterSettings.Kubernetes settings) {
        return settings.leaseDuration().minus(settings.renewDeadline());
    }

    /** The cluster service: its views re-announce "not leader" (CAMEL-24583); the client is closed on stop. */
    static final class LeaseService extends KubernetesClusterService {
        private final KubernetesConfiguration configuration;
        private final KubernetesClient client;
        private final Duration retryPeriod;

        LeaseService(KubernetesConfiguration configuration, KubernetesClient client, Duration retryPeriod) {
            super(configuration);
            this.configuration = configuration;
            this.client = client;
            this.retryPeriod = retryPeriod;
        }

        @Override
        protected KubernetesClusterView createView(String namespace) throws Exception {
            KubernetesLockConfiguration lockConfiguration = lockConfigWithGroupNameAndDefaults(namespace);
            KubernetesConfiguration viewConfiguration = setConfigDefaults(configuration.copy(), lockConfiguration);
            return new View(getCamelContext(), this, viewConfiguration, lockConfiguration, retryPeriod);
        }

        @Override
        protected void doStop() throws Exception {
            try {
                super.doStop();
            } finally {
                client.close();
            }
        }
    }

    /** Camel's view, plus the re-announcement of "not leader" every retry period while this pod does not lead. */
    static final class View extends KubernetesClusterView {
        private final CamelContext camelContext;
        private final Duration retryPeriod;
        private ScheduledExecutorService reannounce;

        View(CamelContext camelContext, KubernetesClusterService service, KubernetesConfiguration configuration,
             KubernetesLockConfiguration lockConfiguration, Duration retryPeriod) {
            super(camelContext, service, configuration, lockConfiguration);
            this.camelContext = camelContext;
            this.retryPeriod = retryPeriod;
        }

        @Override
        protected void doStart() throws Exception {
            super.doStart();
            reannounce = camelContext.getExecutorServiceManager().newSingleThreadScheduledExecutor(this,
                    "HearthKubernetesLeadership-" + getNamespace());
            reannounce.scheduleWithFixedDelay(this::reannounce, retryPeriod.toMillis(), retryPeriod.toMillis(),
                    TimeUnit.MILLISECONDS);
        }

        private void reannounce() {
            try {
                if (isRunAllowed() && !getLocalMember().isLeader()) {
                    fireLeadershipChangedEvent(getLeader());
                }
            } catch (RuntimeException e) {
                log.warn("Cluster: re-announcing the leader of {} failed: {}", getNamespace(), e.toString());
            }
        }

        @Override
        protected void doStop() throws Exception {
            if (reannounce != null) {
                camelContext.getExecutorServiceManager().shutdownNow(reannounce);
                reannounce = null;
            }
            super.doStop();
        }
    }
}
