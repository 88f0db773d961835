package io.hearth.state;


import com.zaxxer.hikari.HikariDataSource;
import io.hearth.config.DataPaths;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.DependsOn;
import org.springframework.context.annotation.Configuration;

/**
 * The state database: {@code spring.datasource.url} when set (PostgreSQL in production), otherwise
 * an H2 file under {@code <data-dir>/state}. Flyway migrates either on startup. The pool's size follows the stage
 * consumers ({@link #poolSize}) unless {@code spring.datasource.hikari.maximum-pool-size} is set.
 */
@Configuration(proxyBeanMethods = false)
public class StateDatabaseConfiguration {

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    // Bad configuration must stop startup before Flyway creates a database in the data dir.
    @DependsOn("configurationCheck")
    HikariDataSource dataSource(DataSourceProperties properties, DataPaths paths,
                                org.springframework.beans.factory.ObjectProvider<io.hearth.config.HearthProperties> hearth) {
        if (properties.getUrl() == null || properties.getUrl().isBlank()) {
            // WRITE_DELAY=0: a commit reaches the file before it returns, so a killed hub keeps its keys.
            properties.setUrl("jdbc:h2:file:" + paths.state().resolve("hearth") + ";WRITE_DELAY=0");
            properties.setUsername("sa");
            properties.setPassword("");
        }
        HikariDataSource dataSource = properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        // Sized for the stage consumers (set before spring.datasource.hikari.* binds: an explicit setting still wins).
        dataSource.setMaximumPoolSize(poolSize(hearth.getIfAvailable() == null ? 2
                : hearth.getIfAvailable().getQueues().getConcurrentConsumers()));
        return dataSource;
    }

    /**
     * The pool a hub needs: every consumer of the normalise and enrich stages may hold a connection for its whole batch
     * (the enrich stage's batch transaction), the CRM writer one, and the jobs, directory sync and API a few more.
     * Hikari's default of 10 against up to 64 consumers per stage made consumers wait for connections (issue 18).
     */
    public static int poolSize(int concurrentConsumers) {
        return Math.max(10, 2 * concurrentConsumers + 1 + 6);
    }
}
