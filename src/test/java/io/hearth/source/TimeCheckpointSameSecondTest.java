package io.hearth.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import org.junit.jupiter.api.Test;

/**
 * Issue 18 item 11: items at exactly the checkpoint's time were taken as read and ended the run: comments of the same
 * second as the checkpoint, published after the poll that set it, were missed when they lay on the next page.
 */
class TimeCheckpointSameSecondTest {

    private static final String SINCE = "2026-11-22T08:00:00Z";

    private static JsonNode items(String... times) {
        ArrayNode a = new ObjectMapper().createArrayNode();
        for (String t : times) {
            a.addObject().put("at", t);
        }
        return a;
    }

    private static TimeCheckpointedPage page(JsonNode items, String pending, String cursor) {
        return TimeCheckpointedPage.of(items, n -> TimeCheckpointedPage.parse(n.path("at").asText(null)), SINCE, pending, cursor);
    }

    @Test
    void itemsAtTheCheckpointsSecondDoNotEndTheRun() {
        TimeCheckpointedPage first = page(items("2026-11-22T08:00:05Z", SINCE, SINCE), null, "c2");
        assertThat(first.more()).as("the next page may hold more of the same second").isTrue();
        assertThat(first.nextCursor()).isEqualTo("c2");
        assertThat(first.unseen()).as("only the newer one surely new").isEqualTo(1);

        TimeCheckpointedPage second = page(items(SINCE, "2026-11-22T07:59:59Z"), first.nextPending(), "c3");
        assertThat(second.more()).as("an older item ends the run").isFalse();
        assertThat(second.nextSince()).isEqualTo("2026-11-22T08:00:05Z");
    }
}
