package io.hearth.mention;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** What a mention is on its channel. */
public enum MentionKind {
    POST, REPLY, REPOST, QUOTE, COMMENT, DIRECT;

    @JsonValue
    public String json() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    @JsonCreator
    public static MentionKind fromJson(String value) {
        for (MentionKind kind : values()) {
            if (kind.json().equals(value)) {
                return kind;
            }
        }
        throw new IllegalArgumentException("unknown kind '" + value + "' (expected one of post, reply, repost, quote, comment, direct)");
    }
}
