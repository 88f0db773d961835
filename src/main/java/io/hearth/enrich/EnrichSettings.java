package io.hearth.enrich;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code hearth.enrich} (docs/enrichment.md).
 *
 * @param topInterests interests kept on the Contact ({@code Social_Interests__c}), 1..50
 */
@ConfigurationProperties(prefix = "hearth.enrich")
public record EnrichSettings(@DefaultValue("5") int topInterests) {
}
