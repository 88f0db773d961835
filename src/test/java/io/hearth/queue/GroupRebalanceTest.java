package io.hearth.queue;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;

import io.hearth.config.HearthProperties;
import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Message groups on the hub's broker configuration ({@link BrokerConfiguration#brokerConfiguration}) when a consumer
 * joins after another took every group, as after a broker restart when one hub reconnects before the other
 * (docs/scaling.md "Group rebalancing"): the groups are rebalanced, so the joining consumer gets work, and each group's
 * messages are still committed in the order sent. Consumers work as the hub's stage consumers do: a transacted session,
 * a batch of received messages, one commit.
 */
class GroupRebalanceTest {

    static final int GROUPS = 20;
    /** Messages per group and wave: the first wave before the second consumer joins, the second after. */
    static final int PER_WAVE = 5;

    @TempDir
    Path dir;
    EmbeddedActiveMQ server;
    final int id = 9_000 + (int) (Math.random() * 400);

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void aConsumerThatJoinsGetsGroupsTheFirstOneTookAndEveryGroupIsCommittedInOrder() throws Exception {
        server = start(BrokerConfiguration.brokerConfiguration(new HearthProperties(), dir.resolve("broker"), id));
        Queue mentions = server.getActiveMQServer().locateQueue(StageQueues.MENTIONS);
        assertThat(mentions.isGroupRebalance()).as("group-rebalance").isTrue();
        assertThat(mentions.isGroupRebalancePauseDispatch()).as("group-rebalance-pause-dispatch").isTrue();
        /* What each consumer committed, in commit order: "consumer group seq". */
        List<String> committed = new ArrayList<>();
        int earlyToB;

        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("vm://" + id);
             Connection producerConnection = factory.createConnection();
             Connection first = factory.createConnection();
             Connection second = factory.createConnection()) {
            Session producer = producerConnection.createSession(true, Session.SESSION_TRANSACTED);
            send(producer, 0);
            first.start();
            Session a = first.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumerA = a.createConsumer(a.createQueue(StageQueues.MENTIONS));
            // A, alone, takes every group; it holds the whole first wave in one open batch.
            List<Message> batchA = new ArrayList<>();
            for (int i = 0; i < GROUPS * PER_WAVE; i++) {
                Message m = consumerA.receive(10_000);
                assertThat(m).as("first wave message %d to the only consumer", i).isNotNull();
                batchA.add(m);
            }
            assertThat(mentions.getGroups()).as("every group pinned to the one consumer").hasSize(GROUPS);
            assertThat(Set.copyOf(mentions.getGroups().values())).hasSize(1);

            // B joins while A's batch is open, and the second wave arrives.
            second.start();
            Session b = second.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumerB = b.createConsumer(b.createQueue(StageQueues.MENTIONS));
            send(producer, PER_WAVE);
            // Whatever B gets before A commits, it commits at once: a later message of a group reaching B while an
            // earlier one is in A's open batch would be committed before it.
            List<Message> early = new ArrayList<>();
            for (Message m = consumerB.receive(1_500); m != null; m = consumerB.receive(500)) {
                early.add(m);
            }
            commit(b, "B", early, committed);
            commit(a, "A", batchA, committed);
            earlyToB = early.size();

            // Both drain the rest in small batches, as two hubs' stage consumers would.
            AtomicInteger left = new AtomicInteger(GROUPS * PER_WAVE - early.size());
            ExecutorService workers = Executors.newFixedThreadPool(2);
            try {
                Future<?> drainA = workers.submit(() -> drain(a, consumerA, "A", left, committed));
                Future<?> drainB = workers.submit(() -> drain(b, consumerB, "B", left, committed));
                drainA.get(60, TimeUnit.SECONDS);
                drainB.get(60, TimeUnit.SECONDS);
            } finally {
                workers.shutdownNow();
            }
        }

