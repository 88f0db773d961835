package io.hearth.rules.triggers;

import java.time.Clock;
import java.time.Duration;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.enrich.MentionLog;
import org.apache.camel.ProducerTemplate;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Reward triggers ({@code hearth.rewards.*}, docs/rules.md "Reward triggers"). The beans exist whether or not the rules
 * are on (the routes name them); nothing is recorded without rules that list {@code triggers:}.
 */
@Configuration(proxyBeanMethods = false)
public class RewardTriggersConfiguration {

    @Bean
    RewardTriggers rewardTriggers(MentionLog log, ObjectMapper json) {
        return new RewardTriggers(log::reader, json);
    }

    @Bean
    RewardTriggerSender rewardTriggerSender(RewardTriggers triggers, ProducerTemplate producer, Clock clock,
                                            @Value("${hearth.rewards.webhook.url:}") String url,
                                            @Value("${hearth.rewards.webhook.secret:}") String secret,
                                            @Value("${hearth.rewards.webhook.timeout:10s}") Duration timeout) {
        return new RewardTriggerSender(triggers, producer, clock, url, secret, timeout);
    }

    /** The job's step: rows not queued yet (at most {@code batch}). */
    @Bean
    RewardTriggerJob rewardTriggerJob(RewardTriggers triggers, Clock clock,
                                      @Value("${hearth.rewards.triggers.batch:500}") int batch) {
        return new RewardTriggerJob(triggers, clock, batch);
    }
}
