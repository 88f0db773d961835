package io.hearth.channel.reddit;

import io.hearth.channel.HandleSpelling;

/** Reddit user names without {@code u/} or {@code /u/}. */
public final class RedditHandles extends HandleSpelling {

    public static final RedditHandles SPELLING = new RedditHandles();

    private RedditHandles() {
    }

    @Override
    protected String spell(String lowerCased) {
        String h = lowerCased;
        if (h.startsWith("/")) {
            h = h.substring(1);
        }
        if (h.startsWith("u/")) {
            h = h.substring(2);
        }
        return h;
    }
}
