package io.hearth.support;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;

import io.hearth.identity.HandleNormaliser;
import org.flywaydb.core.Flyway;

/**
 * Prepares a hub's state database (H2 under {@code <data-dir>/state}) before the hub starts, as an earlier run of the
 * directory sync would have left it: the schema migrated and identities of consenting contacts in the directory.
 */
public final class StateSeed {

    private StateSeed() {
    }

    public static String url(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("state").resolve("hearth") + ";WRITE_DELAY=0";
    }

    /** One consenting contact per handle on {@code channel}; contact ids 003SEED000000000n (returned in handle order). */
    public static List<String> consentingContacts(Path dataDir, String channel, List<String> handles) throws Exception {
        Flyway.configure().dataSource(url(dataDir), "sa", "").locations("classpath:db/migration").load().migrate();
        try (Connection c = DriverManager.getConnection(url(dataDir), "sa", "")) {
            return consentingContacts(c, channel, handles, 0);
        }
    }

    /**
     * The same in the state database a hub will use: the data directory's H2, or the database {@code db} names
     * ({@link StateDb#properties}: spring.datasource.*), migrated first.
     */
    public static List<String> consentingContacts(java.util.Map<String, String> db, Path dataDir, String channel,
                                                  List<String> handles) throws Exception {
        if (db.isEmpty()) {
            return consentingContacts(dataDir, channel, handles);
        }
        String url = db.get("spring.datasource.url");
        String user = db.get("spring.datasource.username");
        Flyway.configure().dataSource(url, user, "").locations("classpath:db/migration").load().migrate();
        try (Connection c = DriverManager.getConnection(url, user, "")) {
            return consentingContacts(c, channel, handles, 0);
        }
    }

    /**
     * The same in a running hub's state database; {@code firstIndex} keeps ids apart between calls. Identities already
     * there are left alone.
     */
    public static List<String> consentingContacts(javax.sql.DataSource state, String channel, List<String> handles,
                                                  int firstIndex) throws Exception {
        try (Connection c = state.getConnection()) {
            return consentingContacts(c, channel, handles, firstIndex);
        }
    }

    private static List<String> consentingContacts(Connection c, String channel, List<String> handles, int firstIndex)
            throws Exception {
        List<String> contactIds = new java.util.ArrayList<>();
        try (PreparedStatement exists = c.prepareStatement("SELECT COUNT(*) FROM hearth_contact_directory WHERE identity_id = ?");
             PreparedStatement insert = c.prepareStatement("INSERT INTO hearth_contact_directory (identity_id, channel,"
                     + " handle, raw_handle, external_id, contact_id, verified, consent, system_modstamp, synced_at,"
                     + " sync_run) VALUES (?, ?, ?, ?, ?, ?, TRUE, TRUE, ?, ?, 1)")) {
            Timestamp now = Timestamp.from(Instant.now());
            for (int n = 0; n < handles.size(); n++) {
                int i = firstIndex + n;
                String contactId = String.format("003SEED%011d", i);
                String identityId = String.format("a0ISEED%011d", i);
                contactIds.add(contactId);
                exists.setString(1, identityId);
                try (java.sql.ResultSet rs = exists.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) > 0) {
                        continue;
                    }
                }
                insert.setString(1, identityId);
                insert.setString(2, HandleNormaliser.channel(channel));
                insert.setString(3, HandleNormaliser.normalise(channel, handles.get(n)));
                insert.setString(4, handles.get(n));
                insert.setString(5, HandleNormaliser.externalId(channel, handles.get(n)));
                insert.setString(6, contactId);
                insert.setTimestamp(7, now);
                insert.setTimestamp(8, now);
                insert.addBatch();
            }
            insert.executeBatch();
        }
        return contactIds;
    }
}
