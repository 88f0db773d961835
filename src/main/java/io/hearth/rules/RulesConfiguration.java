package io.hearth.rules;

import java.nio.file.Path;
import java.time.Clock;

import io.hearth.crm.CrmMapping;
import io.hearth.enrich.MentionLog;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The rules judge and what it needs ({@code hearth.rules.*}). On by default; tests that do not test rules turn it off
 * (src/test/resources/application.properties), so their crm.outbound holds only the enrich stage's own commands.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "hearth.rules.enabled", havingValue = "true", matchIfMissing = true)
public class RulesConfiguration {

    @Bean
    RulesHolder rulesHolder(RulesSettings settings, Clock clock) {
        return new RulesHolder(Path.of(settings.file()), new RulesLoader(), clock, settings.checkInterval());
    }

    @Bean
    RulesStore rulesStore(JdbcTemplate jdbc, MentionLog log) {
        return new RulesStore(jdbc, log::reader);
    }

    @Bean
    @Order(100)
    RulesJudge rulesJudge(RulesHolder holder, RulesStore store, MentionLog log, CrmMapping mapping,
                          io.hearth.rules.triggers.RewardTriggers triggers) {
        return new RulesJudge(holder::current, store, log, mapping, new CatalogueStore(log::reader)).withTriggers(triggers);
    }

    /** Records in the state database which rules this hub runs, so every hub can tell whether all run the same. */
    @Bean
    RulesInForce rulesInForce(RulesHolder holder, JdbcTemplate jdbc, Clock clock, RulesSettings settings) {
        RulesInForce inForce = new RulesInForce(jdbc, RulesInForce.thisHub(), clock, settings.checkInterval());
        holder.listen(inForce);
        return inForce;
    }

    @Bean(name = "rulesHealthIndicator")
    RulesHealthIndicator rulesHealthIndicator(RulesHolder holder, RulesInForce inForce) {
        return new RulesHealthIndicator(holder, inForce);
    }
}
