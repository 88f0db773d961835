package io.hearth.crm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class CrmCommandsTest {

    final CrmCommands commands = new CrmCommands(new ObjectMapper());

    @Test
    void readsUpsertsAndUpdatesAndWritesThemBack() throws Exception {
        CrmCommand up = commands.parse("{\"schema\":\"hearth.crm-command/v1\",\"op\":\"upsert\",\"object\":\"Social_Mention__c\","
                + "\"externalIdField\":\"External_Id__c\",\"externalId\":\"x:1\",\"fields\":{\"Text__c\":\"hi\",\"Likes__c\":3,\"Url__c\":null}}");
        assertThat(up.op()).isEqualTo(CrmCommand.Op.upsert);
        assertThat(up.key()).isEqualTo("x:1");
        assertThat(up.fields()).containsEntry("Text__c", "hi").containsEntry("Likes__c", 3).containsEntry("Url__c", null);
        CrmCommand update = CrmCommand.update("Contact", "003000000000001AAA", Map.of("Social_Points__c", 10));
        assertThat(commands.parse(commands.toJson(update))).isEqualTo(update);
    }

    @Test
    void refusesWhatIsNotACommandWithoutQuotingValues() {
        assertThatThrownBy(() -> commands.parse("{\"schema\":\"hearth.mention/v1\",\"text\":\"secret\"}"))
                .isInstanceOf(InvalidCrmCommandException.class).hasMessageContaining("not a CRM command").hasMessageNotContaining("secret");
        assertThatThrownBy(() -> commands.parse("{oops")).hasMessageContaining("malformed JSON");
        assertThatThrownBy(() -> commands.parse("{\"schema\":\"hearth.crm-command/v1\",\"op\":\"delete\",\"object\":\"Contact\",\"fields\":{\"A\":1}}"))
                .hasMessageContaining("op must be");
        assertThatThrownBy(() -> commands.parse("{\"schema\":\"hearth.crm-command/v1\",\"op\":\"update\",\"object\":\"Contact\",\"id\":\"nope\",\"fields\":{\"A\":1}}"))
                .hasMessageContaining("'id'");
        assertThatThrownBy(() -> commands.parse("{\"schema\":\"hearth.crm-command/v1\",\"op\":\"upsert\",\"object\":\"Contact; DROP\","
                + "\"externalIdField\":\"E__c\",\"externalId\":\"1\",\"fields\":{\"A\":1}}")).hasMessageContaining("API name");
        assertThatThrownBy(() -> commands.parse("{\"schema\":\"hearth.crm-command/v1\",\"op\":\"upsert\",\"object\":\"M__c\","
                + "\"externalIdField\":\"E__c\",\"externalId\":\"1\",\"fields\":{}}")).hasMessageContaining("non-empty");
    }
}
