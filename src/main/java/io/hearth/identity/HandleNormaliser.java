package io.hearth.identity;

import java.util.Locale;
import java.util.Map;

import io.hearth.channel.HandleSpelling;
import io.hearth.channel.bluesky.BlueskyHandles;
import io.hearth.channel.bluesky.BlueskySearchMapper;
import io.hearth.channel.mastodon.MastodonHandles;
import io.hearth.channel.mastodon.MastodonStatusMapper;
import io.hearth.channel.reddit.RedditHandles;
import io.hearth.channel.reddit.RedditListingMapper;

/**
 * One spelling per account, so a mention's author and a CRM identity meet in the directory
 * ({@code Social_Identity__c.External_Id__c} = {@code channel:normalised-handle}). The channel's name is lower case and
 * {@code twitter} is the channel {@code x}; the handle is spelt by the channel's {@link HandleSpelling}, which lives
 * next to its mapper: {@link MastodonHandles} ({@code user@instance}), {@link BlueskyHandles} (a domain or a DID),
 * {@link RedditHandles} (without {@code u/}); every other channel the plain way (trimmed, lower case, no leading
 * {@code @}, a profile URL gives its last segment).
 */
public final class HandleNormaliser {

    /** The channels with a spelling of their own; a new one adds its line here. */
    private static final Map<String, HandleSpelling> SPELLINGS = Map.of(
            MastodonStatusMapper.CHANNEL, MastodonHandles.SPELLING,
            BlueskySearchMapper.CHANNEL, BlueskyHandles.SPELLING,
            RedditListingMapper.CHANNEL, RedditHandles.SPELLING);

    private HandleNormaliser() {
    }

    /** The channel's canonical name: lower case, {@code twitter} → {@code x}. */
    public static String channel(String channel) {
        if (channel == null || channel.isBlank()) {
            throw new IllegalArgumentException("channel missing");
        }
        String c = channel.strip().toLowerCase(Locale.ROOT);
        return c.equals("twitter") ? "x" : c;
    }

    /** The normalised handle, or null when nothing is left of it. */
    public static String normalise(String channel, String handle) {
        if (handle == null) {
            return null;
        }
        return spelling(channel(channel)).normalise(handle);
    }

    /** The spelling of a (canonical) channel. */
    public static HandleSpelling spelling(String channel) {
        return SPELLINGS.getOrDefault(channel, HandleSpelling.PLAIN);
    }

    /** {@code channel:normalised-handle}, the external id of a Social_Identity__c. */
    public static String externalId(String channel, String handle) {
        String h = normalise(channel, handle);
        return h == null ? null : channel(channel) + ":" + h;
    }
}
