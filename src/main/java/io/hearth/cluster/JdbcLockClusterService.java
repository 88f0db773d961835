package io.hearth.cluster;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Lock;

import javax.sql.DataSource;

import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.support.cluster.AbstractCamelClusterService;
import org.apache.camel.support.cluster.AbstractCamelClusterView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * A Camel cluster service whose leader election is a row lock in the state database: Spring Integration's
 * {@link JdbcLockRegistry} over the {@code INT_LOCK} table (migration V27), one lock per {@code master:} namespace.
 * Camel 4.17 ships no JDBC cluster service (file, Kubernetes, ZooKeeper, Consul, Infinispan, JGroups only), so this
 * adapter is Hearth's; the locking itself (atomic insert/update with a time-to-live, renewal by the holder) is the
 * library's.
 *
 * <p>Per namespace, one thread ticks every {@code renewInterval}: a follower tries the lock (it gets it only when no row
 * exists or the holder's row is older than {@code ttl}); the leader renews its row. Leadership is given up when a
 * renewal fails, and also, independently of a renewal that hangs (database unreachable, process paused), by a watchdog as
 * soon as the last successful renewal is older than {@code lease}. Because {@code lease + watchdog period} is well under
 * {@code ttl}, the leader's {@code master:} consumers are stopped before any other hub can take the row over (bound and
 * limits in docs/scaling.md).
 *
 * <p>Works around CAMEL-24583 (Camel 4.17's MasterConsumer starts its delegate one second after a leadership-taken event
 * and drops a leadership-lost event that arrives in between): a follower announces "not leader" again at every tick, so
 * a delegate started by that race is stopped within one {@code renewInterval}.
 */
public class JdbcLockClusterService extends AbstractCamelClusterService<JdbcLockClusterService.View> {

    private static final Logger log = LoggerFactory.getLogger(JdbcLockClusterService.class);
    static final String REGION = "hearth-cluster";

    private final String memberName;
    private final Duration renewInterval;
    private final Duration lease;
    private final DefaultLockRepository repository;
    private final JdbcLockRegistry registry;
    private ScheduledExecutorService watchdog;

    /**
     * @param dataSource    the state database (PostgreSQL in a cluster), with table {@code INT_LOCK}
     * @param memberName    this hub's name in logs and in the cluster view
     * @param ttl           a lock row older than this may be taken over by another hub
     * @param renewInterval how often the leader renews (and a follower tries)
     * @param lease         the leader gives up when its last successful renewal is older than this
     */
    public JdbcLockClusterService(DataSource dataSource, String memberName, Duration ttl, Duration renewInterval, Duration lease) {
        super("hearth-postgres");
        ClusterSettings.checkTimings(ttl, renewInterval, lease);
        this.memberName = memberName;
        this.renewInterval = renewInterval;
        this.lease = lease;
        this.repository = new DefaultLockRepository(dataSource, UUID.randomUUID().toString());
        this.repository.setRegion(REGION);
        this.repository.setTimeToLive(Math.toIntExact(ttl.toMillis()));
        this.repository.setTransactionManager(new DataSourceTransactionManager(dataSource));
        this.repository.afterPropertiesSet();
        this.repository.afterSingletonsInstantiated();
        this.registry = new JdbcLockRegistry(repository);
        this.registry.setIdleBetweenTries(Duration.ofMillis(100));
    }

    public String memberName() {
        return memberName;
    }

