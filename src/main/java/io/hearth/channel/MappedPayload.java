package io.hearth.channel;

import java.util.List;

import io.hearth.mention.Mention;

/** What a mapper made of one payload: the mentions, and the items it had to reject (with why). */
public record MappedPayload(List<Mention> mentions, List<Rejection> rejections) {

    public MappedPayload {
        mentions = List.copyOf(mentions);
        rejections = List.copyOf(rejections);
    }

    public static MappedPayload of(List<Mention> mentions) {
        return new MappedPayload(mentions, List.of());
    }

    public boolean isEmpty() {
        return mentions.isEmpty() && rejections.isEmpty();
    }

    /**
     * One native item that could not become a mention.
     *
     * @param item   the item as the channel sent it (JSON or XML text), kept for the DLQ
     * @param reason where and what, e.g. "data[3]: missing field 'id'", never the item's content
     */
    public record Rejection(String item, String reason) {
    }
}
