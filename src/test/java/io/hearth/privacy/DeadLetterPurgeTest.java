package io.hearth.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.QueueBrowser;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.config.HearthProperties;
import io.hearth.crm.CrmCommand;
import io.hearth.crm.CrmCommands;
import io.hearth.crm.CrmMapping;
import io.hearth.identity.AuthorKeys;
import io.hearth.queue.BrokerConfiguration;
import io.hearth.queue.DeadLetterPublisher;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18 item 10: dead-lettered messages about an erased person are removed from every DLQ of a real (embedded)
 * Artemis broker, and nobody else's are.
 */
class DeadLetterPurgeTest {

    static final String ALICE = "003000000000001AAA";
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;
    EmbeddedActiveMQ server;
    ActiveMQConnectionFactory factory;
    DeadLetterPurge purge;
    final PrivacyStore store = mock(PrivacyStore.class);

    @BeforeEach
    void setUp() throws Exception {
        HearthProperties properties = new HearthProperties();
        properties.setDataDir(dir);
        int id = 9_000 + (int) (Math.random() * 1000);
        server = new EmbeddedActiveMQ().setConfiguration(BrokerConfiguration.brokerConfiguration(properties, dir.resolve("broker"), id));
        server.start();
        factory = new ActiveMQConnectionFactory("vm://" + id);
        // the erasure has blocked Alice (contact and x handle) and her case before the purge runs
        when(store.isErasedContact(anyString())).thenAnswer(i -> i.getArgument(0, String.class).startsWith("003000000000001"));
        when(store.isSuppressedAuthor(anyString())).thenAnswer(i -> i.getArgument(0).equals(AuthorKeys.of("x", "alice_a")));
        when(store.isErasedCase(anyString())).thenAnswer(i -> "case:x:900".equals(i.getArgument(0)));
        purge = new DeadLetterPurge(factory, JSON, new CrmCommands(JSON), new PrivacyGate(store, new CrmMapping()));
    }

    @AfterEach
    void tearDown() throws Exception {
        factory.close();
        server.stop();
    }

    @Test
    void removesTheErasedPersonsDeadLettersFromEveryDlqAndKeepsEveryoneElses() throws Exception {
        // about Alice
        send("DLQ.social.mentions", mention("x:1", "Alice_A", "my post"), null);
        send("DLQ.crm.outbound", JSON.writeValueAsString(CrmCommand.upsert("Social_Reward__c", "External_Id__c", "r1",
                Map.of("Contact__c", ALICE, "Points__c", 5))), "DUPLICATE_VALUE");
        send("DLQ.crm.outbound", JSON.writeValueAsString(CrmCommand.upsert("Case", "Social_Conversation_Id__c", "case:x:900",
                Map.of("Subject", "Social complaint on x: broken", "Description", "@someone: broken"))), "FIELD_INTEGRITY");
        send("DLQ.social.inbound", "{\"data\":{\"id\":\"5\",\"text\":\"hi\",\"author\":{\"username\":\"@alice_a\"}}", null);
        send("DLQ.social.inbound", "<entry><author><name>alice_a</name></author><title>x</title>", null);
        send("DLQ.social.mentions", "not json at all", "InvalidMentionException: unreadable post by alice_a");
        // about others, or quoting her handle inside somebody else's post text
        send("DLQ.social.mentions", mention("x:2", "bob_b", "I agree with alice_a"), null);
        send("DLQ.social.mentions", mention("bluesky:3", "alice_a", "same name, other network"), null);
        send("DLQ.crm.outbound", JSON.writeValueAsString(CrmCommand.upsert("Case", "Social_Conversation_Id__c", "case:x:901",
                Map.of("ContactId", "003000000000002AAA", "Subject", "s"))), "FIELD_INTEGRITY");
        send("DLQ.social.inbound", "<entry><author><name>bob_b</name></author></entry>", null);

        int removed = purge.purge(new DeadLetterPurge.Subject(List.of(ALICE), List.of(new DeadLetterPurge.Handle("x", "Alice_A"))));

        assertThat(removed).isEqualTo(6);
        assertThat(bodies("DLQ.social.mentions")).hasSize(2).allMatch(b -> b.contains("\"x:2\"") || b.contains("bluesky:3"));
        assertThat(bodies("DLQ.crm.outbound")).singleElement().asString().contains("case:x:901");
        assertThat(bodies("DLQ.social.inbound")).singleElement().asString().contains("bob_b");
        assertThat(purge.purge(new DeadLetterPurge.Subject(List.of(ALICE), List.of(new DeadLetterPurge.Handle("x", "alice_a")))))
                .as("a second run finds nothing").isZero();
    }

    @Test
    void matchesContactIdsInBothSpellingsAndHandlesAsUrlsOrExternalIds() {
        DeadLetterPurge.Subject alice = new DeadLetterPurge.Subject(List.of(ALICE), List.of(new DeadLetterPurge.Handle("twitter", "@Alice_A")));
        assertThat(DeadLetterPurge.matches("003000000000001", null, alice)).isTrue();
        assertThat(DeadLetterPurge.matches("003000000000001AAA", null, alice)).isTrue();
        assertThat(DeadLetterPurge.matches("https://x.com/alice_a", null, alice)).isTrue();
        assertThat(DeadLetterPurge.matches("x:alice_a", null, alice)).isTrue();
        assertThat(DeadLetterPurge.matches("alice_a", "bluesky", alice)).as("another channel").isFalse();
        assertThat(DeadLetterPurge.matches("alice_ab", null, alice)).isFalse();
        assertThat(DeadLetterPurge.matches("003000000000002AAA", null, alice)).isFalse();
    }

    private String mention(String id, String handle, String text) {
        return "{\"schema\":\"hearth.mention/v1\",\"id\":\"" + id + "\",\"channel\":\"" + id.substring(0, id.indexOf(':'))
                + "\",\"text\":\"" + text + "\",\"author\":{\"handle\":\"" + handle + "\"}}";
    }

    private void send(String queue, String body, String reason) throws Exception {
        try (Connection c = factory.createConnection(); Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
             MessageProducer p = s.createProducer(s.createQueue(queue))) {
            TextMessage m = s.createTextMessage(body);
            if (reason != null) {
                m.setStringProperty(DeadLetterPublisher.REASON_HEADER, reason);
            }
            p.send(m);
        }
    }

    private List<String> bodies(String queue) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = factory.createConnection(); Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
             QueueBrowser b = s.createBrowser(s.createQueue(queue))) {
            c.start();
            for (Object m : Collections.list(b.getEnumeration())) {
                out.add(((TextMessage) m).getText());
            }
        }
        return out;
    }
}