    @Override
    protected void doStart() throws Exception {
        repository.start(); // checks that INT_LOCK exists
        AtomicInteger n = new AtomicInteger();
        watchdog = Executors.newScheduledThreadPool(1, r -> {
            Thread t = new Thread(r, "hearth-cluster-watchdog-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        if (watchdog != null) {
            watchdog.shutdownNow();
        }
        repository.stop();
    }

    @Override
    protected View createView(String namespace) {
        return new View(namespace);
    }

    /** One {@code master:} namespace: its lock, its ticking thread and the watchdog's check. */
    public final class View extends AbstractCamelClusterView {

        private final String key;
        private final Lock lock;
        private final Member local = new Member();
        private volatile boolean leader;
        private volatile long renewedAtNanos;
        private boolean held; // only touched by the worker thread (JdbcLock is owned by the thread that locked it)
        private ScheduledExecutorService worker;
        private ScheduledFuture<?> watch;

        View(String namespace) {
            super(JdbcLockClusterService.this, namespace);
            this.key = "hearth-cluster:" + namespace;
            this.lock = registry.obtain(key);
        }

        @Override
        public Optional<CamelClusterMember> getLeader() {
            return leader ? Optional.of(local) : Optional.empty();
        }

        @Override
        public CamelClusterMember getLocalMember() {
            return local;
        }

        @Override
        public List<CamelClusterMember> getMembers() {
            return List.of(local);
        }

        @Override
        protected void doStart() {
            worker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "hearth-cluster-" + getNamespace());
                t.setDaemon(true);
                return t;
            });
            worker.scheduleWithFixedDelay(this::tick, 0, renewInterval.toMillis(), TimeUnit.MILLISECONDS);
            long period = Math.max(50, Math.min(500, renewInterval.toMillis() / 2));
            watch = watchdog.scheduleWithFixedDelay(this::watch, period, period, TimeUnit.MILLISECONDS);
        }

        @Override
        protected void doStop() throws Exception {
            if (watch != null) {
                watch.cancel(false);
            }
            if (worker != null) {
                try {
                    worker.submit(() -> {
                        revoke("the hub stops");
                        release();
                    }).get(5, TimeUnit.SECONDS);
                } catch (Exception e) {
                    log.warn("Cluster lock {} not released on stop ({}); another hub takes over after the lock's TTL",
                            getNamespace(), e.toString());
                } finally {
                    worker.shutdownNow();
                }
            }
        }

        /** The worker thread: acquire, renew or release. */
        void tick() {
            try {
                long started = System.nanoTime();
                if (held && !leader) {
                    release(); // revoked by the watchdog (or a failed renewal): give the row back if the database lets us
                }
                if (!held) {
                    boolean acquired;
                    try {
                        acquired = lock.tryLock();
                    } catch (Exception e) {
                        log.debug("Cluster lock {} not acquired: {}", getNamespace(), e.toString());
                        acquired = false;
                    }
                    if (acquired) {
                        held = true;
                        renewedAtNanos = started;
                        grant();
                    } else {
                        // CAMEL-24583: stop a delegate that a lost-event race left running on this follower.
                        fireLeadershipChangedEvent(Optional.empty());
                    }
                } else {
                    try {
                        registry.renewLock(key);
                        renewedAtNanos = started;
                    } catch (Exception e) {
                        revoke("renewal failed: " + e.getClass().getSimpleName());
                        release();
                    }
                }
            } catch (RuntimeException e) {
                log.warn("Cluster lock {}: {}", getNamespace(), e.toString());
            }
        }

        /** The watchdog: leadership ends when the last renewal is older than the lease, even if a renewal hangs. */
        void watch() {
            if (leader && System.nanoTime() - renewedAtNanos > lease.toNanos()) {
                revoke("no successful renewal for " + lease.toMillis() + " ms");
            }
        }

        private synchronized void grant() {
            if (!leader) {
                leader = true;
                log.info("Cluster: {} leads {} (lock in the state database)", memberName, getNamespace());
                fireLeadershipChangedEvent(local);
            }
        }

        private synchronized void revoke(String why) {
            if (leader) {
                leader = false;
                if (isStoppingOrStopped()) {
                    log.info("Cluster: {} gives up leading {}: {}", memberName, getNamespace(), why);
                } else {
                    log.warn("Cluster: {} gives up leading {}: {}", memberName, getNamespace(), why);
                }
                fireLeadershipChangedEvent(Optional.empty());
            }
        }

        private void release() {
            if (held) {
                held = false;
                try {
                    lock.unlock();
                } catch (Exception e) {
                    log.debug("Cluster lock {} not released: {}", getNamespace(), e.toString());
                }
            }
        }

        /** Test hook: true while this hub believes it leads the namespace. */
        public boolean isLeader() {
            return leader;
        }

        private final class Member implements CamelClusterMember {
            @Override
            public boolean isLeader() {
                return leader;
            }

            @Override
            public boolean isLocal() {
                return true;
            }

            @Override
            public String getId() {
                return memberName;
            }
        }
    }
}
