package io.hearth.enrich;

import java.time.Clock;
import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.crm.CrmMapping;
import io.hearth.identity.ContactDirectory;
import io.hearth.identity.IdentityHooks;
import io.hearth.scoring.MentionScorer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The enrich stage's bean {@code mentionEnricher} (used by routes/pipeline/enrich.camel.yaml). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CrmMapping.class)
public class EnrichConfiguration {

    @Bean
    public Rejudging rejudging(MentionLog log) {
        return new Rejudging(log);
    }

    /** Bean {@code lateAttribution} (routes/jobs/late-attribution.camel.yaml). */
    @Bean
    public LateAttribution lateAttribution(org.springframework.jdbc.core.JdbcTemplate jdbc, Rejudging rejudging,
                                           io.hearth.state.SourceCheckpoints checkpoints,
                                           ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters) {
        return new LateAttribution(jdbc, rejudging, checkpoints, meters.getIfAvailable());
    }

    @Bean
    public MentionEnricher mentionEnricher(ObjectMapper objectMapper, ContactDirectory directory, MentionScorer scorer,
                                           MentionLog log, CrmMapping mapping, ObjectProvider<IdentityHooks> identity,
                                           ObjectProvider<MentionJudge> judges, Clock clock,
                                           EnrichSettings settings,
                                           ObjectProvider<io.micrometer.core.instrument.MeterRegistry> meters) {
        int topInterests = settings.topInterests();
        if (topInterests < 1 || topInterests > 50) {
            throw new IllegalArgumentException("hearth.enrich.top-interests: must be 1..50, was " + topInterests);
        }
        List<MentionJudge> ordered = judges.orderedStream().toList();
        return new MentionEnricher(objectMapper, directory, scorer, log, mapping,
                IdentityHooks.all(identity.orderedStream().toList()), ordered, clock, topInterests,
                meters.getIfAvailable());
    }
}
