package io.hearth.identity;

import java.net.URI;
import java.util.Locale;

/**
 * One spelling per account, so a mention's author and a CRM identity meet in the directory
 * ({@code Social_Identity__c.External_Id__c} = {@code channel:normalised-handle}).
 * <ul>
 * <li>every channel: trimmed, lower case (handles are case-insensitive on all of them), no leading {@code @};</li>
 * <li>{@code twitter} is the channel {@code x};</li>
 * <li>mastodon: {@code user@instance} ({@code @User@Mastodon.Social} and {@code https://mastodon.social/@user} alike);
 * a bare {@code user} stays bare (its instance is unknown);</li>
 * <li>bluesky: the handle as a domain ({@code @Jane.bsky.social} → {@code jane.bsky.social}, no trailing dot), or a
 * DID as given;</li>
 * <li>reddit: without {@code u/} or {@code /u/};</li>
 * <li>x, youtube and others: the handle without {@code @}; profile URLs ({@code https://x.com/jane}) give the handle.</li>
 * </ul>
 */
public final class HandleNormaliser {

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
        String c = channel(channel);
        String h = handle.strip();
        if (c.equals("bluesky") && h.toLowerCase(Locale.ROOT).startsWith("did:")) {
            return h.toLowerCase(Locale.ROOT);
        }
        if (h.startsWith("http://") || h.startsWith("https://")) {
            h = fromProfileUrl(c, h);
        }
        h = h.toLowerCase(Locale.ROOT);
        switch (c) {
            case "reddit" -> {
                if (h.startsWith("/")) {
                    h = h.substring(1);
                }
                if (h.startsWith("u/")) {
                    h = h.substring(2);
                }
            }
            case "bluesky" -> {
                h = stripAt(h);
                while (h.endsWith(".")) {
                    h = h.substring(0, h.length() - 1);
                }
            }
            default -> {
            }
        }
        h = stripAt(h);
        return h.isEmpty() ? null : h;
    }

    /** {@code channel:normalised-handle}, the external id of a Social_Identity__c. */
    public static String externalId(String channel, String handle) {
        String h = normalise(channel, handle);
        return h == null ? null : channel(channel) + ":" + h;
    }

    private static String stripAt(String h) {
        int i = 0;
        while (i < h.length() && h.charAt(i) == '@') {
            i++;
        }
        return h.substring(i).strip();
    }

    /** {@code https://host/@user} → {@code user@host} on mastodon; the last path segment elsewhere. */
    private static String fromProfileUrl(String channel, String url) {
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
        String last = path.substring(path.lastIndexOf('/') + 1);
        if (channel.equals("mastodon") && uri.getHost() != null) {
            String user = stripAt(last);
            return user.contains("@") ? user : user + "@" + uri.getHost();
        }
        if (channel.equals("bluesky") && path.startsWith("/profile/")) {
            return last;
        }
        return last;
    }
}
