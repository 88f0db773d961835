package io.hearth.identity;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.hearth.identity.ContactDirectory.Entry;

/**
 * Writes of the directory sync: one transaction per page, so a lookup never sees half a page. Rows the hub linked
 * itself (verified linking, {@code linked_at} set) are the CRM's future records: a page carrying the CRM's record of the
 * same identity (same handle and contact) replaces them, and a full load drops them only once they are older than
 * {@code hearth.linking.pending-grace} (the writer may not have written the identity when the load ran).
 */
@Component
public class DirectoryStore {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Duration pendingGrace;

    public DirectoryStore(JdbcTemplate jdbc, Clock clock, Environment environment) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.pendingGrace = org.springframework.boot.context.properties.bind.Binder.get(environment)
                .bind("hearth.linking.pending-grace", Duration.class).orElse(Duration.ofHours(24));
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
    }

    /** Inserts or replaces these identities (by identity id), marked as seen by {@code run}; removes {@code deleted}. */
    public void apply(Collection<Entry> upserts, Collection<String> deleted, long run) {
        Timestamp now = Timestamp.from(clock.instant());
        List<Object[]> ids = new ArrayList<>();
        List<Object[]> rows = new ArrayList<>();
        List<Object[]> linked = new ArrayList<>();
        for (Entry e : upserts) {
            ids.add(new Object[] {e.identityId()});
            if (e.contactId() != null) {
                linked.add(new Object[] {e.channel(), e.handle(), e.contactId()});
            }
            rows.add(new Object[] {e.identityId(), e.channel(), e.handle(), e.rawHandle(), e.externalId(), e.contactId(),
                    e.verified(), e.consent(), Timestamp.from(e.systemModstamp()), now, run});
        }
        for (String id : deleted) {
            ids.add(new Object[] {id});
        }
        tx.executeWithoutResult(status -> {
            if (!ids.isEmpty()) {
                jdbc.batchUpdate("DELETE FROM hearth_contact_directory WHERE identity_id = ?", ids);
            }
            if (!linked.isEmpty()) {
                // The CRM now has the identity the hub linked (same handle, same contact): its record replaces the hub's
                // own row. A CRM record of the handle for another contact does not: it is older than the link.
                jdbc.batchUpdate("DELETE FROM hearth_contact_directory WHERE linked_at IS NOT NULL AND channel = ?"
                        + " AND handle = ? AND contact_id = ?", linked);
            }
            if (!rows.isEmpty()) {
                jdbc.batchUpdate("INSERT INTO hearth_contact_directory (" + ContactDirectory.COLUMNS + ", synced_at, sync_run)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);
            }
        });
    }

    /** The directory's rows of these identities, by identity id (to skip records an overlapping sync reads again). */
    public Map<String, Entry> current(Collection<String> identityIds) {
        Map<String, Entry> out = new java.util.HashMap<>();
        List<String> ids = new ArrayList<>(identityIds);
        for (int from = 0; from < ids.size(); from += 500) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
            jdbc.query("SELECT " + ContactDirectory.COLUMNS + " FROM hearth_contact_directory WHERE linked_at IS NULL AND identity_id IN ("
                    + marks + ")", rs -> {
                        Entry e = ContactDirectory.entry(rs, 0);
                        out.put(e.identityId(), e);
                    }, chunk.toArray());
        }
        return out;
    }

    /**
     * Sets the consent of every identity of these contacts (contact id → Social_Consent__c, null = not set). A row whose
     * consent turns true counts as written now ({@code synced_at}), so late attribution reviews that author's stored
     * mentions after this sync (docs/enrichment.md).
     */
    public int updateConsent(Map<String, Boolean> consentByContact) {
        if (consentByContact.isEmpty()) {
            return 0;
        }
        List<Object[]> args = new ArrayList<>();
        consentByContact.forEach((contact, consent) -> args.add(new Object[] {consent, contact}));
        Timestamp now = Timestamp.from(clock.instant());
        int[][] counts = tx.execute(status -> jdbc.batchUpdate(
                "UPDATE hearth_contact_directory SET synced_at = CASE WHEN ? = TRUE AND (consent IS NULL OR consent = FALSE)"
                        + " THEN ? ELSE synced_at END, consent = ? WHERE contact_id = ?", args, args.size(),
                (ps, a) -> {
                    ps.setBoolean(1, Boolean.TRUE.equals(a[0]));
                    ps.setTimestamp(2, now);
                    if (a[0] == null) {
                        ps.setNull(3, java.sql.Types.BOOLEAN);
                    } else {
                        ps.setBoolean(3, (Boolean) a[0]);
                    }
                    ps.setString(4, (String) a[1]);
                }));
        int n = 0;
        for (int[] batch : counts) {
            for (int c : batch) {
                n += Math.max(c, 0);
            }
        }
        return n;
    }

    /**
     * After a complete full load: drops the identities that load did not see (deleted in the CRM), except identities the
     * hub linked within the grace period (the CRM may not have them yet).
     */
    public int dropNotSeenBy(long run) {
        Timestamp graceStart = Timestamp.from(clock.instant().minus(pendingGrace));
        return jdbc.update("DELETE FROM hearth_contact_directory WHERE sync_run <> ? AND (linked_at IS NULL OR linked_at < ?)",
                run, graceStart);
    }

    /**
     * A verified identity the hub linked itself (the CRM gets its Social_Identity__c through the writer): replaces any
     * earlier hub-linked row of this handle. {@code identityId} is a local placeholder until the sync brings the CRM's.
     */
    public void insertLinked(Entry e) {
        Timestamp now = Timestamp.from(clock.instant());
        tx.executeWithoutResult(status -> {
            jdbc.update("DELETE FROM hearth_contact_directory WHERE linked_at IS NOT NULL AND channel = ? AND handle = ?",
                    e.channel(), e.handle());
            jdbc.update("INSERT INTO hearth_contact_directory (" + ContactDirectory.COLUMNS + ", synced_at, sync_run, linked_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e.identityId(), e.channel(), e.handle(), e.rawHandle(),
                    e.externalId(), e.contactId(), e.verified(), e.consent(), Timestamp.from(e.systemModstamp()), now, -1L, now);
        });
    }

    /** True when the hub linked this handle itself and the sync has not yet seen the CRM's record of it. */
    public boolean hasPendingLink(String channel, String handle) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM hearth_contact_directory WHERE channel = ? AND handle = ?"
                + " AND linked_at IS NOT NULL", Integer.class, channel, handle);
        return n != null && n > 0;
    }

    /** Removes every identity of this handle on this channel (unlinking); their identity ids (CRM ids or placeholders). */
    public List<String> removeHandle(String channel, String handle) {
        return tx.execute(status -> {
            List<String> ids = jdbc.queryForList("SELECT identity_id FROM hearth_contact_directory WHERE channel = ? AND handle = ?",
                    String.class, channel, handle);
            jdbc.update("DELETE FROM hearth_contact_directory WHERE channel = ? AND handle = ?", channel, handle);
            return ids;
        });
    }
}
