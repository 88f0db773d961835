package io.hearth.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.hearth.crm.CrmCommand;
import io.hearth.crm.CrmMapping;
import io.hearth.identity.AuthorKeys;
import io.hearth.enrich.JudgedMention;
import io.hearth.enrich.MentionLog;
import io.hearth.identity.ContactDirectory;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionKind;
import io.hearth.rules.Rules;
import io.hearth.rules.RulesJudge;
import io.hearth.rules.RulesLoader;
import io.hearth.rules.RulesStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The service's state on the real schema (H2 + Flyway), with the rules judge and the brand-replies judge in the
 * enrich stage's order: posts are logged as the enrich stage logs them, then judged.
 */
final class ServiceWorld {

    static final String RULES = """
            programme: test
            brand: { handles: [acme_support], keywords: [acme] }
            cases:
              intents: [complaint]
            """;
    static final String CONTACT = "003000000000001AAA";

    final JdbcTemplate jdbc;
    final MentionLog log;
    final RulesStore rules;
    final RulesJudge judge;
    final ServiceStore store;
    final BrandReplies brand;
    final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    ServiceWorld(Map<String, List<String>> brandAccounts) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:service-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(ds);
        log = new MentionLog(jdbc);
        Rules r = new RulesLoader().parse("rules.yml", RULES);
        rules = new RulesStore(jdbc, log::reader);
        judge = new RulesJudge(() -> r, rules, log, new CrmMapping());
        store = new ServiceStore(jdbc, log::reader);
        ServiceSettings settings = new ServiceSettings();
        settings.setBrandAccounts(brandAccounts);
        brand = new BrandReplies(settings, rules, judge, store, new CrmMapping(), meters);
    }

    /** A post: logged, then judged by the brand judge and the rules judge (in that order), as the enrich stage does. */
    List<CrmCommand> post(String channel, String nativeId, String handle, String text, String intent, Instant at,
                          String inReplyTo, String conversation, boolean known, boolean firstSeen, Instant now) {
        Mention m = new Mention(Mention.SCHEMA_V1, channel + ":" + nativeId, channel, nativeId, null,
                inReplyTo == null ? MentionKind.POST : MentionKind.REPLY, text, "en", at,
                new Mention.Author(handle, null, null, 100L, false, null), null, List.of(), List.of(), List.of(),
                inReplyTo == null ? null : channel + ":" + inReplyTo, null, conversation, -0.6, intent, 20, null);
        if (firstSeen) {
            log.record(new MentionLog.Entry(m.id(), channel, AuthorKeys.of(channel, handle), known ? CONTACT : null, known,
                    m.kind().name().toLowerCase(), at, now, -0.6, intent, 20, 100L, 0L, List.of(), conversation, handle, text));
        }
        ContactDirectory.Entry identity = known
                ? new ContactDirectory.Entry("id-1", channel, handle, handle, null, CONTACT, true, true, now) : null;
        JudgedMention j = new JudgedMention(m, null, identity, firstSeen, now);
        List<CrmCommand> out = new ArrayList<>(brand.judge(j));
        out.addAll(judge.judge(j));
        return out;
    }
}
