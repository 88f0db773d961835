package io.hearth.pipeline;

import io.hearth.channel.ChannelRegistry;
import io.hearth.mention.Mention;
import io.hearth.state.JdbcMentionIdempotentRepository;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** Route step over one canonical mention: the headers the stages route by. */
@Component("mentionChecks")
public class MentionChecks {

    public static final String MENTION_ID_HEADER = "HearthMentionId";

    /**
     * Stamps a split mention with its id, channel and source ref (inbound message id and position
     * in the payload, which the dedup repository uses to recognise its own redelivery).
     */
    public void stamp(Exchange exchange) throws InvalidPayloadException {
        Mention mention = exchange.getMessage().getMandatoryBody(Mention.class);
        org.apache.camel.Message message = exchange.getMessage();
        message.setHeader(MENTION_ID_HEADER, mention.id());
        // one author's mentions are enriched by one consumer, in order: their aggregates see each other
        message.setHeader(io.hearth.queue.StageQueues.GROUP_HEADER,
                io.hearth.enrich.AuthorKeys.shortOf(mention.channel(), mention.author() == null ? null : mention.author().handle()));
        message.setHeader(ChannelRegistry.CHANNEL_HEADER, mention.channel());
        message.setHeader(JdbcMentionIdempotentRepository.SOURCE_REF_HEADER, message.getHeader("JMSMessageID") + "#"
                + exchange.getProperty(Exchange.SPLIT_INDEX));
    }
}
