package io.hearth.privacy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import java.util.Map;

import io.hearth.crm.CrmCommand;
import io.hearth.crm.CrmMapping;
import io.hearth.identity.AuthorKeys;
import io.hearth.mention.Mention;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PrivacyGateTest {

    static final String ERASED = "003000000000001AAA";
    final PrivacyStore store = mock(PrivacyStore.class);
    PrivacyGate gate;

    @BeforeEach
    void setUp() {
        when(store.isErasedContact(anyString())).thenAnswer(i -> i.getArgument(0, String.class).startsWith("003000000000001"));
        when(store.isSuppressedAuthor(anyString())).thenAnswer(i -> i.getArgument(0).equals(AuthorKeys.of("x", "gone")));
        when(store.isDeletedPost(anyString())).thenAnswer(i -> i.getArgument(0).equals("x:9"));
        when(store.isErasedCase(anyString())).thenAnswer(i -> i.getArgument(0).equals("case:x:900"));
        gate = new PrivacyGate(store, new CrmMapping());
    }

    @Test
    void dropsWhatBelongsToAnErasedContactOrSuppressedHandleOrDeletedPost() {
        assertThat(gate.drops(CrmCommand.update("Contact", ERASED, Map.of("Social_Points__c", 1)))).isTrue();
        assertThat(gate.drops(CrmCommand.update("Contact", "003000000000001", Map.of()))).as("15-character form").isTrue();
        assertThat(gate.drops(CrmCommand.upsert("Social_Reward__c", "External_Id__c", "r1", Map.of("Contact__c", ERASED)))).isTrue();
        assertThat(gate.drops(CrmCommand.upsert("Social_Mention__c", "External_Id__c", "x:9", Map.of()))).isTrue();
        assertThat(gate.drops(CrmCommand.upsert("Social_Mention__c", "External_Id__c", "x:8",
                Map.of("Channel__c", "x", "Author_Handle__c", "@Gone")))).isTrue();
        assertThat(gate.drops(CrmCommand.upsert("Social_Identity__c", "External_Id__c", "x:gone", Map.of()))).isTrue();
    }

    @Test
    void dropsQueuedCasesOfErasedPeople() {
        // issue 18 item 10: a Case names its contact in ContactId, not Contact__c
        assertThat(gate.drops(CrmCommand.upsert("Case", "Social_Conversation_Id__c", "case:x:1",
                Map.of("ContactId", ERASED, "Subject", "Social complaint on x: my post")))).isTrue();
        // an unknown author's case has no contact: known by its key, recorded at erasure
        assertThat(gate.drops(CrmCommand.upsert("Case", "Social_Conversation_Id__c", "case:x:900",
                Map.of("Subject", "Social complaint on x: my post")))).isTrue();
        assertThat(gate.drops(CrmCommand.upsert("Case", "Social_Conversation_Id__c", "case:x:2",
                Map.of("ContactId", "003000000000002AAA")))).isFalse();
    }

    @Test
    void letsEverythingElseThrough() {
        assertThat(gate.drops(CrmCommand.update("Contact", "003000000000002AAA", Map.of("Social_Points__c", 1)))).isFalse();
        assertThat(gate.drops(CrmCommand.upsert("Social_Mention__c", "External_Id__c", "x:8",
                Map.of("Contact__c", "003000000000002AAA", "Channel__c", "x", "Author_Handle__c", "kept")))).isFalse();
        assertThat(gate.drops(CrmCommand.upsert("Social_Identity__c", "External_Id__c", "x:kept", Map.of()))).isFalse();
        assertThat(gate.drops(CrmCommand.upsert("Case", "External_Id__c", "x:8", Map.of()))).isFalse();
    }

    @Test
    void suppressesMentionsOfSuppressedAuthorsAndDeletedPosts() {
        assertThat(gate.suppressed(mention("x:1", "GONE"))).isTrue();
        assertThat(gate.suppressed(mention("x:9", "kept"))).isTrue();
        assertThat(gate.suppressed(mention("x:2", "kept"))).isFalse();
    }

    @Test
    void fifteenCharacterIdsGetTheirChecksum() {
        assertThat(PrivacyKeys.id18("003000000000001")).isEqualTo("003000000000001AAA");
        assertThat(PrivacyKeys.id18("003TS0000000001")).isEqualTo("003TS0000000001YAA");
        assertThat(PrivacyKeys.id18("003000000000001AAA")).isEqualTo("003000000000001AAA");
        assertThat(PrivacyKeys.contact("003000000000001")).isEqualTo(PrivacyKeys.contact("003000000000001AAA"));
    }

    private static Mention mention(String id, String handle) {
        return Mention.v1("x", id.substring(2)).id(id).text("t")
                .author(new Mention.Author(handle, null, null, null, null, null)).build();
    }
}
