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
 * an H2 file under {@code <data-dir>/state}. Flyway migrates either on startup.
 */
@Configuration(proxyBeanMethods = false)
public class StateDatabaseConfiguration {

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    // Bad configuration must stop startup before Flyway creates a database in the data dir.
    @DependsOn("configurationCheck")
    HikariDataSource dataSource(DataSourceProperties properties, DataPaths paths) {
        if (properties.getUrl() == null || properties.getUrl().isBlank()) {
            // WRITE_DELAY=0: a commit reaches the file before it returns, so a killed hub keeps its keys.
            properties.setUrl("jdbc:h2:file:" + paths.state().resolve("hearth") + ";WRITE_DELAY=0");
            properties.setUsername("sa");
            properties.setPassword("");
        }
        return properties.initializeDataSourceBuilder().type(HikariDataSource.class).build();
    }
}
