package io.hearth.channel.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class HtmlTextTest {

    @Test
    void paragraphsBecomeBlankLinesAndBreaksBecomeNewlines() {
        assertThat(HtmlText.toPlainText("<p>first line<br>second line<br/>third</p><p>next paragraph</p>"))
                .isEqualTo("first line\nsecond line\nthird\n\nnext paragraph");
    }

    @Test
    void blocksAndListItemsGetLinesOfTheirOwn() {
        assertThat(HtmlText.toPlainText("<div>intro</div><ul><li>one</li><li>two</li></ul><blockquote>quoted</blockquote>tail"))
                .isEqualTo("intro\none\ntwo\nquoted\ntail");
    }

    @Test
    void tagsAreDroppedAndInlineTextJoins() {
        assertThat(HtmlText.toPlainText("<p>a <strong>bold</strong> and <a href=\"https://x.example\" class=\"u-url mention\">@<span>jane</span></a></p>"))
                .isEqualTo("a bold and @jane");
    }

    @Test
    void namedDecimalAndHexEntitiesAreDecoded() {
        assertThat(HtmlText.toPlainText("&quot;Caf&eacute;&quot; &amp; it&#39;s &#8211; 5 &lt; 6 &gt; 4 &hellip; &euro;&#x41;&#X42;"))
                .isEqualTo("\"Café\" & it's – 5 < 6 > 4 … €AB");
    }

    @Test
    void numericEntitiesOutsideTheBmpBecomeSurrogatePairs() {
        String text = HtmlText.toPlainText("thanks &#x1F64F; &#128293;");
        assertThat(text).isEqualTo("thanks \uD83D\uDE4F \uD83D\uDD25");
        assertThat(text.codePointCount(0, text.length())).isEqualTo(10);
    }

    @Test
    void rawEmojiAndZwjSequencesPassThroughUntouched() {
        String emoji = "\uD83D\uDC69\uD83C\uDFFD\u200D\uD83D\uDCBB \uD83C\uDDE9\uD83C\uDDEA";
        assertThat(HtmlText.toPlainText("<p>" + emoji + "</p>")).isEqualTo(emoji);
    }

    @Test
    void oddReferencesFollowHtml5() {
        // Windows-1252 numbers, invalid code points, unknown names, a bare ampersand, a missing semicolon
        assertThat(HtmlText.toPlainText("&#146;&#0;&#xD800;&bogus; AT&T &#65x")).isEqualTo("\u2019\uFFFD\uFFFD&bogus; AT&T Ax");
    }

    @Test
    void whitespaceIsTidied() {
        assertThat(HtmlText.toPlainText("  <p>  lots   of\n\t space&nbsp;&nbsp;here  </p>\n\n<p></p><p></p><p> end </p>  "))
                .isEqualTo("lots of space here\n\nend");
    }

    @Test
    void scriptStyleAndCommentsAreNotText() {
        assertThat(HtmlText.toPlainText("<style>p{color:red}</style><p>kept<!-- hidden --></p><script>alert('x')</script>"))
                .isEqualTo("kept");
    }

    @Test
    void brokenMarkupNeverFailsAndKeepsText() {
        assertThat(HtmlText.toPlainText("5 < 6 and <3 <p>ok")).isEqualTo("5 < 6 and <3\n\nok");
        assertThat(HtmlText.toPlainText("text <a href=\"x")).isEqualTo("text <a href=\"x");
        assertThat(HtmlText.toPlainText("<a title=\"a > b\">quoted attribute</a>")).isEqualTo("quoted attribute");
        assertThat(HtmlText.toPlainText("escaped &lt;b&gt;not a tag&lt;/b&gt;")).isEqualTo("escaped <b>not a tag</b>");
    }

    @Test
    void nullAndEmptyGiveEmptyText() {
        assertThat(HtmlText.toPlainText(null)).isEmpty();
        assertThat(HtmlText.toPlainText("")).isEmpty();
        assertThat(HtmlText.toPlainText("<p></p><br>")).isEmpty();
    }

    @Test
    void mastodonLinkSpansGiveTheWholeUrl() {
        String html = "<p><a href=\"https://www.theguardian.com/money/2019/dec/07/x\" rel=\"nofollow noopener noreferrer\" target=\"_blank\">"
                + "<span class=\"invisible\">https://www.</span><span class=\"ellipsis\">theguardian.com/money/2019/dec</span>"
                + "<span class=\"invisible\">/07/x</span></a></p>";
        assertThat(HtmlText.toPlainText(html)).isEqualTo("https://www.theguardian.com/money/2019/dec/07/x");
    }

    @Test
    void anchorsCarryHrefClassRelAndText() {
        List<HtmlText.Anchor> anchors = HtmlText.anchors(
                "<p><a href=\"https://m.example/tags/acme\" class=\"mention hashtag\" rel=\"tag\">#<span>acme</span></a> "
                        + "<A HREF='https://shop.example/?a=1&amp;b=2' rel=nofollow>the shop</A> <a name=\"no-href\">x</a>"
                        + "<a href=\"https://last.example\">unclosed");
        assertThat(anchors).extracting(HtmlText.Anchor::href)
                .containsExactly("https://m.example/tags/acme", "https://shop.example/?a=1&b=2", "https://last.example");
        assertThat(anchors.get(0).hasClass("hashtag")).isTrue();
        assertThat(anchors.get(0).hasRel("tag")).isTrue();
        assertThat(anchors.get(0).text()).isEqualTo("#acme");
        assertThat(anchors.get(1).hasClass("mention")).isFalse();
        assertThat(anchors.get(1).hasRel("nofollow")).isTrue();
        assertThat(anchors.get(1).text()).isEqualTo("the shop");
        assertThat(HtmlText.anchors(null)).isEmpty();
    }
}
