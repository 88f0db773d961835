package io.hearth.state;

import java.sql.Timestamp;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** Each polling source's checkpoint (its own JSON), in the state database. */
@Component
public class SourceCheckpoints {

    private final JdbcTemplate jdbc;
    private final Clock clock;

    public SourceCheckpoints(JdbcTemplate jdbc, Clock clock) {
        this.jdbc = jdbc;
        this.clock = clock;
    }

    public Optional<String> load(String source) {
        List<String> rows = jdbc.queryForList("SELECT checkpoint FROM hearth_source_checkpoint WHERE source = ?",
                String.class, source);
        return rows.stream().findFirst();
    }

    public void save(String source, String checkpoint) {
        Timestamp now = Timestamp.from(clock.instant());
        if (jdbc.update("UPDATE hearth_source_checkpoint SET checkpoint = ?, updated_at = ? WHERE source = ?",
                checkpoint, now, source) == 0) {
            jdbc.update("INSERT INTO hearth_source_checkpoint (source, checkpoint, updated_at) VALUES (?, ?, ?)",
                    source, checkpoint, now);
        }
    }
}
