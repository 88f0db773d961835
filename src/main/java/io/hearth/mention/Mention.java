package io.hearth.mention;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The canonical mention: one post, reply, repost, quote, comment or direct message from any
 * channel, in one shape. {@code id} is {@code channel:nativeId} and is the idempotency key of the
 * whole pipeline. The enrichment fields ({@code sentiment} … {@code match}) are empty until the
 * pipeline fills them. Documented in docs/mention.md.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Mention(
        String schema,
        String id,
        String channel,
        String nativeId,
        String url,
        MentionKind kind,
        String text,
        String lang,
        Instant createdAt,
        Author author,
        Engagement engagement,
        List<String> hashtags,
        List<String> mentions,
        List<String> links,
        String inReplyTo,
        String repostOf,
        String conversationId,
        Double sentiment,
        String intent,
        Integer influence,
        Match match) {

    /** The schema this hub writes and reads. */
    public static final String SCHEMA_V1 = "hearth.mention/v1";

    public static String idOf(String channel, String nativeId) {
        return channel + ":" + nativeId;
    }

    /** The author as the channel shows them; {@code followers} may be null when the channel does not say. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Author(String handle, String nativeId, String displayName, Long followers, Boolean verified,
                         String profileUrl) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Engagement(Long likes, Long reposts, Long replies, Long quotes) {
    }

    /** Which CRM contact the author was recognised as, how, and how sure. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Match(String contactId, String method, Double confidence) {
    }
}
