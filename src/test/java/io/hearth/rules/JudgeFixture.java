package io.hearth.rules;

import java.time.Instant;
import java.util.List;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.core.JdbcTemplate;

import io.hearth.crm.CrmCommand;
import io.hearth.crm.CrmMapping;
import io.hearth.identity.AuthorKeys;
import io.hearth.enrich.JudgedMention;
import io.hearth.enrich.MentionLog;
import io.hearth.identity.ContactDirectory;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionKind;

/**
 * The rule judges' unit tests on the real schema (an in-memory H2 migrated by Flyway), without Spring or the hub: a
 * {@link RulesStore}, {@link MentionLog} and {@link CatalogueStore}, and mentions logged as the enrich stage logs them.
 */
final class JudgeFixture {

    static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
    static final String C1 = "003000000000001AAA";
    static final String C2 = "003000000000002AAA";

    final JdbcTemplate jdbc;
    final MentionLog log;
    final RulesStore store;
    final CatalogueStore catalogue;
    final CrmMapping mapping = new CrmMapping();
    final RewardRecords records;

    JudgeFixture() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:judge-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(ds);
        log = new MentionLog(jdbc);
        store = new RulesStore(jdbc, log::reader);
        catalogue = new CatalogueStore(log::reader);
        records = new RewardRecords(store, mapping, catalogue);
    }

    static Rules rules(String yaml) {
        return new RulesLoader().parse("rules.yml", yaml);
    }

    /** A post on x by {@code handle}, made at {@code at}. */
    static Mention.Builder post(String nativeId, String handle, String text, Instant at) {
        return Mention.v1("x", nativeId).id("x:" + nativeId).kind(MentionKind.POST).text(text).lang("en").createdAt(at)
                .author(new Mention.Author(handle, null, null, 500L, false, null))
                .hashtags(List.of()).mentions(List.of()).links(List.of());
    }

    /** The mention as the judges see it: of a consenting contact (null: an unknown author). */
    static JudgedMention judged(Mention m, String contact, boolean firstSeen) {
        ContactDirectory.Entry identity = contact == null ? null : new ContactDirectory.Entry("id-" + contact, "x",
                m.author().handle(), m.author().handle(), null, contact, true, true, NOW);
        return new JudgedMention(m, null, identity, firstSeen, NOW);
    }

    /** Logs the mention as the enrich stage does before the judges run. */
    Mention logged(Mention m, String contact) {
        log.record(new MentionLog.Entry(m.id(), m.channel(), AuthorKeys.of(m.channel(), m.author().handle()), contact,
                contact != null, m.kind().name().toLowerCase(java.util.Locale.ROOT), m.createdAt(), NOW, m.sentiment(),
                m.intent(), m.influence(), 500L, 0L, List.of(), m.conversationId(), m.author().handle(), m.text()));
        return m;
    }

    static List<CrmCommand> of(List<CrmCommand> out, String object) {
        return out.stream().filter(c -> c.object().equals(object)).toList();
    }
}
