package io.hearth.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import com.zaxxer.hikari.HikariDataSource;
import io.hearth.config.DataPaths;
import io.hearth.config.HearthProperties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;

/**
 * Issue 18 item 11: Hikari's default pool of 10 connections against up to 64 consumers per stage, each of which may
 * hold a connection for its whole batch. The pool follows the consumers unless set explicitly.
 */
class StatePoolSizeTest {

    @TempDir
    Path dataDir;

    @Test
    void thePoolHasAConnectionForEveryBatchConsumerAndTheOtherUsers() throws Exception {
        HearthProperties hearth = new HearthProperties();
        hearth.setDataDir(dataDir);
        hearth.getQueues().setConcurrentConsumers(64);
        DataSourceProperties properties = new DataSourceProperties();
        properties.afterPropertiesSet();
        StaticListableBeanFactory beans = new StaticListableBeanFactory();
        beans.addBean("hearth", hearth);
        try (HikariDataSource ds = new StateDatabaseConfiguration().dataSource(properties, new DataPaths(hearth),
                beans.getBeanProvider(HearthProperties.class))) {
            assertThat(ds.getMaximumPoolSize()).isEqualTo(2 * 64 + 1 + 6);
        }
        assertThat(StateDatabaseConfiguration.poolSize(2)).isEqualTo(11);
        assertThat(StateDatabaseConfiguration.poolSize(1)).as("never below Hikari's default").isEqualTo(10);
    }
}
