package io.hearth.identity;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import io.hearth.identity.ContactDirectory.Entry;

/** Writes of the directory sync: one transaction per page, so a lookup never sees half a page. */
@Component
public class DirectoryStore {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    public DirectoryStore(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.tx = new TransactionTemplate(new DataSourceTransactionManager(jdbc.getDataSource()));
    }

    /** Inserts or replaces these identities (by identity id), marked as seen by {@code run}; removes {@code deleted}. */
    public void apply(Collection<Entry> upserts, Collection<String> deleted, long run) {
        Timestamp now = Timestamp.from(clock.instant());
        List<Object[]> ids = new ArrayList<>();
        List<Object[]> rows = new ArrayList<>();
        for (Entry e : upserts) {
            ids.add(new Object[] {e.identityId()});
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
            if (!rows.isEmpty()) {
                jdbc.batchUpdate("INSERT INTO hearth_contact_directory (" + ContactDirectory.COLUMNS + ", synced_at, sync_run)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows);
            }
        });
    }

    /** Sets the consent of every identity of these contacts (contact id → Social_Consent__c, null = not set). */
    public int updateConsent(Map<String, Boolean> consentByContact) {
        if (consentByContact.isEmpty()) {
            return 0;
        }
        List<Object[]> args = new ArrayList<>();
        consentByContact.forEach((contact, consent) -> args.add(new Object[] {consent, contact}));
        int[][] counts = tx.execute(status -> jdbc.batchUpdate(
                "UPDATE hearth_contact_directory SET consent = ? WHERE contact_id = ?", args, args.size(),
                (ps, a) -> {
                    if (a[0] == null) {
                        ps.setNull(1, java.sql.Types.BOOLEAN);
                    } else {
                        ps.setBoolean(1, (Boolean) a[0]);
                    }
                    ps.setString(2, (String) a[1]);
                }));
        int n = 0;
        for (int[] batch : counts) {
            for (int c : batch) {
                n += Math.max(c, 0);
            }
        }
        return n;
    }

    /** After a complete full load: drops the identities that load did not see (deleted in the CRM). */
    public int dropNotSeenBy(long run) {
        return jdbc.update("DELETE FROM hearth_contact_directory WHERE sync_run <> ?", run);
    }
}