        Map<String, List<String>> byGroup = new LinkedHashMap<>();
        for (String entry : committed) {
            String[] parts = entry.split(" ");
            byGroup.computeIfAbsent(parts[1], g -> new ArrayList<>()).add(parts[2]);
        }
        List<String> inOrder = IntStream.range(0, 2 * PER_WAVE).mapToObj(String::valueOf).toList();
        assertThat(byGroup).as("every group").hasSize(GROUPS);
        byGroup.forEach((group, seqs) -> assertThat(seqs).as("group %s committed once each, in the order sent", group)
                .isEqualTo(inOrder));
        long toB = committed.stream().filter(e -> e.startsWith("B ")).count();
        Set<String> groupsOfB = committed.stream().filter(e -> e.startsWith("B ")).map(e -> e.split(" ")[1])
                .collect(Collectors.toSet());
        assertThat(toB).as("the consumer that joined got some of the second wave (groups rebalanced)").isPositive();
        assertThat(groupsOfB.size()).as("groups now on B").isLessThan(GROUPS);
        assertThat(earlyToB).as("messages dispatched to B while A's batch was open (pause-dispatch: none)").isZero();
    }

    @Test
    void theStageQueuesOfAJournalFromBeforeTakeGroupRebalancingAtTheNextStart() throws Exception {
        // The stage queues as an earlier release declared them (no group settings), persisted with a message in one.
        Configuration before = BrokerConfiguration.brokerConfiguration(new HearthProperties(), dir.resolve("broker"), id);
        before.setAddressConfigurations(new ArrayList<>());
        before.getAddressSettings().values().forEach(settings -> settings.setDefaultGroupRebalance(false)
                .setDefaultGroupRebalancePauseDispatch(false));
        for (String queue : StageQueues.all()) {
            before.addQueueConfiguration(QueueConfiguration.of(queue).setRoutingType(RoutingType.ANYCAST).setDurable(true));
        }
        server = start(before);
        assertThat(server.getActiveMQServer().locateQueue(StageQueues.MENTIONS).isGroupRebalance()).isFalse();
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory("vm://" + id);
             Connection connection = factory.createConnection()) {
            send(connection.createSession(true, Session.SESSION_TRANSACTED), 0);
        }
        server.stop();

        server = start(BrokerConfiguration.brokerConfiguration(new HearthProperties(), dir.resolve("broker"), id));
        for (String stage : StageQueues.STAGES) {
            boolean grouped = StageQueues.GROUPED.contains(stage);
            Queue queue = server.getActiveMQServer().locateQueue(stage);
            assertThat(queue.isGroupRebalance()).as(stage + " group-rebalance").isEqualTo(grouped);
            assertThat(queue.isGroupRebalancePauseDispatch()).as(stage + " group-rebalance-pause-dispatch").isEqualTo(grouped);
        }
        assertThat(StageQueues.GROUPED).containsExactly(StageQueues.MENTIONS, StageQueues.CRM_OUTBOUND);
        assertThat(server.getActiveMQServer().locateQueue(StageQueues.MENTIONS).getMessageCount())
                .as("the persisted messages are still there").isEqualTo(GROUPS * PER_WAVE);
    }

    /** One wave: PER_WAVE messages of every group, the groups interleaved, as ingest sends authors' mentions. */
    private static void send(Session session, int firstSeq) throws Exception {
        MessageProducer producer = session.createProducer(session.createQueue(StageQueues.MENTIONS));
        producer.setDeliveryMode(DeliveryMode.PERSISTENT);
        for (int seq = firstSeq; seq < firstSeq + PER_WAVE; seq++) {
            for (int g = 0; g < GROUPS; g++) {
                Message m = session.createMessage();
                m.setStringProperty("JMSXGroupID", "author-" + g);
                m.setIntProperty("seq", seq);
                producer.send(m);
            }
        }
        session.commit();
    }

    private static void commit(Session session, String consumer, List<Message> batch, List<String> committed) {
        try {
            synchronized (committed) {
                session.commit();
                for (Message m : batch) {
                    committed.add(consumer + " " + m.getStringProperty("JMSXGroupID") + " " + m.getIntProperty("seq"));
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Void drain(Session session, MessageConsumer consumer, String name, AtomicInteger left,
                              List<String> committed) throws Exception {
        while (left.get() > 0 && !Thread.currentThread().isInterrupted()) {
            List<Message> batch = new ArrayList<>();
            Message m = consumer.receive(200);
            while (m != null) {
                batch.add(m);
                m = batch.size() < 7 ? consumer.receiveNoWait() : null;
            }
            if (!batch.isEmpty()) {
                commit(session, name, batch, committed);
                left.addAndGet(-batch.size());
            }
        }
        return null;
    }

    private static EmbeddedActiveMQ start(Configuration config) throws Exception {
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ().setConfiguration(config);
        broker.start();
        return broker;
    }
}
