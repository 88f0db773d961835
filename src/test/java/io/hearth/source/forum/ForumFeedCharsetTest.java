package io.hearth.source.forum;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultMessage;
import org.junit.jupiter.api.Test;

/** How a fetched feed's bytes become text: Content-Type charset, else the XML declaration, else UTF-8. */
class ForumFeedCharsetTest {

    private static final String FEED = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><rss version=\"2.0\"><channel><title>Café</title></channel></rss>";

    @Test
    void theXmlDeclarationDecidesWhenContentTypeSaysNoCharset() throws Exception {
        assertThat(decode(FEED.getBytes(StandardCharsets.ISO_8859_1), "application/rss+xml")).contains("<title>Café</title>");
    }

    @Test
    void theContentTypeCharsetWins() throws Exception {
        assertThat(decode(FEED.replace("ISO-8859-1", "windows-1252").getBytes(StandardCharsets.UTF_8), "text/xml; charset=UTF-8"))
                .contains("<title>Café</title>");
    }

    @Test
    void utf8WithAByteOrderMarkByDefault() throws Exception {
        String noDeclaration = "\uFEFF<rss version=\"2.0\"><channel><title>Café \uD83D\uDC4D</title></channel></rss>";
        assertThat(decode(noDeclaration.getBytes(StandardCharsets.UTF_8), null)).startsWith("<rss").contains("Café \uD83D\uDC4D");
    }

    private static String decode(byte[] bytes, String contentType) throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            DefaultMessage message = new DefaultMessage(camel);
            message.setBody(bytes);
            if (contentType != null) {
                message.setHeader(Exchange.CONTENT_TYPE, contentType);
            }
            ForumFeedSource.decodeBody(message);
            return message.getBody(String.class);
        }
    }
}
