package io.hearth.service;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;

import io.hearth.crm.CrmMapping;
import io.hearth.enrich.MentionLog;
import io.hearth.queue.DeadLetterPublisher;
import io.hearth.rules.RulesJudge;
import io.hearth.rules.RulesStore;
import io.hearth.state.SourceCheckpoints;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The two-way social service ({@code hearth.service.*}, docs/service.md): brand replies tracked in cases (a judge
 * before the rules judge, with the rules), and agents' replies from the CRM posted to the channels (routes in
 * routes/service/, started by {@code hearth.service.replies.enabled}).
 */
@Configuration(proxyBeanMethods = false)
public class ServiceConfiguration {

    @Bean
    ServiceStore serviceStore(JdbcTemplate jdbc, MentionLog log) {
        return new ServiceStore(jdbc, log::reader);
    }

    /** Runs before the rules judge (order 100): the brand's post joins the case before the case record is written. */
    @Bean
    @Order(90)
    @ConditionalOnProperty(name = "hearth.rules.enabled", havingValue = "true", matchIfMissing = true)
    BrandReplies brandReplies(ServiceSettings settings, RulesStore rules, RulesJudge judge, ServiceStore store,
                              CrmMapping mapping, MeterRegistry meters) {
        return new BrandReplies(settings, rules, judge, store, mapping, meters);
    }

    @Bean("serviceReplyPoster")
    ReplyPoster serviceReplyPoster(ServiceSettings settings, ServiceStore store, ObjectProvider<RulesStore> rules,
                                   ObjectProvider<BrandReplies> brand, CrmMapping mapping, DeadLetterPublisher deadLetters,
                                   Clock clock) {
        return new ReplyPoster(clients(settings.getReplies(), clock), store, rules.getIfAvailable(), brand.getIfAvailable(),
                mapping, deadLetters, clock);
    }

    @Bean("serviceReplyPoll")
    ReplyPoll serviceReplyPoll(SourceCheckpoints checkpoints, ServiceStore store, Clock clock, ServiceSettings settings) {
        return new ReplyPoll(checkpoints, store, clock, settings.getReplies());
    }

    /** The posting clients of the channels that have an account configured. */
    static List<ReplyClient> clients(ServiceSettings.Replies s, Clock clock) {
        ReplyHttp http = new ReplyHttp(s.getTimeout(), s.getRateLimitBackOff(), clock);
        List<ReplyClient> out = new ArrayList<>();
        if (s.getX().configured()) {
            out.add(new XReplyClient(http, s.getX().getBaseUrl(), s.getX().getAccessToken(), s.getX().getUserId()));
        }
        if (s.getMastodon().configured()) {
            out.add(new MastodonReplyClient(http, s.getMastodon().getBaseUrl(), s.getMastodon().getAccessToken()));
        }
        if (s.getBluesky().configured()) {
            out.add(new BlueskyReplyClient(http, s.getBluesky().getBaseUrl(), s.getBluesky().getIdentifier(),
                    s.getBluesky().getAppPassword()));
        }
        return out;
    }
}
