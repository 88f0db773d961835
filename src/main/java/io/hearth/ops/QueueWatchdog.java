package io.hearth.ops;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.hearth.config.DataPaths;
import io.hearth.queue.BrokerConfiguration;
import io.hearth.queue.QueueDepths;
import io.hearth.queue.QueueHold;
import io.hearth.queue.QueueWatchdogSettings;
import io.hearth.queue.StageQueueEndpoint;
import io.hearth.queue.StageQueues;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.annotation.PreDestroy;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;

/**
 * The no-progress watchdog (issue 18 item 12): every {@code hearth.queues.stall-check-interval} it looks at each stage
 * queue's depth and its consumers' committed count; a queue that holds messages while none has left it for
 * {@code hearth.queues.stall-after} is stalled. A stall that no stage explains ({@link QueueHold}: e.g. the CRM
 * writer paused for the API limit) makes health component {@code queues} DOWN with the stage and the reason,
 * sets {@code hearth_queue_stalled{queue}} to 1, counts {@code hearth_queue_stalls_total{queue}}, logs a WARN and writes
 * a diagnostics file (queue states, consumer routes, holds, every thread's stack) under
 * {@code <data-dir>/diagnostics/}: what was missing when a burst stalled before. Thread stacks and counts only: no
 * message content.
 */
@Component
public class QueueWatchdog implements SmartInitializingSingleton {

    /** One stage queue as the watchdog sees it now. */
    public record Report(StallDetector.QueueState state, String route, String routeStatus, String held, String reason) {
        public boolean down() {
            return state.stalled() && held == null;
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(QueueWatchdog.class);

    private final QueueWatchdogSettings settings;
    private final QueueDepths depths;
    private final BrokerConfiguration.EmbeddedBroker broker;
    private final MeterRegistry meters;
    private final CamelContext camel;
    private final List<QueueHold> holds;
    private final DataPaths paths;
    private final Clock clock;
    private final StallDetector detector;
    private final Set<String> reported = new HashSet<>();
    private volatile Map<String, Report> reports = Map.of();
    private ScheduledExecutorService executor;

    public QueueWatchdog(QueueWatchdogSettings settings, QueueDepths depths, BrokerConfiguration.EmbeddedBroker broker,
            MeterRegistry meters, CamelContext camel, ObjectProvider<QueueHold> holds, DataPaths paths, Clock clock) {
        this.settings = settings.validated();
        this.depths = depths;
        this.broker = broker;
        this.meters = meters;
        this.camel = camel;
        this.holds = holds.orderedStream().toList();
        this.paths = paths;
        this.clock = clock;
        boolean on = !settings.getStallAfter().isZero();
        this.detector = on ? new StallDetector(settings.getStallAfter()) : null;
    }

    public boolean enabled() {
        return detector != null;
    }

    public QueueWatchdogSettings settings() {
        return settings;
    }

    @Override
    public void afterSingletonsInstantiated() {
        if (detector == null) {
            LOG.info("Queue watchdog off (hearth.queues.stall-after=0)");
            return;
        }
        for (String queue : StageQueues.STAGES) {
            Gauge.builder("hearth.queue.stalled", this, w -> w.stalled(queue)).tag("queue", queue)
                    .description("1 while the stage queue holds messages and none has left it for hearth.queues.stall-after, unexplained")
                    .register(meters);
            Gauge.builder("hearth.queue.no.progress", this, w -> w.noProgressSeconds(queue)).tag("queue", queue).baseUnit("seconds")
                    .description("seconds the stage queue has held messages without any leaving it (0 when empty or moving)")
                    .register(meters);
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "queue-watchdog");
            t.setDaemon(true);
            return t;
        });
        long every = Math.max(50, settings.getStallCheckInterval().toMillis());
        executor.scheduleWithFixedDelay(this::checkSafely, every, every, TimeUnit.MILLISECONDS);
    }

    private double stalled(String queue) {
        Report r = reports.get(queue);
        return r != null && r.down() ? 1 : 0;
    }

    private double noProgressSeconds(String queue) {
        Report r = reports.get(queue);
        return r == null ? 0 : r.state().noProgressFor().toMillis() / 1000.0;
    }

    public Map<String, Report> reports() {
        return reports;
    }

    private void checkSafely() {
        try {
            check();
        } catch (RuntimeException e) {
            LOG.warn("Queue watchdog check failed: {}", e.toString());
        }
    }

    /** One look at every stage queue (also called by tests). */
    public synchronized void check() {
        if (detector == null || !camel.getStatus().isStarted()) {
            return;
        }
        Instant now = clock.instant();
        Map<String, Report> next = new LinkedHashMap<>();
        for (String queue : StageQueues.STAGES) {
            String held = holdOf(queue);
            StallDetector.QueueState state = detector.observe(queue, depth(queue), counter("hearth.queue.consumed", queue),
                    counter("hearth.queue.rollbacks", queue), held != null, now);
            Route route = routeOf(queue);
            String routeId = route == null ? null : route.getRouteId();
            ServiceStatus status = routeId == null ? null : camel.getRouteController().getRouteStatus(routeId);
            String reason = state.stalled() ? reason(state, routeId, status, held) : held;
            next.put(queue, new Report(state, routeId, status == null ? "none" : status.name(), held, reason));
        }
        reports = next;
        for (Report r : next.values()) {
            String queue = r.state().queue();
            if (r.down() && reported.add(queue)) {
                meters.counter("hearth.queue.stalls", "queue", queue).increment();
                Path dump = settings.isStallDump() ? dump(queue, next) : null;
                LOG.warn("Queue {} stalled: {}{}", queue, r.reason(), dump == null ? "" : "; diagnostics in " + dump);
            } else if (!r.down() && reported.remove(queue)) {
                LOG.info("Queue {} moves again ({} messages)", queue, r.state().depth());
            }
        }
    }

