package io.hearth.rules;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Which rules every hub on this state database runs (V36 {@code hearth_rules_in_force}), issue 12. Each hub watches its
 * own rules file ({@link RulesHolder}, every {@code hearth.rules.check-interval}); a deployment gives all hubs the same
 * file (a Kubernetes ConfigMap mounted in every pod, a directory every container mounts). This record says whether they
 * really run the same: on every load a hub writes the SHA-256 of the file it loaded, on every check it stamps
 * {@code seen_at}; health component {@code rules} lists the hubs seen lately whose rules differ from this hub's (a pod
 * still on the old ConfigMap, an invalid edit on one machine).
 */
public class RulesInForce implements RulesHolder.Listener {

    /** One hub's rules, as recorded. */
    public record Hub(String hubId, String sha256, String programme, Instant loadedAt, Instant seenAt) {
    }

    /** Rows not seen for this long are deleted (hubs that stopped). */
    static final Duration FORGET_AFTER = Duration.ofDays(1);

    private final JdbcTemplate jdbc;
    private final String hubId;
    private final Clock clock;
    private final Duration checkEvery;

    public RulesInForce(JdbcTemplate jdbc, String hubId, Clock clock, Duration checkEvery) {
        this.jdbc = jdbc;
        this.hubId = hubId.length() > 200 ? hubId.substring(0, 200) : hubId;
        this.clock = clock;
        this.checkEvery = checkEvery;
    }

    /** This process: {@code <pid>@<host>}. */
    public static String thisHub() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "unknown-host";
        }
        return ProcessHandle.current().pid() + "@" + host;
    }

    public String hubId() {
        return hubId;
    }

    @Override
    public void loaded(Rules rules, String sha256, Instant at) {
        Timestamp now = Timestamp.from(clock.instant());
        String programme = rules.programme() == null ? null
                : rules.programme().length() > 200 ? rules.programme().substring(0, 200) : rules.programme();
        int n = jdbc.update("UPDATE hearth_rules_in_force SET rules_sha256 = ?, programme = ?, loaded_at = ?, seen_at = ?"
                + " WHERE hub_id = ?", sha256, programme, Timestamp.from(at), now, hubId);
        if (n == 0) {
            try {
                jdbc.update("INSERT INTO hearth_rules_in_force (hub_id, rules_sha256, programme, loaded_at, seen_at)"
                        + " VALUES (?, ?, ?, ?, ?)", hubId, sha256, programme, Timestamp.from(at), now);
            } catch (DuplicateKeyException raced) {
                loaded(rules, sha256, at);
            }
        }
        jdbc.update("DELETE FROM hearth_rules_in_force WHERE seen_at < ?", Timestamp.from(clock.instant().minus(FORGET_AFTER)));
    }

    @Override
    public void checked(Instant at) {
        jdbc.update("UPDATE hearth_rules_in_force SET seen_at = ? WHERE hub_id = ?", Timestamp.from(clock.instant()), hubId);
    }

    /**
     * The hubs seen within the last minute or three check intervals (whichever is longer), this one included: a hub checks
     * its file (and stamps its row) whenever it judges a mention or its health is read, at most every check interval.
     */
    public List<Hub> hubs() {
        Duration recent = checkEvery.multipliedBy(3).compareTo(Duration.ofMinutes(1)) > 0 ? checkEvery.multipliedBy(3)
                : Duration.ofMinutes(1);
        return jdbc.query("SELECT hub_id, rules_sha256, programme, loaded_at, seen_at FROM hearth_rules_in_force"
                        + " WHERE seen_at >= ? OR hub_id = ? ORDER BY hub_id",
                (rs, i) -> new Hub(rs.getString(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant(),
                        rs.getTimestamp(5).toInstant()), Timestamp.from(clock.instant().minus(recent)), hubId);
    }

    /** The recently seen hubs whose rules differ from {@code sha256} (this hub's). */
    public List<Hub> differing(String sha256) {
        return hubs().stream().filter(h -> !h.sha256().equals(sha256)).toList();
    }
}
