package io.hearth.mention;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks a mention against the v1 schema and fills what can be derived: the schema tag, the id
 * ({@code channel:nativeId}) and the default kind. Messages name the field, never its content.
 */
public final class MentionValidator {

    /**
     * The longest mention id ({@code channel:nativeId}) and conversation, reply and repost id: the state database keys
     * on them ({@code VARCHAR(512)}, V1/V4/V7). Refused here, one mention with its reason, rather than failing the stage
     * batch's commit (issue 18).
     */
    public static final int MAX_ID = 512;

    private MentionValidator() {
    }

    public static Mention validate(Mention m) {
        List<String> problems = new ArrayList<>();
        String schema = m.schema() == null ? Mention.SCHEMA_V1 : m.schema();
        if (!Mention.SCHEMA_V1.equals(schema)) {
            throw new InvalidMentionException("unsupported schema '" + schema + "'; this hub reads " + Mention.SCHEMA_V1);
        }
        if (isBlank(m.channel())) {
            problems.add("missing field 'channel'");
        } else if (!m.channel().matches("[a-z][a-z0-9-]{0,31}")) {
            problems.add("field 'channel' must be a lower-case channel name");
        }
        if (isBlank(m.nativeId())) {
            problems.add("missing field 'nativeId'");
        }
        if (m.createdAt() == null) {
            problems.add("missing field 'createdAt'");
        }
        if (m.text() == null) {
            problems.add("missing field 'text'");
        }
        if (!problems.isEmpty()) {
            throw new InvalidMentionException(String.join("; ", problems));
        }
        String id = Mention.idOf(m.channel(), m.nativeId());
        if (id.length() > MAX_ID) {
            throw new InvalidMentionException("field 'nativeId' is too long: the mention id (channel:nativeId) may have at most "
                    + MAX_ID + " characters");
        }
        bounded("conversationId", m.conversationId());
        bounded("inReplyTo", m.inReplyTo());
        bounded("repostOf", m.repostOf());
        if (m.id() != null && !m.id().equals(id)) {
            throw new InvalidMentionException("field 'id' must be channel:nativeId");
        }
        if (m.sentiment() != null && !(m.sentiment() >= -1 && m.sentiment() <= 1)) { // also refuses NaN
            throw new InvalidMentionException("field 'sentiment' must be between -1 and 1");
        }
        if (m.influence() != null && (m.influence() < 0 || m.influence() > 100)) {
            throw new InvalidMentionException("field 'influence' must be between 0 and 100");
        }
        return m.toBuilder().schema(schema).id(id).kind(m.kind() == null ? MentionKind.POST : m.kind())
                .hashtags(orEmpty(m.hashtags())).mentions(orEmpty(m.mentions())).links(orEmpty(m.links()))
                .build();
    }

    private static void bounded(String field, String value) {
        if (value != null && value.length() > MAX_ID) {
            throw new InvalidMentionException("field '" + field + "' may have at most " + MAX_ID + " characters");
        }
    }

    private static List<String> orEmpty(List<String> list) {
        return list == null ? List.of() : list;
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
