package io.hearth.channel;

import java.net.URI;
import java.util.Locale;

/**
 * How a channel spells one account, so a mention's author and a CRM identity meet in the directory
 * ({@code io.hearth.identity.HandleNormaliser}). The plain spelling, which most channels use (x, twitter, youtube,
 * meta, forum): trimmed, lower case (handles are case-insensitive everywhere), no leading {@code @}; a profile URL
 * ({@code https://x.com/jane}) gives its last path segment. A channel with its own rules subclasses this next to its
 * mapper ({@code MastodonHandles}, {@code BlueskyHandles}, {@code RedditHandles}) and overrides a step.
 */
public class HandleSpelling {

    /** The spelling of channels without rules of their own. */
    public static final HandleSpelling PLAIN = new HandleSpelling();

    /** The normalised handle, or null when nothing is left of it. */
    public String normalise(String handle) {
        if (handle == null) {
            return null;
        }
        String h = handle.strip();
        if (h.startsWith("http://") || h.startsWith("https://")) {
            h = fromProfileUrl(h);
        }
        h = stripAt(spell(h.toLowerCase(Locale.ROOT)));
        return h.isEmpty() ? null : h;
    }

    /** The channel's own rules, applied to the lower-cased handle before the leading {@code @} is dropped. */
    protected String spell(String lowerCased) {
        return lowerCased;
    }

    /** The handle in a profile URL, given the URL and its last path segment. */
    protected String fromProfileUrl(URI url, String lastSegment) {
        return lastSegment;
    }

    /** Without leading {@code @}s, trimmed. */
    protected static String stripAt(String h) {
        int i = 0;
        while (i < h.length() && h.charAt(i) == '@') {
            i++;
        }
        return h.substring(i).strip();
    }

    private String fromProfileUrl(String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            return url;
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        while (path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        return fromProfileUrl(uri, path.substring(path.lastIndexOf('/') + 1));
    }
}
