package io.hearth.channel.mastodon;

import java.net.URI;

import io.hearth.channel.HandleSpelling;

/**
 * Mastodon accounts as {@code user@instance}: {@code @User@Mastodon.Social} and {@code https://mastodon.social/@user}
 * alike. A bare {@code user} stays bare (its instance is unknown).
 */
public final class MastodonHandles extends HandleSpelling {

    public static final MastodonHandles SPELLING = new MastodonHandles();

    private MastodonHandles() {
    }

    @Override
    protected String fromProfileUrl(URI url, String lastSegment) {
        if (url.getHost() == null) {
            return lastSegment;
        }
        String user = stripAt(lastSegment);
        return user.contains("@") ? user : user + "@" + url.getHost();
    }
}
