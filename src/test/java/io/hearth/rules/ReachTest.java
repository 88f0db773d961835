package io.hearth.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import io.hearth.mention.Mention;
import io.hearth.mention.MentionKind;
import org.junit.jupiter.api.Test;

/** Issue 18 item 11: a post's reach saturates at Long.MAX_VALUE instead of wrapping to a negative number. */
class ReachTest {

    @Test
    void reachSaturates() {
        Mention m = new Mention(Mention.SCHEMA_V1, "x:1", "x", "1", null, MentionKind.POST, "hi", null, Instant.EPOCH,
                new Mention.Author("a", null, null, Long.MAX_VALUE / 2, false, null),
                new Mention.Engagement(Long.MAX_VALUE, 5L, null, null), List.of(), List.of(), List.of(), null, null, null,
                null, null, null, null);
        assertThat(RulesJudge.reach(m)).isEqualTo(Long.MAX_VALUE);
    }
}
