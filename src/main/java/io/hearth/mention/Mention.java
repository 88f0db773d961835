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

    /** An empty builder: every field null until set. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder for a freshly mapped mention of schema {@link #SCHEMA_V1} from {@code channel}; the id is left
     * null so that {@link MentionValidator#validate} derives it as {@code channel:nativeId}.
     */
    public static Builder v1(String channel, String nativeId) {
        return builder().schema(SCHEMA_V1).channel(channel).nativeId(nativeId);
    }

    /** A builder holding every field of this mention, to change a few and {@link Builder#build()} a copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.schema = schema;
        b.id = id;
        b.channel = channel;
        b.nativeId = nativeId;
        b.url = url;
        b.kind = kind;
        b.text = text;
        b.lang = lang;
        b.createdAt = createdAt;
        b.author = author;
        b.engagement = engagement;
        b.hashtags = hashtags;
        b.mentions = mentions;
        b.links = links;
        b.inReplyTo = inReplyTo;
        b.repostOf = repostOf;
        b.conversationId = conversationId;
        b.sentiment = sentiment;
        b.intent = intent;
        b.influence = influence;
        b.match = match;
        return b;
    }

    /** This mention with the scoring fields set; everything else unchanged. */
    public Mention withScores(Double sentiment, String intent, Integer influence) {
        return toBuilder().sentiment(sentiment).intent(intent).influence(influence).build();
    }

    /** This mention with {@code match} set; everything else unchanged. */
    public Mention withMatch(Match match) {
        return toBuilder().match(match).build();
    }

    /** Builds a {@link Mention} field by field instead of through the 21-argument constructor; unset fields stay null. */
    public static final class Builder {
        private String schema;
        private String id;
        private String channel;
        private String nativeId;
        private String url;
        private MentionKind kind;
        private String text;
        private String lang;
        private Instant createdAt;
        private Author author;
        private Engagement engagement;
        private List<String> hashtags;
        private List<String> mentions;
        private List<String> links;
        private String inReplyTo;
        private String repostOf;
        private String conversationId;
        private Double sentiment;
        private String intent;
        private Integer influence;
        private Match match;

        private Builder() {
        }

        public Builder schema(String schema) {
            this.schema = schema;
            return this;
        }

        public Builder id(String id) {
            this.id = id;
            return this;
        }

        public Builder channel(String channel) {
            this.channel = channel;
            return this;
        }

        public Builder nativeId(String nativeId) {
            this.nativeId = nativeId;
            return this;
        }

        public Builder url(String url) {
            this.url = url;
            return this;
        }

        public Builder kind(MentionKind kind) {
            this.kind = kind;
            return this;
        }

        public Builder text(String text) {
            this.text = text;
            return this;
        }

        public Builder lang(String lang) {
            this.lang = lang;
            return this;
        }

        public Builder createdAt(Instant createdAt) {
            this.createdAt = createdAt;
            return this;
        }

        public Builder author(Author author) {
            this.author = author;
            return this;
        }

        public Builder engagement(Engagement engagement) {
            this.engagement = engagement;
            return this;
        }

        public Builder hashtags(List<String> hashtags) {
            this.hashtags = hashtags;
            return this;
        }

        public Builder mentions(List<String> mentions) {
            this.mentions = mentions;
            return this;
        }

        public Builder links(List<String> links) {
            this.links = links;
            return this;
        }

        public Builder inReplyTo(String inReplyTo) {
            this.inReplyTo = inReplyTo;
            return this;
        }

        public Builder repostOf(String repostOf) {
            this.repostOf = repostOf;
            return this;
        }

        public Builder conversationId(String conversationId) {
            this.conversationId = conversationId;
            return this;
        }

        public Builder sentiment(Double sentiment) {
            this.sentiment = sentiment;
            return this;
        }

        public Builder intent(String intent) {
            this.intent = intent;
            return this;
        }

        public Builder influence(Integer influence) {
            this.influence = influence;
            return this;
        }

        public Builder match(Match match) {
            this.match = match;
            return this;
        }

        public Mention build() {
            return new Mention(schema, id, channel, nativeId, url, kind, text, lang, createdAt, author, engagement,
                    hashtags, mentions, links, inReplyTo, repostOf, conversationId, sentiment, intent, influence, match);
        }
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
