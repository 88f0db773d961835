package io.hearth.rules.backfill;

import java.time.Clock;

import io.hearth.enrich.Rejudging;
import io.hearth.rules.Rules;
import io.hearth.rules.RulesHolder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

/** The backfill service; present whether or not the rules are on (its job route names it). */
@Configuration(proxyBeanMethods = false)
public class RulesBackfillConfiguration {

    @Bean
    RulesBackfill rulesBackfill(JdbcTemplate jdbc, Rejudging rejudging, ObjectProvider<RulesHolder> holder, Clock clock) {
        return new RulesBackfill(jdbc, rejudging, () -> {
            RulesHolder h = holder.getIfAvailable();
            return h == null ? Rules.NONE : h.current();
        }, clock);
    }
}
