package io.hearth.ingest;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code hearth.ingest}: the ways in ({@code POST /api/ingest/<channel>}, the webhooks).
 *
 * @param maxPayloadSize larger bodies are refused with 413, chunked ones as soon as they pass it
 */
@ConfigurationProperties(prefix = "hearth.ingest")
public record IngestSettings(@DefaultValue("16MB") DataSize maxPayloadSize) {
}
