package io.hearth.cluster;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

import io.hearth.config.HearthConfigurationException;

/**
 * Leader election for the {@code master:} routes (pollers, scheduled jobs), {@code hearth.cluster.*}; docs/scaling.md.
 *
 * @param service       postgres | kubernetes | file; blank: postgres when HEARTH_DB_URL is PostgreSQL, else file
 *                      (a String resolved by {@link ClusterServiceKind#resolve}, so a wrong value gets a one-line error
 *                      naming the choices rather than a binding stack)
 * @param ttl           postgres: a lock row older than this may be taken over by another hub
 * @param renewInterval postgres: how often the leader renews its row and a follower tries to take it
 * @param lease         postgres: the leader stops its master: routes when its last successful renewal is older than this;
 *                      must leave at least two renew intervals of margin below ttl
 * @param kubernetes    kubernetes: the Lease ({@code hearth.cluster.kubernetes.*})
 */
@ConfigurationProperties("hearth.cluster")
public record ClusterSettings(@DefaultValue("") String service,
                              @DefaultValue("15s") Duration ttl,
                              @DefaultValue("2s") Duration renewInterval,
                              @DefaultValue("8s") Duration lease,
                              @DefaultValue Kubernetes kubernetes) {

    /** Refuses timings under which a hub could still lead after another took over. */
    public static void checkTimings(Duration ttl, Duration renewInterval, Duration lease) {
        if (renewInterval == null || renewInterval.toMillis() < 100) {
            throw new HearthConfigurationException("hearth.cluster.renew-interval", "must be at least 100ms, is " + renewInterval);
        }
        if (lease == null || lease.compareTo(renewInterval.multipliedBy(2)) < 0) {
            throw new HearthConfigurationException("hearth.cluster.lease", "must be at least two renew intervals ("
                    + renewInterval.multipliedBy(2).toMillis() + "ms), is " + (lease == null ? null : lease.toMillis() + "ms"));
        }
        if (ttl == null || ttl.compareTo(lease.plus(renewInterval.multipliedBy(2))) < 0) {
            throw new HearthConfigurationException("hearth.cluster.ttl", "must exceed the lease by at least two renew intervals"
                    + " (>= " + lease.plus(renewInterval.multipliedBy(2)).toMillis() + "ms), is "
                    + (ttl == null ? null : ttl.toMillis() + "ms") + ": a leader must stop before another hub may take over");
        }
    }

    /**
     * {@code hearth.cluster.service=kubernetes}: camel-kubernetes' Lease cluster service ({@link KubernetesLease}).
     *
     * @param namespace     the namespace of the Leases and of the hub's pods; blank: the pod's own (service account)
     * @param leaseName     prefix of the Lease names: one Lease {@code <lease-name>-<master namespace>} per master: namespace
     * @param clusterLabels {@code key=value[,key=value]}: the labels that select the hub's pods; only pods with these labels
     *                      that are Running and Ready may lead
     * @param podName       this pod's name (the Lease holder); blank: the HOSTNAME environment variable (a pod's name)
     * @param leaseDuration a pod that acquired a Lease from another pod waits this long before its master: routes start
     * @param renewDeadline the leader stops its master: routes when its last successful look-up of the Lease is older
     *                      than this; must be at least one retry period below lease-duration
     * @param retryPeriod   how often the leader renews and a follower looks (Camel adds up to 20 % jitter)
     * @param masterUrl     the Kubernetes API server; blank: the in-cluster configuration (service account), or
     *                      KUBECONFIG / ~/.kube/config outside a cluster
     */
    public record Kubernetes(@DefaultValue("") String namespace,
                             @DefaultValue("hearth-leaders") String leaseName,
                             @DefaultValue("app.kubernetes.io/name=hearth") String clusterLabels,
                             @DefaultValue("") String podName,
                             @DefaultValue("15s") Duration leaseDuration,
                             @DefaultValue("10s") Duration renewDeadline,
                             @DefaultValue("2s") Duration retryPeriod,
                             @DefaultValue("") String masterUrl) {

        static final String PREFIX = "hearth.cluster.kubernetes.";
        /** A DNS-1123 label (namespaces) and subdomain (Lease names). */
        private static final Pattern LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
        private static final Pattern SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9.]{0,180}[a-z0-9])?");
        private static final Pattern LABEL_KEY = Pattern.compile("([a-z0-9]([-a-z0-9.]*[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
        private static final Pattern LABEL_VALUE = Pattern.compile("([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?");

        /**
         * The pod name to hold the Lease by: {@link #podName()}, else {@code hostname} (the HOSTNAME variable). Checks every
         * setting and throws a {@link HearthConfigurationException} naming the first wrong one.
         */
        public String check(String hostname) {
            if (retryPeriod == null || retryPeriod.toMillis() < 100) {
                throw new HearthConfigurationException(PREFIX + "retry-period", "must be at least 100ms, is " + millis(retryPeriod));
            }
            if (renewDeadline == null || renewDeadline.compareTo(Duration.ofSeconds(1)) < 0
                    || renewDeadline.compareTo(retryPeriod.multipliedBy(2)) < 0) {
                throw new HearthConfigurationException(PREFIX + "renew-deadline", "must be at least 1s and at least two retry"
                        + " periods (" + retryPeriod.multipliedBy(2).toMillis() + "ms), is " + millis(renewDeadline)
                        + ": the leader must get a renewal through before it stops its routes");
            }
            if (leaseDuration == null || leaseDuration.compareTo(renewDeadline.plus(retryPeriod)) < 0) {
                throw new HearthConfigurationException(PREFIX + "lease-duration", "must exceed the renew deadline by at least one"
                        + " retry period (>= " + renewDeadline.plus(retryPeriod).toMillis() + "ms), is " + millis(leaseDuration)
                        + ": a leader must stop before another pod may take over");
            }
            if (!namespace.isBlank() && !LABEL.matcher(namespace.strip()).matches()) {
                throw new HearthConfigurationException(PREFIX + "namespace", "'" + namespace.strip() + "' is not a Kubernetes"
                        + " namespace name (lower-case letters, digits, '-'); blank: the pod's own namespace");
            }
            if (!SUBDOMAIN.matcher(leaseName.strip()).matches()) {
                throw new HearthConfigurationException(PREFIX + "lease-name", "'" + leaseName.strip() + "' is not a Kubernetes"
                        + " object name (lower-case letters, digits, '-', '.')");
            }
            labels();
            if (!masterUrl.isBlank()) {
                URI uri;
                try {
                    uri = URI.create(masterUrl.strip());
                } catch (IllegalArgumentException e) {
                    uri = null;
                }
                if (uri == null || uri.getHost() == null || !("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))) {
                    throw new HearthConfigurationException(PREFIX + "master-url", "must be an http(s) URL of the Kubernetes API"
                            + " server, or blank for the in-cluster configuration");
                }
            }
            String pod = podName.isBlank() ? (hostname == null ? "" : hostname.strip()) : podName.strip();
            if (pod.isEmpty()) {
                throw new HearthConfigurationException(PREFIX + "pod-name", "blank and HOSTNAME is not set: the Lease holder"
                        + " must be this pod's name (set HEARTH_CLUSTER_KUBERNETES_PODNAME from metadata.name)");
            }
            return pod;
        }

        /** {@link #clusterLabels()} as a map; at least one label, else every pod of the namespace would be a candidate. */
        public Map<String, String> labels() {
            Map<String, String> labels = new LinkedHashMap<>();
            for (String pair : clusterLabels.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = eq < 0 ? pair.strip() : pair.substring(0, eq).strip();
                String value = eq < 0 ? null : pair.substring(eq + 1).strip();
                if (value == null || !LABEL_KEY.matcher(key).matches() || !LABEL_VALUE.matcher(value).matches()) {
                    throw new HearthConfigurationException(PREFIX + "cluster-labels", "'" + pair.strip() + "' is not a"
                            + " label key=value (e.g. app.kubernetes.io/name=hearth)");
                }
                labels.put(key, value);
            }
            if (labels.isEmpty()) {
                throw new HearthConfigurationException(PREFIX + "cluster-labels", "must name at least one label key=value of"
                        + " the hub's pods (e.g. app.kubernetes.io/name=hearth): only those pods may lead");
            }
            return labels;
        }

        private static String millis(Duration d) {
            return d == null ? "null" : d.toMillis() + "ms";
        }
    }
}
