package io.hearth.mention;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.channel.ChannelFixtures;
import io.hearth.channel.MappedPayload;
import io.hearth.channel.x.XSearchMapper;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 item 5: the ids the state database keys on have bounds (mention id and conversation id VARCHAR(512)); an
 * over-long one used to fail at commit time, rolling back the whole stage batch until the broker dead-lettered every
 * payload of it without a reason. The validator refuses the one mention, naming the field and the bound.
 */
class MentionLengthsTest {

    private static final Instant AT = Instant.parse("2026-11-20T10:00:00Z");

    private static Mention mention(String nativeId, String conversationId, String inReplyTo, String repostOf) {
        return Mention.builder().channel("x").nativeId(nativeId).text("hi").createdAt(AT).inReplyTo(inReplyTo)
                .repostOf(repostOf).conversationId(conversationId).build();
    }

    @Test
    void idsUpToTheBoundPassAndLongerOnesAreRefusedByName() {
        String longest = "1".repeat(MentionValidator.MAX_ID - "x:".length());
        assertThat(MentionValidator.validate(mention(longest, "c".repeat(MentionValidator.MAX_ID), null, null)).id())
                .hasSize(MentionValidator.MAX_ID);

        assertThatThrownBy(() -> MentionValidator.validate(mention(longest + "1", null, null, null)))
                .isInstanceOf(InvalidMentionException.class)
                .hasMessage("field 'nativeId' is too long: the mention id (channel:nativeId) may have at most 512 characters");
        assertThatThrownBy(() -> MentionValidator.validate(mention("1", "c".repeat(513), null, null)))
                .hasMessage("field 'conversationId' may have at most 512 characters");
        assertThatThrownBy(() -> MentionValidator.validate(mention("1", null, "r".repeat(513), null)))
                .hasMessage("field 'inReplyTo' may have at most 512 characters");
        assertThatThrownBy(() -> MentionValidator.validate(mention("1", null, null, "r".repeat(513))))
                .hasMessage("field 'repostOf' may have at most 512 characters");
    }

    @Test
    void aMapperRejectsTheOneItemWithAnOverlongConversationIdAndMapsTheOthers() throws Exception {
        ObjectMapper json = new ObjectMapper();
        ObjectNode page = (ObjectNode) json.readTree(ChannelFixtures.read("x", "search_recent_page.json"));
        ArrayNode data = (ArrayNode) page.get("data");
        int before = new XSearchMapper(TestObjectMappers.springLike()).mapPayload(page.toString()).mentions().size();
        ((ObjectNode) data.get(0)).put("conversation_id", "9".repeat(600));

        MappedPayload mapped = new XSearchMapper(TestObjectMappers.springLike()).mapPayload(page.toString());

        assertThat(mapped.mentions()).hasSize(before - 1);
        assertThat(mapped.rejections()).singleElement().extracting(MappedPayload.Rejection::reason)
                .isEqualTo("data[0]: field 'conversationId' may have at most 512 characters");
    }
}
