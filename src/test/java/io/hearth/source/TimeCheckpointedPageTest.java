package io.hearth.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class TimeCheckpointedPageTest {

    static final ObjectMapper JSON = new ObjectMapper();

    static JsonNode items(String... times) throws Exception {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < times.length; i++) {
            b.append(i == 0 ? "" : ",").append(times[i] == null ? "{}" : "{\"at\":\"" + times[i] + "\"}");
        }
        return JSON.readTree(b.append("]").toString());
    }

    static TimeCheckpointedPage page(JsonNode items, String since, String pending, String cursor) {
        return TimeCheckpointedPage.of(items, n -> TimeCheckpointedPage.parse(n.path("at").asText(null)), since, pending, cursor);
    }

    @Test
    void withoutACheckpointTheFirstPageIsTheStartAndNothingOlderIsRead() throws Exception {
        TimeCheckpointedPage p = page(items("2026-11-22T10:00:00Z", "2026-11-22T09:00:00Z"), null, null, "c2");
        assertThat(p.more()).isFalse();
        assertThat(p.unseen()).isEqualTo(2);
        assertThat(p.nextSince()).isEqualTo("2026-11-22T10:00:00Z");
        assertThat(p.nextCursor()).isNull();
    }

    @Test
    void aFullPageOfNewItemsPagesOnKeepingTheNewestPending() throws Exception {
        TimeCheckpointedPage p = page(items("2026-11-22T10:00:00Z", "2026-11-22T09:30:00Z"), "2026-11-22T08:00:00Z", null, "c2");
        assertThat(p.more()).isTrue();
        assertThat(p.nextSince()).as("unchanged until the run ends").isEqualTo("2026-11-22T08:00:00Z");
        assertThat(p.nextPending()).isEqualTo("2026-11-22T10:00:00Z");
        assertThat(p.nextCursor()).isEqualTo("c2");
    }

    @Test
    void reachingAnItemAlreadyReadEndsTheRunAtTheNewestTime() throws Exception {
        TimeCheckpointedPage p = page(items("2026-11-22T07:59:00Z", null, "2026-11-22T08:00:00Z"), "2026-11-22T08:00:00Z",
                "2026-11-22T10:00:00Z", "c3");
        assertThat(p.more()).isFalse();
        assertThat(p.unseen()).as("the one without a time goes to the mapper").isEqualTo(1);
        assertThat(p.nextSince()).isEqualTo("2026-11-22T10:00:00Z");
        assertThat(p.nextPending()).isNull();
    }

    @Test
    void unreadableTimesAreNull() {
        assertThat(TimeCheckpointedPage.parse("yesterday")).isNull();
        assertThat(TimeCheckpointedPage.parse(null)).isNull();
    }
}
