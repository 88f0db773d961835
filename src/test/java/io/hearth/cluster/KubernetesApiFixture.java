package io.hearth.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * A Kubernetes API server over HTTP on loopback (fabric8's mock server in CRUD mode) holding the hub pods' Pod objects,
 * and "pods": Camel contexts with the cluster service {@link KubernetesLease} builds from the hub's settings, each
 * reaching the API server through its own cuttable TCP relay, each running {@code master:<MASTER_NAMESPACE>:timer} that
 * records its ticks. Timings: lease-duration 2 s, renew-deadline 1 s, retry-period 250 ms.
 */
final class KubernetesApiFixture implements AutoCloseable {

    static final String NAMESPACE = "test";
    static final String MASTER_NAMESPACE = "hearth-test-poller";
    static final String LEASE = "hearth-leaders-" + MASTER_NAMESPACE;
    static final Duration LEASE_DURATION = Duration.ofSeconds(2);
    static final Duration RENEW_DEADLINE = Duration.ofSeconds(1);
    static final Duration RETRY_PERIOD = Duration.ofMillis(250);
    /** MasterConsumer starts its route this long after a leadership-taken event (Camel 4.17). */
    static final Duration MASTER_START_DELAY = Duration.ofSeconds(1);

    record Tick(String hub, long nanos) {
    }

    final Queue<Tick> ticks = new ConcurrentLinkedQueue<>();
    final List<CamelContext> hubs = new CopyOnWriteArrayList<>();
    final List<Relay> relays = new ArrayList<>();
    final KubernetesMockServer server;
    final NamespacedKubernetesClient admin;

    KubernetesApiFixture() {
        // one map of expectations for the server and its dispatcher: expect() answers before the CRUD store
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations,
                new KubernetesMixedDispatcher(expectations), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        admin = server.createClient();
    }

    @Override
    public void close() throws Exception {
        for (CamelContext hub : hubs) {
            hub.stop();
        }
        for (Relay relay : relays) {
            relay.close();
        }
        admin.close();
        server.destroy();
    }

    Queue<Tick> ticks() {
        return ticks;
    }

    String holder() {
        Lease lease = admin.leases().inNamespace(NAMESPACE).withName(LEASE).get();
        return lease == null ? null : lease.getSpec().getHolderIdentity();
    }

    Duration jitteredRetry() {
        return Duration.ofMillis((long) (RETRY_PERIOD.toMillis() * KubernetesLease.JITTER));
    }

    long firstTick(String hub) {
        return ticks.stream().filter(t -> t.hub().equals(hub)).mapToLong(Tick::nanos).min().orElse(0);
    }

    long lastTick(String hub) {
        return ticks.stream().filter(t -> t.hub().equals(hub)).mapToLong(Tick::nanos).max().orElse(0);
    }

    ClusterSettings.Kubernetes settings(String masterUrl) {
        return new ClusterSettings.Kubernetes(NAMESPACE, "hearth-leaders", "app.kubernetes.io/name=hearth", "",
                LEASE_DURATION, RENEW_DEADLINE, RETRY_PERIOD, masterUrl);
    }

    CamelContext hub(String name, Relay relay) throws Exception {
        ClusterSettings.Kubernetes settings = settings("http://127.0.0.1:" + relay.port());
        String podName = settings.check(name);
        CamelContext context = new DefaultCamelContext();
        context.getCamelContextExtension().setName(name);
        context.addService(KubernetesLease.clusterService(settings, podName));
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("master:" + MASTER_NAMESPACE + ":timer:poll?period=100&delay=0").routeId("poller")
                        .process(exchange -> ticks.add(new Tick(name, System.nanoTime())));
            }
        });
        context.start();
        hubs.add(context);
        return context;
    }

    /** A Pod object as the kubelet reports it: Running, and Ready or not. */
    void pod(String name, boolean ready) {
        pod(name, ready, "app.kubernetes.io/name", "hearth");
    }

    void pod(String name, boolean ready, String labelKey, String labelValue) {
        Pod pod = new PodBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).addToLabels(labelKey, labelValue)
                .endMetadata()
                .withNewStatus().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
                .endStatus().build();
        Pod existing = admin.pods().inNamespace(NAMESPACE).withName(name).get();
        if (existing == null) {
            admin.pods().inNamespace(NAMESPACE).resource(pod).create();
        } else {
            existing.setStatus(pod.getStatus());
            admin.pods().inNamespace(NAMESPACE).resource(existing).updateStatus();
        }
        Pod stored = admin.pods().inNamespace(NAMESPACE).withName(name).get();
        assertThat(stored.getStatus().getConditions()).singleElement()
                .satisfies(c -> assertThat(c.getStatus()).isEqualTo(ready ? "True" : "False"));
    }

    Relay relay() throws IOException {
        Relay relay = new Relay(server.getPort());
        relays.add(relay);
        return relay;
    }

    /** A TCP relay on loopback to the API server that can be cut (connections closed, new ones closed at once). */
    static final class Relay implements AutoCloseable {
        final ServerSocket listener;
        final int target;
        final List<Socket> open = new CopyOnWriteArrayList<>();
        volatile boolean cut;

        Relay(int target) throws IOException {
            this.target = target;
            this.listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Thread acceptor = new Thread(this::accept, "relay-" + listener.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        void cut() {
            cut = true;
            open.forEach(Relay::closeQuietly);
            open.clear();
        }

        void restore() {
            cut = false;
        }

        void accept() {
            while (!listener.isClosed()) {
                try {
                    Socket client = listener.accept();
                    if (cut) {
                        closeQuietly(client);
                        continue;
                    }
                    Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                    open.add(client);
                    open.add(upstream);
                    pump(client, upstream);
                    pump(upstream, client);
                } catch (IOException e) {
                    // listener closed, or the API server went away
                }
            }
        }

        void pump(Socket from, Socket to) {
            Thread thread = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    int n;
                    while ((n = in.read(buffer)) >= 0) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                } catch (IOException e) {
                    // cut or closed
                } finally {
                    closeQuietly(from);
                    closeQuietly(to);
                }
            }, "relay-pump");
            thread.setDaemon(true);
            thread.start();
        }

        static void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing
            }
        }

        @Override
        public void close() throws IOException {
            cut();
            listener.close();
        }
    }
}
