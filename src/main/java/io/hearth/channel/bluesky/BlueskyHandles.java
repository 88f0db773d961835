package io.hearth.channel.bluesky;

import java.util.Locale;

import io.hearth.channel.HandleSpelling;

/**
 * Bluesky handles as domains: {@code @Jane.bsky.social} → {@code jane.bsky.social}, no trailing dot;
 * {@code https://bsky.app/profile/jane.bsky.social} gives the handle; a DID ({@code did:plc:…}) as given, lower case.
 */
public final class BlueskyHandles extends HandleSpelling {

    public static final BlueskyHandles SPELLING = new BlueskyHandles();

    private BlueskyHandles() {
    }

    @Override
    public String normalise(String handle) {
        if (handle != null && handle.strip().toLowerCase(Locale.ROOT).startsWith("did:")) {
            return handle.strip().toLowerCase(Locale.ROOT);
        }
        return super.normalise(handle);
    }

    @Override
    protected String spell(String lowerCased) {
        String h = stripAt(lowerCased);
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }
}
