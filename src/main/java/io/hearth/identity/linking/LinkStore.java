package io.hearth.identity.linking;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Linking codes (hashed) and wrong-code attempts in the state database (tables of V5__linking.sql). */
@Component
public class LinkStore {

    /**
     * A stored code: no code, only its hash. {@code boundAuthorKey}: the author pseudonym ({@code AuthorKeys.of}) of the
     * handle the code was issued for, null when it was issued without one (any author on the channel may use it).
     */
    public record Code(String hash, String contactId, String channel, Boolean consent, Instant issuedAt,
                       Instant expiresAt, Instant usedAt, String usedByMention, String usedAuthorKey, String boundAuthorKey) {
    }

    private final JdbcTemplate jdbc;

    public LinkStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public void issue(String hash, String contactId, String channel, Boolean consent, Instant issuedAt, Instant expiresAt) {
        issue(hash, contactId, channel, consent, issuedAt, expiresAt, null);
    }

    /** @param boundAuthorKey the pseudonym of the only author who may use the code, null for any author */
    public void issue(String hash, String contactId, String channel, Boolean consent, Instant issuedAt, Instant expiresAt,
                      String boundAuthorKey) {
        jdbc.update("INSERT INTO hearth_link_code (code_hash, contact_id, channel, consent, issued_at, expires_at,"
                + " bound_author_key) VALUES (?, ?, ?, ?, ?, ?, ?)", hash, contactId, channel, consent,
                Timestamp.from(issuedAt), Timestamp.from(expiresAt), boundAuthorKey);
    }

    /** When the oldest of the contact's open codes (issued, unused, unexpired at {@code now}) expires, and how many. */
    public OpenCodes openCodes(String contactId, Instant now) {
        return jdbc.queryForObject("SELECT COUNT(*), MIN(expires_at) FROM hearth_link_code WHERE contact_id = ?"
                + " AND used_at IS NULL AND expires_at > ?", (rs, row) -> new OpenCodes(rs.getInt(1),
                rs.getTimestamp(2) == null ? null : rs.getTimestamp(2).toInstant()), contactId, java.sql.Timestamp.from(now));
    }

    public record OpenCodes(int count, Instant firstExpiry) {
    }

    public Optional<Code> find(String hash) {
        return jdbc.query("SELECT code_hash, contact_id, channel, consent, issued_at, expires_at, used_at, used_by_mention,"
                + " used_author_key, bound_author_key FROM hearth_link_code WHERE code_hash = ?", (rs, i) -> {
                    boolean consent = rs.getBoolean("consent");
                    Boolean consentOrNull = rs.wasNull() ? null : consent;
                    return new Code(rs.getString("code_hash"), rs.getString("contact_id"), rs.getString("channel"),
                            consentOrNull, instant(rs.getTimestamp("issued_at")), instant(rs.getTimestamp("expires_at")),
                            instant(rs.getTimestamp("used_at")), rs.getString("used_by_mention"),
                            rs.getString("used_author_key"), rs.getString("bound_author_key"));
                }, hash).stream().findFirst();
    }

    /** Marks the code used by this mention; false when another mention used it first (single use, race-safe). */
    public boolean use(String hash, Instant at, String mentionId, String authorKey) {
        return jdbc.update("UPDATE hearth_link_code SET used_at = ?, used_by_mention = ?, used_author_key = ?"
                + " WHERE code_hash = ? AND used_at IS NULL", Timestamp.from(at), mentionId, authorKey, hash) == 1;
    }

    /** Counts one wrong code of this author (once per mention, so a redelivered mention is not counted twice). */
    public void recordFailure(String authorKey, Instant at, String mentionId) {
        Integer seen = jdbc.queryForObject("SELECT COUNT(*) FROM hearth_link_failure WHERE author_key = ? AND mention_id = ?",
                Integer.class, authorKey, mentionId);
        if (seen == null || seen == 0) {
            jdbc.update("INSERT INTO hearth_link_failure (author_key, attempted_at, mention_id) VALUES (?, ?, ?)",
                    authorKey, Timestamp.from(at), mentionId);
        }
    }

    public int failuresSince(String authorKey, Instant since) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM hearth_link_failure WHERE author_key = ? AND attempted_at > ?",
                Integer.class, authorKey, Timestamp.from(since));
        return n == null ? 0 : n;
    }

    /** Forgets codes that expired before {@code codesBefore} and attempts older than {@code failuresBefore}. */
    public void purge(Instant codesBefore, Instant failuresBefore) {
        jdbc.update("DELETE FROM hearth_link_code WHERE expires_at < ?", Timestamp.from(codesBefore));
        jdbc.update("DELETE FROM hearth_link_failure WHERE attempted_at < ?", Timestamp.from(failuresBefore));
    }

    /** The consent the directory holds for a contact (any of its identities), if it has any. */
    public Optional<Boolean> directoryConsent(String contactId) {
        List<Boolean> rows = jdbc.query("SELECT consent FROM hearth_contact_directory WHERE contact_id = ? AND linked_at IS NULL",
                (rs, i) -> {
                    boolean c = rs.getBoolean(1);
                    return rs.wasNull() ? Boolean.FALSE : c;
                }, contactId);
        return rows.stream().findFirst();
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
