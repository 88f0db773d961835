package io.hearth.cluster;

import java.time.Duration;

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
 */
@ConfigurationProperties("hearth.cluster")
public record ClusterSettings(@DefaultValue("") String service,
                              @DefaultValue("15s") Duration ttl,
                              @DefaultValue("2s") Duration renewInterval,
                              @DefaultValue("8s") Duration lease) {

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
}
