package io.hearth.ingest;

import java.time.Clock;
import java.util.List;

import io.hearth.channel.ChannelRegistry;
import io.hearth.channel.MappedPayload;
import io.hearth.mention.Mention;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.ExchangeBuilder;
import org.springframework.stereotype.Component;

/**
 * Accepts one native payload from any entry point (API, inbox files): maps it once to check it
 * and count its mentions, then puts the payload itself on {@code social.inbound}. Returns only when
 * the broker has the payload durably, so whoever receives the count may forget the payload.
 */
@Component("ingest")
public class Ingest {

    public static final String FETCHED_AT_HEADER = "HearthFetchedAt";
    public static final String INGESTED_VIA_HEADER = "HearthIngestedVia";
    public static final String MENTION_COUNT_HEADER = "HearthMentionCount";
    /** The polling source that read the payload (e.g. {@code mastodon-notifications}); absent for API, inbox, webhooks. */
    public static final String SOURCE_HEADER = "HearthSource";

    private final ChannelRegistry channels;
    private final ProducerTemplate producer;
    private final Clock clock;
    private final MeterRegistry meters;

    public Ingest(ChannelRegistry channels, ProducerTemplate producer, Clock clock, MeterRegistry meters) {
        this.channels = channels;
        this.producer = producer;
        this.clock = clock;
        this.meters = meters;
    }

    /** What one payload brought: mentions on their way, and items the mapper rejected (bound for the DLQ). */
    public record Accepted(int mentions, int rejected) {
        @Override
        public String toString() {
            return mentions + " mention(s)" + (rejected > 0 ? ", " + rejected + " rejected item(s) bound for DLQ.social.inbound" : "");
        }
    }

    /**
     * @return the payload's mentions and rejected items, now durably queued
     * @throws io.hearth.channel.UnknownChannelException for a channel without mapper
     * @throws io.hearth.mention.InvalidMentionException for a malformed payload (nothing queued)
     */
    public Accepted accept(@Header(ChannelRegistry.CHANNEL_HEADER) String channel, @Body String payload,
                           @Header(INGESTED_VIA_HEADER) String via) {
        return accept(channel, payload, via, null);
    }

    /**
     * As {@link #accept(String, String, String)}, for a payload a polling source read: its mentions
     * that pass dedup are counted for that source ({@code hearth_source_new_mentions_total}).
     */
    public Accepted accept(String channel, String payload, String via, String source) {
        io.hearth.channel.ChannelMapper mapper = channels.mapperFor(channel);
        MappedPayload mapped = mapper.mapPayload(payload);
        // A payload that only announces deleted posts is queued too: the normalise stage records the deletions.
        if (mapped.isEmpty() && mapper.deletedPosts(payload).isEmpty()) {
            return new Accepted(0, 0);
        }
        // Queued even when every item was rejected: the rejected items reach the DLQ, nothing is lost.
        List<Mention> mentions = mapped.mentions();
        Exchange exchange = ExchangeBuilder.anExchange(producer.getCamelContext())
                .withBody(payload)
                .withHeader(ChannelRegistry.CHANNEL_HEADER, channel)
                .withHeader(FETCHED_AT_HEADER, clock.instant().toString())
                .withHeader(INGESTED_VIA_HEADER, via)
                .withHeader(MENTION_COUNT_HEADER, mentions.size())
                .build();
        if (source != null) {
            exchange.getMessage().setHeader(SOURCE_HEADER, source);
        }
        Exchange sent = producer.send("queue:social.inbound", exchange);
        if (sent.getException() != null) {
            throw new QueueUnavailableException(sent.getException());
        }
        meters.counter("hearth.ingest.mentions", "channel", channel, "via", via).increment(mentions.size());
        if (!mapped.rejections().isEmpty()) {
            meters.counter("hearth.ingest.rejected", "channel", channel, "via", via).increment(mapped.rejections().size());
        }
        return new Accepted(mentions.size(), mapped.rejections().size());
    }

    /** The broker did not take the payload: nothing was accepted. */
    public static class QueueUnavailableException extends RuntimeException {
        QueueUnavailableException(Throwable cause) {
            super("the inbound queue did not accept the payload: " + cause.getClass().getSimpleName(), cause);
        }
    }
}
