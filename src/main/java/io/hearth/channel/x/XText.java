package io.hearth.channel.x;

import java.time.Instant;

/** What X's two APIs (v2 and v1.1) share: text escaping, permalinks and snowflake ids. */
public final class XText {

    /** Milliseconds since the Unix epoch at which X's snowflake ids start counting (2010-11-04T01:42:54.657Z). */
    static final long SNOWFLAKE_EPOCH_MS = 1288834974657L;

    private XText() {
    }

    /**
     * X sends post text with exactly three characters HTML-escaped ({@code &amp; &lt; &gt;}) and
     * nothing else; this undoes that, and only that (a literal "&quot;" typed by a user stays).
     * Surrogate pairs (emoji) are untouched.
     */
    public static String unescape(String text) {
        if (text == null || text.indexOf('&') < 0) {
            return text;
        }
        return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&");
    }

    /** The post's permalink; without a username X's own {@code /i/web/status/} form, which redirects. */
    public static String permalink(String username, String id) {
        return username == null ? "https://x.com/i/web/status/" + id : "https://x.com/" + username + "/status/" + id;
    }

    /** The "… https://t.co/…" link X appends to a truncated text: the post's own {@code /i/web/status/<id>}. */
    public static boolean isSelfLink(String url, String id) {
        return url.endsWith("/i/web/status/" + id)
                && (url.startsWith("https://twitter.com/") || url.startsWith("https://x.com/"));
    }

    public static String profileUrl(String username) {
        return username == null ? null : "https://x.com/" + username;
    }

    /**
     * When a post was made, read from its snowflake id (the top 41 bits count milliseconds since
     * {@link #SNOWFLAKE_EPOCH_MS}); {@code null} for ids that are not snowflakes (posts before
     * November 2010, non-numeric ids).
     */
    public static Instant snowflakeTime(String id) {
        try {
            long value = Long.parseLong(id);
            if (value < (1L << 40)) {
                return null;
            }
            return Instant.ofEpochMilli((value >> 22) + SNOWFLAKE_EPOCH_MS);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