    private static String reason(StallDetector.QueueState s, String routeId, ServiceStatus status, String held) {
        StringBuilder b = new StringBuilder();
        b.append(s.queue()).append(" holds ").append(s.depth()).append(" message(s) and none has left it for ")
                .append(s.noProgressFor().toSeconds()).append(" s; ");
        if (held != null) {
            return b.append("held on purpose: ").append(held).toString();
        }
        if (routeId == null) {
            return b.append("no route consumes it").toString();
        }
        b.append("consumer route ").append(routeId).append(' ').append(status == null ? "unknown" : status.name());
        if (status != null && !status.isStarted()) {
            return b.append(": the route is not running").toString();
        }
        if (s.rollbacksSinceProgress() > 0) {
            return b.append(", ").append(s.rollbacksSinceProgress()).append(" batch(es) rolled back since: its batches keep failing")
                    .toString();
        }
        return b.append(", no batch committed or rolled back since: its consumers are stuck (see the thread stacks)").toString();
    }

    /**
     * The embedded broker is asked directly: a management request creates a temporary reply queue each time, and the
     * embedded broker logs two WARN lines for each (no dead-letter/expiry address), every check. An external broker
     * is asked with management messages ({@link QueueDepths}).
     */
    private long depth(String queue) {
        if (broker.isRunning()) {
            org.apache.activemq.artemis.core.server.Queue q = broker.server().getActiveMQServer()
                    .locateQueue(org.apache.activemq.artemis.api.core.SimpleString.of(queue));
            return q == null ? -1 : q.getMessageCount();
        }
        return depths.depth(queue);
    }

    private String holdOf(String queue) {
        for (QueueHold hold : holds) {
            if (hold.queue().equals(queue)) {
                Optional<String> why = hold.holdReason();
                if (why.isPresent()) {
                    return why.get();
                }
            }
        }
        return null;
    }

    private Route routeOf(String queue) {
        for (Route route : camel.getRoutes()) {
            if (route.getEndpoint() instanceof StageQueueEndpoint e && e.getQueueName().equals(queue)) {
                return route;
            }
        }
        return null;
    }

    private double counter(String name, String queue) {
        Counter c = meters.find(name).tag("queue", queue).counter();
        return c == null ? 0 : c.count();
    }

    private Path dump(String queue, Map<String, Report> now) {
        StringBuilder b = new StringBuilder();
        b.append("Hearth queue watchdog: ").append(queue).append(" stalled at ").append(clock.instant()).append("\n\n");
        for (Report r : now.values()) {
            b.append(r.state().queue()).append(": depth ").append(r.state().depth()).append(", no progress for ")
                    .append(r.state().noProgressFor().toSeconds()).append(" s, rollbacks since ").append(r.state().rollbacksSinceProgress())
                    .append(", route ").append(r.route()).append(' ').append(r.routeStatus());
            if (r.held() != null) {
                b.append(", held: ").append(r.held());
            }
            b.append('\n');
        }
        try {
            for (String dlq : StageQueues.STAGES) {
                String name = StageQueues.deadLetterQueueOf(dlq);
                b.append(name).append(": ").append(depth(name)).append('\n');
            }
        } catch (RuntimeException e) {
            b.append("DLQ depths unavailable: ").append(e).append('\n');
        }
        b.append("\nThreads:\n");
        for (ThreadInfo t : ManagementFactory.getThreadMXBean().dumpAllThreads(true, true)) {
            b.append(threadInfo(t));
        }
        try {
            Path dir = paths.root().resolve("diagnostics");
            Files.createDirectories(dir);
            Path file = dir.resolve("stall-" + queue + "-" + DateTimeFormatter.ISO_INSTANT.format(clock.instant()).replace(':', '-') + ".txt");
            Path partial = dir.resolve(file.getFileName() + ".part");
            Files.writeString(partial, b, StandardCharsets.UTF_8);
            Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            return file;
        } catch (IOException e) {
            LOG.warn("Queue watchdog could not write its diagnostics: {}", e.toString());
            return null;
        }
    }

    /** ThreadInfo.toString() cuts stacks at 8 frames: the whole stack is what tells where a consumer hangs. */
    private static String threadInfo(ThreadInfo t) {
        StringBuilder b = new StringBuilder();
        b.append('"').append(t.getThreadName()).append("\" id=").append(t.getThreadId()).append(' ').append(t.getThreadState());
        if (t.getLockName() != null) {
            b.append(" on ").append(t.getLockName());
        }
        if (t.getLockOwnerName() != null) {
            b.append(" owned by \"").append(t.getLockOwnerName()).append('"');
        }
        b.append('\n');
        for (StackTraceElement e : t.getStackTrace()) {
            b.append("\tat ").append(e).append('\n');
        }
        b.append('\n');
        return b.toString();
    }

    @PreDestroy
    void close() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
