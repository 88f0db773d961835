package io.hearth.cluster;

import static io.hearth.cluster.KubernetesApiFixture.LEASE_DURATION;
import static io.hearth.cluster.KubernetesApiFixture.MASTER_START_DELAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import java.util.concurrent.atomic.AtomicInteger;

import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, {@code hearth.cluster.service=kubernetes}: pods contend for one {@code coordination.k8s.io/v1} Lease on a
 * Kubernetes API server over HTTP on loopback ({@link KubernetesApiFixture}: fabric8's mock server in CRUD mode, the
 * cluster service {@link KubernetesLease} builds from the hub's settings). Only the leader runs its {@code master:} route;
 * a pod that is not Ready or lacks the cluster labels never leads; when the leader's pod goes away another pod leads
 * within the bound of docs/scaling.md#kubernetes. The cut-off leader: {@code KubernetesLeaseClusterTest} (tag cluster).
 */
class KubernetesClusterServiceTest {

    private final KubernetesApiFixture k8s = new KubernetesApiFixture();

    @AfterEach
    void stop() throws Exception {
        k8s.close();
    }

    @Test
    void exactlyOneReadyLabelledPodLeadsAndAnotherTakesOverWithinTheBoundWhenTheLeaderPodGoesAway() throws Exception {
        k8s.pod("hub-a", true);
        k8s.pod("hub-b", true);
        k8s.pod("hub-c", false); // not Ready (e.g. starting)
        k8s.pod("other-app", true, "app.kubernetes.io/name", "something-else"); // Ready, without the cluster labels
        CamelContext a = k8s.hub("hub-a", k8s.relay());
        CamelContext b = k8s.hub("hub-b", k8s.relay());
        CamelContext c = k8s.hub("hub-c", k8s.relay());
        AtomicInteger announcements = new AtomicInteger();
        c.hasService(KubernetesClusterService.class).getView(KubernetesApiFixture.MASTER_NAMESPACE)
                .addEventListener((CamelClusterEventListener.Leadership) (view, leader) -> announcements.incrementAndGet());
        k8s.hub("other-app", k8s.relay());
        await("a leader").atMost(Duration.ofSeconds(15)).until(() -> !k8s.ticks().isEmpty());
        String leader = k8s.ticks().peek().hub();
        assertThat(leader).isIn("hub-a", "hub-b");
        String follower = leader.equals("hub-a") ? "hub-b" : "hub-a";
        await("only the leader ticks").during(LEASE_DURATION).atMost(Duration.ofSeconds(10))
                .until(() -> k8s.ticks().stream().allMatch(t -> t.hub().equals(leader)));
        assertThat(k8s.holder()).as("holder of the Lease <lease-name>-<master namespace>").isEqualTo(leader);

        // The leader's process ends (kill, eviction, rolling update): its routes are gone and the kubelet reports its pod
        // not Ready. Camel 4.17 neither gives the Lease back on stop nor expires it by time: the follower takes over once
        // the holder is no longer a Running, Ready pod, and starts its routes lease-duration later.
        (leader.equals("hub-a") ? a : b).stop();
        long lastLeaderTick = k8s.lastTick(leader);
        long gone = System.nanoTime();
        k8s.pod(leader, false);
        await("the follower leads").atMost(Duration.ofSeconds(15)).until(() -> k8s.firstTick(follower) > 0);
        Duration takeOver = Duration.ofNanos(k8s.firstTick(follower) - gone);
        Duration bound = LEASE_DURATION.plus(k8s.jitteredRetry()).plus(MASTER_START_DELAY);
        System.out.printf("kubernetes: leader %s gone, %s's first tick %d ms later (bound lease-duration + 1.2 x retry-period"
                + " + 1 s = %d ms)%n", leader, follower, takeOver.toMillis(), bound.toMillis());
        assertThat(k8s.firstTick(follower)).isGreaterThan(lastLeaderTick);
        assertThat(takeOver).as("not before lease-duration").isGreaterThanOrEqualTo(LEASE_DURATION)
                .as("within the bound, plus 1 s for API calls on a loaded machine").isLessThan(bound.plusSeconds(1));
        assertThat(k8s.holder()).isEqualTo(follower);
        assertThat(k8s.ticks()).extracting(KubernetesApiFixture.Tick::hub).doesNotContain("hub-c", "other-app");
        // CAMEL-24583 work-around: a pod that does not lead announces its view's leader again every retry period
        assertThat(announcements.get()).as("re-announcements on hub-c").isGreaterThanOrEqualTo(5);
    }
}
