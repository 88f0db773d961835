package io.hearth.source;

import java.time.Clock;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.api.Ingest;
import io.hearth.config.HearthProperties;
import org.springframework.stereotype.Component;

/** What every polling source needs: settings, checkpoints, status, the ingest, JSON and the clock. */
@Component
public record SourceSupport(HearthProperties properties, SourceCheckpoints checkpoints, SourceStatus status,
                            Ingest ingest, ObjectMapper json, Clock clock) {
}
