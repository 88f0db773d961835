package io.hearth.identity;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HandleNormaliserTest {

    @Test
    void caseAndLeadingAt() {
        assertThat(HandleNormaliser.normalise("x", "@Jane_NG ")).isEqualTo("jane_ng");
        assertThat(HandleNormaliser.normalise("X", "jane_ng")).isEqualTo("jane_ng");
        assertThat(HandleNormaliser.normalise("twitter", "@Jane_NG")).isEqualTo("jane_ng");
        assertThat(HandleNormaliser.channel("Twitter")).isEqualTo("x");
        assertThat(HandleNormaliser.normalise("youtube", "@HanaSatoMakes")).isEqualTo("hanasatomakes");
        assertThat(HandleNormaliser.normalise("x", "https://x.com/Jane_NG")).isEqualTo("jane_ng");
        assertThat(HandleNormaliser.normalise("x", " @ ")).isNull();
        assertThat(HandleNormaliser.normalise("x", null)).isNull();
    }

    @Test
    void mastodonUserAtInstance() {
        assertThat(HandleNormaliser.normalise("mastodon", "@AnoukVos@Hachyderm.io")).isEqualTo("anoukvos@hachyderm.io");
        assertThat(HandleNormaliser.normalise("mastodon", "anoukvos@hachyderm.io")).isEqualTo("anoukvos@hachyderm.io");
        assertThat(HandleNormaliser.normalise("mastodon", "https://hachyderm.io/@AnoukVos")).isEqualTo("anoukvos@hachyderm.io");
        assertThat(HandleNormaliser.normalise("mastodon", "@anoukvos")).isEqualTo("anoukvos");
    }

    @Test
    void blueskyHandlesAndDids() {
        assertThat(HandleNormaliser.normalise("bluesky", "@Ines.Bsky.Social.")).isEqualTo("ines.bsky.social");
        assertThat(HandleNormaliser.normalise("bluesky", "https://bsky.app/profile/ines.bsky.social")).isEqualTo("ines.bsky.social");
        assertThat(HandleNormaliser.normalise("bluesky", "did:plc:z72i7hdynmk6r22z27h6tvur")).isEqualTo("did:plc:z72i7hdynmk6r22z27h6tvur");
    }

    @Test
    void redditPrefixes() {
        assertThat(HandleNormaliser.normalise("reddit", "/u/Olga_Petrova_24")).isEqualTo("olga_petrova_24");
        assertThat(HandleNormaliser.normalise("reddit", "u/olga_petrova_24")).isEqualTo("olga_petrova_24");
    }

    @Test
    void externalIdMatchesTheCrmConvention() {
        assertThat(HandleNormaliser.externalId("x", "@Anouk_Vos")).isEqualTo("x:anouk_vos");
        assertThat(HandleNormaliser.externalId("mastodon", "@AnoukVos@hachyderm.io")).isEqualTo("mastodon:anoukvos@hachyderm.io");
    }
}
