package io.hearth.source;

import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.ingest.Ingest;
import io.hearth.config.HearthProperties;
import io.hearth.state.SourceCheckpoints;
import org.springframework.stereotype.Component;

/** What every polling source needs: settings, checkpoints, status, the ingest, JSON and the clock. */
@Component
public record SourceSupport(HearthProperties properties, SourceCheckpoints checkpoints, SourceStatus status,
                            Ingest ingest, ObjectMapper json, Clock clock) {

    /** A query string: each value URL-encoded (UTF-8), pairs in the map's order. */
    public static String queryString(java.util.Map<String, String> query) {
        return query.entrySet().stream()
                .map(e -> e.getKey() + "=" + java.net.URLEncoder.encode(e.getValue(), java.nio.charset.StandardCharsets.UTF_8))
                .collect(java.util.stream.Collectors.joining("&"));
    }
}
