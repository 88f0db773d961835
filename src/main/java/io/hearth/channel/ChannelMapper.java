package io.hearth.channel;

import java.util.List;

import io.hearth.mention.Mention;

/**
 * Turns one channel's native payload (exactly what its API or webhook delivers) into canonical
 * mentions. Implementations are pure functions: the same payload always gives the same mentions in
 * the same order, which the pipeline relies on when it re-reads a payload after a crash.
 */
public interface ChannelMapper {

    /** The channel name used in {@code /api/ingest/{channel}}, inbox folders and queue headers. */
    String channel();

    /**
     * @throws io.hearth.mention.InvalidMentionException when the payload is malformed; the message
     *         says where (line, index, field) without quoting personal data
     */
    List<Mention> map(String payload);
}
