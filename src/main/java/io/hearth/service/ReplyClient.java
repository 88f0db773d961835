package io.hearth.service;

import java.time.Instant;
import java.util.Optional;

/**
 * Posts an agent's reply into a conversation on one channel (docs/service.md). Implementations live next to their
 * channel (io.hearth.channel.x.XReplyClient, ...mastodon.MastodonReplyClient, ...bluesky.BlueskyReplyClient).
 */
public interface ReplyClient {

    /** The channel name as in mention ids (x, mastodon, bluesky). */
    String channel();

    /**
     * Posts {@code text} as a reply to the target. {@code key} is the reply's idempotency key (the Social_Reply__c id),
     * {@code keyTime} when the key was first seen (stable across retries).
     */
    Posted post(Target target, String text, String key, Instant keyTime) throws ReplyException;

    /**
     * After an attempt whose outcome is unknown (a crash or timeout between posting and recording): the reply if it went
     * out, empty if it certainly did not. Throws {@link ReplyException.Kind#UNKNOWN} when the channel cannot tell.
     */
    Optional<Posted> find(Target target, String text, String key, Instant keyTime) throws ReplyException;

    /** What the reply answers: the latest customer post of the case (parent) and its conversation's first post (root). */
    record Target(String channel, String parentNativeId, String rootNativeId, String parentHandle) {
    }

    /** The posted reply: the channel's id (tweet id, status id, at:// uri) and, where given, its link. */
    record Posted(String id, String url) {
    }
}
