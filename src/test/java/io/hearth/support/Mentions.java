package io.hearth.support;

import java.time.Instant;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/** Canonical mention JSON for tests. */
public final class Mentions {

    private Mentions() {
    }

    public static String json(String channel, String nativeId) {
        return "{\"schema\":\"hearth.mention/v1\",\"channel\":\"" + channel + "\",\"nativeId\":\"" + nativeId
                + "\",\"kind\":\"post\",\"text\":\"Loving the new lounge \\ud83d\\ude0d #travel\",\"lang\":\"en\",\"createdAt\":\""
                + Instant.parse("2026-11-20T10:00:00Z") + "\",\"author\":{\"handle\":\"fan_" + nativeId
                + "\",\"followers\":42},\"hashtags\":[\"travel\"]}";
    }

    /** JSON Lines with mentions {@code from} (inclusive) to {@code to} (exclusive) on channel x. */
    public static String jsonl(int from, int to) {
        return IntStream.range(from, to).mapToObj(i -> json("x", "t" + i)).collect(Collectors.joining("\n")) + "\n";
    }
}
