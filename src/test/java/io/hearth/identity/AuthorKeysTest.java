package io.hearth.identity;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** The pseudonym is SHA-256 of channel:normalised-handle, whatever the thread asked for just before (its memo). */
class AuthorKeysTest {

    @Test
    void knownValue() throws Exception {
        assertThat(AuthorKeys.of("x", "@Alice")).isEqualTo(sha256("x:" + HandleNormaliser.normalise("x", "@Alice")));
        assertThat(AuthorKeys.of("x", "@Alice")).isEqualTo(AuthorKeys.of("X", "alice"));
        assertThat(AuthorKeys.of("x", null)).isEqualTo(sha256("x:"));
    }

    @Property(tries = 300)
    void sameAsAFreshDigestWhateverCameBefore(@ForAll @StringLength(max = 20) String before,
                                              @ForAll @StringLength(max = 20) String handle,
                                              @ForAll boolean sameChannel) throws Exception {
        String channel = sameChannel ? "mastodon" : "bluesky";
        AuthorKeys.of("mastodon", before);   // leaves its key in this thread's memo
        String expected = sha256(HandleNormaliser.channel(channel) + ":"
                + java.util.Objects.requireNonNullElse(HandleNormaliser.normalise(channel, handle), ""));
        assertThat(AuthorKeys.of(channel, handle)).isEqualTo(expected);
        assertThat(AuthorKeys.of(channel, handle)).isEqualTo(expected);   // from the memo
        assertThat(AuthorKeys.shortOf(channel, handle)).isEqualTo(expected.substring(0, 12));
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }
}
