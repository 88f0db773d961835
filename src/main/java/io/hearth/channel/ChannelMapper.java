package io.hearth.channel;

/**
 * Turns one channel's native payload (exactly what its API or webhook delivers) into canonical
 * mentions. Implementations are pure functions: the same payload always gives the same result in
 * the same order, which the pipeline relies on when it re-reads a payload after a crash.
 *
 * <p>Two kinds of failure: a payload that cannot be read at all (truncated JSON, wrong top-level
 * shape) throws {@link io.hearth.mention.InvalidMentionException} — the ingest API answers 400 and
 * nothing is queued. One bad item inside a readable payload (a post without id, a wrong type) is a
 * {@link MappedPayload.Rejection}: the good items go on, the bad one goes to the DLQ with its reason.
 */
public interface ChannelMapper {

    /** The channel name used in {@code /api/ingest/{channel}}, inbox folders and queue headers. */
    String channel();

    /**
     * @throws io.hearth.mention.InvalidMentionException when the payload as a whole is malformed; the
     *         message says where (line, index, field) without quoting personal data
     */
    MappedPayload mapPayload(String payload);

    /**
     * The mention ids ({@code channel:nativeId}) of posts this payload says were deleted by their authors (e.g. X
     * {@code tweet_delete_events}). Hearth removes them from its state and the CRM (docs/privacy.md). Default: none.
     */
    default java.util.List<String> deletedPosts(String payload) {
        return java.util.List.of();
    }
}
