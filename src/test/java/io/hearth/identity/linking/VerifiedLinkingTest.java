package io.hearth.identity.linking;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.hearth.crm.CrmCommand;
import io.hearth.crm.CrmMapping;
import io.hearth.identity.ContactDirectory;
import io.hearth.identity.DirectoryStore;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionKind;
import io.hearth.support.MutableClock;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.mock.env.MockEnvironment;

/** The linking decisions on a real (in-memory) state database: which posts link whom, and what they write. */
class VerifiedLinkingTest {

    static final String CONTACT = "003000000000001AAA";

    final MutableClock clock = new MutableClock();
    JdbcTemplate jdbc;
    LinkStore store;
    ContactDirectory directory;
    VerifiedLinking linking;
    final LinkCodes codes = new LinkCodes(new java.security.SecureRandom());

    @BeforeEach
    void setUp() {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL("jdbc:h2:mem:linking-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        Flyway.configure().dataSource(ds).locations("classpath:db/migration").load().migrate();
        jdbc = new JdbcTemplate(ds);
        store = new LinkStore(jdbc);
        directory = new ContactDirectory(jdbc);
        MockEnvironment env = new MockEnvironment().withProperty("hearth.linking.max-wrong-codes", "2")
                .withProperty("hearth.linking.code-ttl", "10m");
        linking = new VerifiedLinking(LinkingSettings.from(env), store, new DirectoryStore(jdbc, clock, env),
                new CrmMapping(), clock);
    }

    String issue(String channel) {
        String code = codes.next();
        store.issue(LinkCodes.hash(code), CONTACT, channel, true, clock.instant(), clock.instant().plus(Duration.ofMinutes(10)));
        return code;
    }

    @Test
    void aValidCodeLinksTheAuthorOnceAndARedeliveryGivesTheSameCommand() {
        String code = issue("x");
        Mention m = mention("1", "@Jane_NG", "linking " + code.toLowerCase(), MentionKind.REPLY);
        List<CrmCommand> commands = linking.link(m);

        assertThat(commands).singleElement().satisfies(c -> {
            assertThat(c.op()).isEqualTo(CrmCommand.Op.upsert);
            assertThat(c.object()).isEqualTo("Social_Identity__c");
            assertThat(c.externalIdField()).isEqualTo("External_Id__c");
            assertThat(c.externalId()).isEqualTo("x:jane_ng");
            assertThat(c.fields()).containsEntry("Contact__c", CONTACT).containsEntry("Channel__c", "x")
                    .containsEntry("Handle__c", "jane_ng").containsEntry("Verified__c", true);
        });
        ContactDirectory.Entry entry = directory.lookup("x", "jane_ng").orElseThrow();
        assertThat(entry.contactId()).isEqualTo(CONTACT);
        assertThat(entry.verified()).isTrue();
        assertThat(entry.consented()).isTrue();

        assertThat(linking.link(m)).as("redelivery of the same mention").isEqualTo(commands);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM hearth_contact_directory", Integer.class)).isEqualTo(1);
        assertThat(linking.link(mention("2", "someone_else", code, MentionKind.POST))).as("single use").isEmpty();
    }

    @Test
    void expiredOtherChannelRepostedAndCodelessPostsLinkNothing() {
        String code = issue("x");
        assertThat(linking.link(mention("r", "reposter", code, MentionKind.REPOST))).isEmpty();
        assertThat(linking.link(mention("n", "contest", "my number is HL-100001", MentionKind.POST))).isEmpty();
        String mastodon = issue("mastodon");
        assertThat(linking.link(mention("m", "hopper", mastodon, MentionKind.POST))).isEmpty();
        clock.advance(Duration.ofMinutes(10));
        assertThat(linking.link(mention("e", "late", code, MentionKind.POST))).as("expired").isEmpty();
        assertThat(directory.size()).isZero();
        assertThat(store.find(LinkCodes.hash(code)).orElseThrow().usedAt()).as("a repost does not use it up").isNull();
    }

    @Test
    void wrongCodesLockTheAuthorOutUntilTheWindowPasses() {
        assertThat(linking.link(mention("g1", "guesser", "HEARTH-AAAAAAAAAA", MentionKind.POST))).isEmpty();
        assertThat(linking.link(mention("g1", "guesser", "HEARTH-AAAAAAAAAA", MentionKind.POST))).isEmpty();
        assertThat(store.failuresSince(io.hearth.identity.AuthorKeys.of("x", "guesser"), Instant.EPOCH))
                .as("a redelivery is not a second attempt").isEqualTo(1);
        assertThat(linking.link(mention("g2", "guesser", "HEARTH-BBBBBBBBBB", MentionKind.POST))).isEmpty();
        String code = issue("x");
        assertThat(linking.link(mention("g3", "Guesser", code, MentionKind.POST))).as("locked out").isEmpty();
        assertThat(store.find(LinkCodes.hash(code)).orElseThrow().usedAt()).as("not used up").isNull();
        clock.advance(Duration.ofMinutes(61).minus(Duration.ofMinutes(55)));
        assertThat(linking.link(mention("g4", "guesser", code, MentionKind.POST))).isEmpty();
        clock.advance(Duration.ofMinutes(55));
        assertThat(linking.link(mention("g5", "guesser", issue("x"), MentionKind.POST))).as("window over").hasSize(1);
    }

    /** Issue 10: a code issued for a handle links only that handle; another handle posting it is a wrong try. */
    @Test
    void aCodeBoundToAHandleLinksOnlyThatHandle() {
        String code = codes.next();
        store.issue(LinkCodes.hash(code), CONTACT, "x", true, clock.instant(), clock.instant().plus(Duration.ofMinutes(10)),
                io.hearth.identity.AuthorKeys.of("x", "@Jane_NG"));

        assertThat(linking.link(mention("i1", "intruder", "mine " + code, MentionKind.POST))).as("another handle").isEmpty();
        assertThat(store.failuresSince(io.hearth.identity.AuthorKeys.of("x", "intruder"), Instant.EPOCH))
                .as("counted as a wrong try").isEqualTo(1);
        assertThat(store.find(LinkCodes.hash(code)).orElseThrow().usedAt()).as("not used up").isNull();
        assertThat(directory.size()).isZero();

        assertThat(linking.link(mention("j1", "JANE_ng", "linking " + code, MentionKind.POST))).as("the named handle, any case")
                .singleElement().satisfies(c -> assertThat(c.externalId()).isEqualTo("x:jane_ng"));
    }

    @Test
    void aCodeWithoutHandleLinksWhoeverPostsItFirst() {
        String code = issue("x");
        assertThat(store.find(LinkCodes.hash(code)).orElseThrow().boundAuthorKey()).isNull();
        assertThat(linking.link(mention("a1", "anyone", code, MentionKind.POST))).as("the documented risk").hasSize(1);
    }

    private static Mention mention(String nativeId, String handle, String text, MentionKind kind) {
        return Mention.v1("x", nativeId).id("x:" + nativeId).kind(kind).text(text).lang("en").createdAt(Instant.now())
                .author(new Mention.Author(handle, null, null, 10L, false, null))
                .hashtags(List.of()).mentions(List.of()).links(List.of())
                .repostOf(kind == MentionKind.REPOST ? "x:orig" : null).build();
    }
}
