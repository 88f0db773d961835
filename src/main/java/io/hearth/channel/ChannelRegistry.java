package io.hearth.channel;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.apache.camel.Body;
import org.apache.camel.Header;
import org.springframework.stereotype.Component;

/** Every channel mapper the hub has, by channel name. */
@Component("channels")
public class ChannelRegistry {

    /** Header naming the channel of a native payload on {@code social.inbound}. */
    public static final String CHANNEL_HEADER = "HearthChannel";

    private final Map<String, ChannelMapper> mappers = new TreeMap<>();

    public ChannelRegistry(List<ChannelMapper> mappers) {
        for (ChannelMapper mapper : mappers) {
            ChannelMapper previous = this.mappers.put(mapper.channel(), mapper);
            if (previous != null) {
                throw new IllegalStateException("two mappers for channel '" + mapper.channel() + "': "
                        + previous.getClass().getName() + " and " + mapper.getClass().getName());
            }
        }
    }

    public Collection<String> channels() {
        return mappers.keySet();
    }

    public boolean isKnown(String channel) {
        return mappers.containsKey(channel);
    }

    public ChannelMapper mapperFor(String channel) {
        ChannelMapper mapper = channel == null ? null : mappers.get(channel);
        if (mapper == null) {
            throw new UnknownChannelException(channel, channels());
        }
        return mapper;
    }

    /** The normalise step of the pipeline: native payload in, mentions and rejected items out. */
    public MappedPayload normalise(@Header(CHANNEL_HEADER) String channel, @Body String payload) {
        ChannelMapper mapper = mapperFor(channel);
        try {
            return mapper.mapPayload(payload);
        } catch (io.hearth.mention.InvalidMentionException e) {
            throw e;
        } catch (RuntimeException e) {
            // A failure the mapper did not foresee (its per-item guard catches those of single items): the payload is
            // refused with a reason like any unreadable one (dead-lettered, the API answers 400), never retried for ever.
            // The type only: the message may quote the payload.
            throw new io.hearth.mention.InvalidMentionException("channel '" + channel + "' could not read the payload ("
                    + e.getClass().getName() + ")", e);
        }
    }

    /** The deleted posts a payload announces (see {@link ChannelMapper#deletedPosts}). */
    public java.util.List<String> deletedPosts(String channel, String payload) {
        return mapperFor(channel).deletedPosts(payload);
    }
}
