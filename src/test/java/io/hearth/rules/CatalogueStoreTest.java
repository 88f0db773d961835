package io.hearth.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Catalogue grants on the real schema (V29): exactly once per reward, stock exact under concurrency and redelivery. */
class CatalogueStoreTest {

    static final LocalDate DAY = LocalDate.of(2026, 12, 5);
    static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

    JdbcDataSource ds;
    JdbcTemplate jdbc;
    CatalogueStore store;

    @BeforeEach
    void setUp() {
        ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:catalogue-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(ds);
        store = new CatalogueStore(() -> jdbc);
    }

    static CatalogueChooser.Choice choice(String key, Long stock, Integer perContact) {
        return new CatalogueChooser.Choice(new Rules.CatalogueItem(key, null, List.of("film"), stock, perContact, null, null),
                List.of("film"), "item " + key + " for interest film");
    }

    @Test
    void aRedeliveredRewardFindsItsItemAndTakesNoSecondUnit() {
        List<CatalogueChooser.Choice> choices = List.of(choice("poster", 3L, null));
        CatalogueStore.Grant first = store.claim("gift:c1:x:1", "c1", choices, DAY, NOW).orElseThrow();
        CatalogueStore.Grant again = store.claim("gift:c1:x:1", "c1", choices, DAY, NOW.plusSeconds(60)).orElseThrow();

        assertThat(again).isEqualTo(first);
        assertThat(store.taken("poster")).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hearth_catalogue_grant", Long.class)).isEqualTo(1);
    }

    @Test
    void theSamePersonGetsTheNextItemNotTheSameTwice() {
        List<CatalogueChooser.Choice> choices = List.of(choice("poster", null, null), choice("mug", null, null));
        assertThat(store.claim("gift:c1:x:1", "c1", choices, DAY, NOW)).map(CatalogueStore.Grant::itemKey).contains("poster");
        assertThat(store.claim("gift:c1:x:2", "c1", choices, DAY, NOW)).map(CatalogueStore.Grant::itemKey).contains("mug");
        assertThat(store.claim("gift:c1:x:3", "c1", choices, DAY, NOW)).as("both held").isEmpty();
        assertThat(store.claim("gift:c2:x:4", "c2", choices, DAY, NOW)).map(CatalogueStore.Grant::itemKey).contains("poster");
    }

    @Test
    void stockHoldsUnderConcurrentConsumers() throws Exception {
        assertStockHolds(false);
    }

    @Test
    void stockHoldsUnderConcurrentTransactions() throws Exception {
        assertStockHolds(true);
    }

    private void assertStockHolds(boolean transactional) throws Exception {
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        List<CatalogueChooser.Choice> choices = List.of(choice("signed-script", 5L, null), choice("poster", 3L, null));
        int consumers = 8;
        int perConsumer = 4;
        ExecutorService pool = Executors.newFixedThreadPool(consumers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<Optional<CatalogueStore.Grant>>>> results = new ArrayList<>();
        for (int t = 0; t < consumers; t++) {
            int thread = t;
            Callable<List<Optional<CatalogueStore.Grant>>> work = () -> {
                start.await();
                List<Optional<CatalogueStore.Grant>> got = new ArrayList<>();
                for (int i = 0; i < perConsumer; i++) {
                    // threads 2k and 2k+1 judge the same rewards at once (a redelivery racing its original)
                    int n = (thread / 2) * perConsumer + i;
                    String contact = "c" + n;
                    String reward = "gift:" + contact + ":x:" + n;
                    got.add(transactional ? tx.execute(s -> store.claim(reward, contact, choices, DAY, NOW))
                            : store.claim(reward, contact, choices, DAY, NOW));
                }
                return got;
            };
            results.add(pool.submit(work));
        }
        start.countDown();
        List<CatalogueStore.Grant> granted = new ArrayList<>();
        for (Future<List<Optional<CatalogueStore.Grant>>> f : results) {
            f.get().forEach(g -> g.ifPresent(granted::add));
        }
        pool.shutdown();

        assertThat(jdbc.queryForList("SELECT unit FROM hearth_catalogue_grant WHERE item_key = 'signed-script' ORDER BY unit",
                Integer.class)).containsExactly(1, 2, 3, 4, 5);
        assertThat(jdbc.queryForList("SELECT unit FROM hearth_catalogue_grant WHERE item_key = 'poster' ORDER BY unit",
                Integer.class)).containsExactly(1, 2, 3);
        // a reward and its redelivery got the same item, never two
        assertThat(granted).hasSize(16).as("16 rewards, each judged twice: 8 items");
        assertThat(granted.stream().map(CatalogueStore.Grant::rewardKey).distinct().count()).isEqualTo(8)
                .isEqualTo(jdbc.queryForObject("SELECT COUNT(*) FROM hearth_catalogue_grant", Long.class));
        for (CatalogueStore.Grant g : granted) {
            assertThat(store.grant(g.rewardKey())).contains(g);
        }
    }

    @Test
    void erasureForgetsThePersonButKeepsTheStockUsed() {
        List<CatalogueChooser.Choice> choices = List.of(choice("poster", 2L, null));
        store.claim("gift:c1:x:1", "c1", choices, DAY, NOW).orElseThrow();
        store.claim("gift:c2:x:2", "c2", choices, DAY, NOW).orElseThrow();
        store.reasonOnce("gift:c1:x:1", "c1", "gift", "mention of the brand on x", NOW);

        assertThat(CatalogueStore.anonymise(jdbc, "c1")).isEqualTo(1);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hearth_catalogue_grant WHERE contact_id = 'c1'"
                + " OR reward_key LIKE '%c1%'", Long.class)).isZero();
        assertThat(store.claim("gift:c3:x:3", "c3", choices, DAY, NOW)).as("still sold out").isEmpty();
    }

    @Test
    void reasonsAreDecidedOnceForRewardsAndReplacedForFlags() {
        assertThat(store.reasonOnce("r:1", "c1", "gift", "first", NOW).reason()).isEqualTo("first");
        assertThat(store.reasonOnce("r:1", "c1", "gift", "second", NOW).reason()).as("a replay keeps it").isEqualTo("first");
        store.saveReason("advocate:c1", "c1", "advocates:advocate", "entered", NOW);
        store.saveReason("advocate:c1", "c1", "advocates:multiplier", "moved up", NOW);
        assertThat(store.reason("advocate:c1")).contains(new CatalogueStore.Reason("advocates:multiplier", "moved up"));
    }
}
