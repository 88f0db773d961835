package io.hearth.pipeline;

import io.hearth.channel.ChannelRegistry;
import io.hearth.mention.Mention;
import io.hearth.queue.DeadLetterPublisher;
import io.hearth.state.JdbcMentionIdempotentRepository;
import org.apache.camel.InvalidPayloadException;
import org.apache.camel.Exchange;
import org.springframework.stereotype.Component;

/** Route step over one canonical mention: the headers the stages route by. */
@Component("mentionChecks")
public class MentionChecks {

    public static final String MENTION_ID_HEADER = "HearthMentionId";

    private final com.fasterxml.jackson.databind.ObjectMapper objectMapper;

    public MentionChecks(com.fasterxml.jackson.databind.ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    /**
     * The mention as the JSON text social.mentions carries, written by the application's ObjectMapper (the one
     * Camel's {@code marshal: json} used). A String straight away: the marshal step left a byte stream that the queue
     * producer then turned back into text through a Reader, ~10 % of the normalise stage's CPU (issue 14 profile).
     */
    public String json(@org.apache.camel.Body Mention mention) throws com.fasterxml.jackson.core.JsonProcessingException {
        return objectMapper.writeValueAsString(mention);
    }

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
                io.hearth.identity.AuthorKeys.shortOf(mention.channel(), mention.author() == null ? null : mention.author().handle()));
        message.setHeader(ChannelRegistry.CHANNEL_HEADER, mention.channel());
        message.setHeader(JdbcMentionIdempotentRepository.SOURCE_REF_HEADER, sourceRef(exchange));
    }

    /**
     * Where the mention came from, as the dedup repository compares it: the inbound message id and the mention's
     * position. A payload replayed from a DLQ is a new JMS message but carries the id of the message that first failed
     * ({@link DeadLetterPublisher#ORIGINAL_MESSAGE_HEADER}), so its mentions keep their source reference and are not
     * dropped as duplicates of themselves when their keys were recorded before the failure. A single mention replayed
     * out of a split payload already carries its source reference and keeps it.
     */
    static String sourceRef(Exchange exchange) {
        org.apache.camel.Message message = exchange.getMessage();
        String original = message.getHeader(DeadLetterPublisher.ORIGINAL_MESSAGE_HEADER, String.class);
        // the carried reference and the split size matter only for a replay (most mentions have no original id)
        if (original != null) {
            String carried = message.getHeader(JdbcMentionIdempotentRepository.SOURCE_REF_HEADER, String.class);
            Integer size = carried == null ? null : exchange.getProperty(Exchange.SPLIT_SIZE, Integer.class);
            if (size != null && size == 1) {
                return carried;
            }
        }
        Object base = original != null ? original : message.getHeader("JMSMessageID");
        return base + "#" + exchange.getProperty(Exchange.SPLIT_INDEX);
    }
}
