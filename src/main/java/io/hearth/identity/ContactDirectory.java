package io.hearth.identity;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Handle → contact, from the local copy of the CRM's Social_Identity__c records (kept by the job-directory-sync route).
 * A lookup is one indexed query on the state database; it never calls the CRM.
 */
@Component
public class ContactDirectory {

    /**
     * One identity record.
     *
     * @param consent the contact's Social_Consent__c: true, false, or null when not set (treat as no consent)
     */
    public record Entry(String identityId, String channel, String handle, String rawHandle, String externalId,
                        String contactId, boolean verified, Boolean consent, Instant systemModstamp) {

        /** True only when the contact said yes. */
        public boolean consented() {
            return Boolean.TRUE.equals(consent);
        }
    }

    static final String COLUMNS = "identity_id, channel, handle, raw_handle, external_id, contact_id, verified, consent, system_modstamp";

    private final JdbcTemplate jdbc;

    public ContactDirectory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The identity for this author on this channel (handle normalised here), with its contact and consent. When the CRM
     * holds several identities for one handle (duplicates), a verified one wins, then the most recently modified.
     */
    public Optional<Entry> lookup(String channel, String handle) {
        return lookup(jdbc, channel, handle);
    }

    /**
     * The same through {@code via}: the enrich stage passes its batch's connection (a read on the connection it
     * already holds, instead of a pool check-out per mention).
     */
    public Optional<Entry> lookup(JdbcTemplate via, String channel, String handle) {
        String h = HandleNormaliser.normalise(channel, handle);
        if (h == null) {
            return Optional.empty();
        }
        List<Entry> rows = via.query("SELECT " + COLUMNS + " FROM hearth_contact_directory WHERE channel = ? AND handle = ?"
                + " AND contact_id IS NOT NULL ORDER BY verified DESC, system_modstamp DESC, identity_id",
                ContactDirectory::entry, HandleNormaliser.channel(channel), h);
        return rows.stream().findFirst();
    }

    /** Every identity of one contact. */
    public List<Entry> identitiesOf(String contactId) {
        return jdbc.query("SELECT " + COLUMNS + " FROM hearth_contact_directory WHERE contact_id = ? ORDER BY channel, handle",
                ContactDirectory::entry, contactId);
    }

    public long size() {
        Long n = jdbc.queryForObject("SELECT COUNT(*) FROM hearth_contact_directory", Long.class);
        return n == null ? 0 : n;
    }

    static Entry entry(ResultSet rs, int row) throws SQLException {
        boolean consent = rs.getBoolean("consent");
        Boolean consentOrNull = rs.wasNull() ? null : consent;
        Timestamp modstamp = rs.getTimestamp("system_modstamp");
        return new Entry(rs.getString("identity_id"), rs.getString("channel"), rs.getString("handle"),
                rs.getString("raw_handle"), rs.getString("external_id"), rs.getString("contact_id"),
                rs.getBoolean("verified"), consentOrNull, modstamp == null ? null : modstamp.toInstant());
    }
}
