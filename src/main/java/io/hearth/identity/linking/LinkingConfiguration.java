package io.hearth.identity.linking;

import java.security.SecureRandom;
import java.time.Clock;

import io.hearth.crm.CrmMapping;
import io.hearth.identity.DirectoryStore;
import org.apache.camel.ProducerTemplate;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/** Verified linking: settings, the enrich stage's hook, the CRM look-ups of POST/DELETE /api/links. */
@Configuration(proxyBeanMethods = false)
public class LinkingConfiguration {

    @Bean
    LinkingSettings linkingSettings(Environment environment) {
        return LinkingSettings.from(environment);
    }

    @Bean
    LinkRateLimits.Limiters linkRateLimiters(Environment environment, JdbcTemplate jdbc, Clock clock) {
        return LinkRateLimits.from(environment).limiters(jdbc, clock);
    }

    @Bean
    LinkCodes linkCodes() {
        return new LinkCodes(new SecureRandom());
    }

    @Bean
    VerifiedLinking verifiedLinking(LinkingSettings settings, LinkStore store, DirectoryStore directory, CrmMapping mapping,
                                    Clock clock) {
        return new VerifiedLinking(settings, store, directory, mapping, clock);
    }

    @Bean
    CrmIdentities crmIdentities(ProducerTemplate producer, CrmMapping mapping, LinkingSettings settings) {
        return new CrmIdentities(producer, mapping, settings);
    }
}
