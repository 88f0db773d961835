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
        Mention m = Mention.v1("x", "1").id("x:1").kind(MentionKind.POST).text("hi").createdAt(Instant.EPOCH)
                .author(new Mention.Author("a", null, null, Long.MAX_VALUE / 2, false, null))
                .engagement(new Mention.Engagement(Long.MAX_VALUE, 5L, null, null))
                .hashtags(List.of()).mentions(List.of()).links(List.of()).build();
        assertThat(RulesJudge.reach(m)).isEqualTo(Long.MAX_VALUE);
    }
}
