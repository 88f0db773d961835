package io.hearth.channel.forum;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import io.hearth.channel.ChannelMapper;
import io.hearth.channel.MappedPayload;
import io.hearth.channel.support.HtmlText;
import io.hearth.channel.support.NativeTimes;
import io.hearth.mention.InvalidMentionException;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionKind;
import io.hearth.mention.MentionValidator;
import org.springframework.stereotype.Component;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Channel {@code forum}: an RSS 2.0 (also RSS 1.0/RDF) or Atom feed document, e.g. a Flyertalk
 * forum feed. Each {@code <item>} / {@code <entry>} becomes one mention:
 * <ul>
 *   <li>{@code nativeId}: RSS {@code guid}, Atom {@code id}; else the link.</li>
 *   <li>{@code kind}: {@code reply} when the title starts with "Re:" (any case), otherwise {@code post}.</li>
 *   <li>{@code text}: title + blank line + the body as plain text (RSS {@code content:encoded}, else
 *       {@code description}; Atom {@code content}, else {@code summary}).</li>
 *   <li>{@code author}: {@code dc:creator}, else RSS {@code author} (the name in "mail (Name)");
 *       Atom {@code author/name} of the entry, else of the feed.</li>
 *   <li>{@code createdAt}: RSS {@code pubDate} (RFC 1123/822), else {@code dc:date}; Atom
 *       {@code published}, else {@code updated} (ISO-8601).</li>
 * </ul>
 * An item without id and link or without a readable date is a {@link MappedPayload.Rejection}.
 * The parser refuses DTDs, so external entities (XXE) and entity expansion bombs never load;
 * a document with a {@code <!DOCTYPE>} is invalid as a whole.
 */
@Component
public class FeedMapper implements ChannelMapper {

    public static final String CHANNEL = "forum";

    static final String ATOM = "http://www.w3.org/2005/Atom";
    static final String DC = "http://purl.org/dc/elements/1.1/";
    static final String CONTENT = "http://purl.org/rss/1.0/modules/content/";
    static final String RSS1 = "http://purl.org/rss/1.0/";

    private static final Set<String> RSS_NS = Set.of("", RSS1);
    private static final Set<String> ATOM_NS = Set.of(ATOM, "");

    @Override
    public String channel() {
        return CHANNEL;
    }

    @Override
    public MappedPayload mapPayload(String payload) {
        Element root = parse(payload).getDocumentElement();
        String name = root.getLocalName();
        List<Mention> mentions = new ArrayList<>();
        List<MappedPayload.Rejection> rejections = new ArrayList<>();
        if ("rss".equals(name) || "RDF".equals(name)) {
            Element container = root;
            String lang = null;
            if ("rss".equals(name)) {
                container = child(root, "channel", RSS_NS);
                if (container == null) {
                    throw new InvalidMentionException("<rss> without <channel>");
                }
                lang = text(child(container, "language", RSS_NS));
            } else {
                Element channel = child(root, "channel", RSS_NS);
                lang = channel == null ? null : text(child(channel, "language", Set.of(DC)));
            }
            List<Element> items = children(container, "item", RSS_NS);
            for (int i = 0; i < items.size(); i++) {
                map(items.get(i), "item[" + i + "]", lang, null, false, mentions, rejections);
            }
        } else if ("feed".equals(name) && ATOM_NS.contains(ns(root))) {
            String lang = attribute(root, XMLConstants.XML_NS_URI, "lang");
            Element feedAuthor = child(root, "author", ATOM_NS);
            List<Element> entries = children(root, "entry", ATOM_NS);
            for (int i = 0; i < entries.size(); i++) {
                map(entries.get(i), "entry[" + i + "]", lang, feedAuthor, true, mentions, rejections);
            }
        } else {
            throw new InvalidMentionException("expected an RSS <rss> or Atom <feed> document, found <" + root.getNodeName() + ">");
        }
        return new MappedPayload(mentions, rejections);
    }

    private void map(Element item, String where, String lang, Element feedAuthor, boolean atom,
                     List<Mention> mentions, List<MappedPayload.Rejection> rejections) {
        try {
            mentions.add(MentionValidator.validate(atom ? atomEntry(item, where, lang, feedAuthor) : rssItem(item, where, lang)));
        } catch (InvalidMentionException e) {
            rejections.add(new MappedPayload.Rejection(serialize(item),
                    e.getMessage().startsWith(where) ? e.getMessage() : where + ": " + e.getMessage()));
        } catch (RuntimeException e) {
            rejections.add(new MappedPayload.Rejection(serialize(item), io.hearth.channel.support.JsonItems.unreadable(where, e)));
        }
    }

    private Mention rssItem(Element item, String where, String lang) {
        String title = text(child(item, "title", RSS_NS));
        String link = text(child(item, "link", RSS_NS));
        String guid = text(child(item, "guid", RSS_NS));
        if (guid == null && item.hasAttributeNS("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "about")) {
            guid = item.getAttributeNS("http://www.w3.org/1999/02/22-rdf-syntax-ns#", "about").strip();
        }
        String nativeId = guid != null ? guid : link;
        if (nativeId == null) {
            throw new InvalidMentionException(where + ": neither <guid> nor <link>");
        }
        String body = text(child(item, "encoded", Set.of(CONTENT)));
        if (body == null) {
            body = text(child(item, "description", RSS_NS));
        }
        Instant createdAt;
        String pubDate = text(child(item, "pubDate", RSS_NS));
        if (pubDate != null) {
            createdAt = NativeTimes.parseRfc1123(pubDate);
            if (createdAt == null) {
                throw new InvalidMentionException(where + ": <pubDate> is not an RFC 1123 date");
            }
        } else {
            String dcDate = text(child(item, "date", Set.of(DC)));
            if (dcDate == null) {
                throw new InvalidMentionException(where + ": missing <pubDate>");
            }
            createdAt = NativeTimes.parseIso(dcDate);
            if (createdAt == null) {
                throw new InvalidMentionException(where + ": <dc:date> is not an ISO-8601 date");
            }
        }
        String author = text(child(item, "creator", Set.of(DC)));
        if (author == null) {
            author = nameOfRssAuthor(text(child(item, "author", RSS_NS)));
        }
        return mention(nativeId, link, title, HtmlText.toPlainText(body), lang, createdAt, author, null);
    }

    private Mention atomEntry(Element entry, String where, String lang, Element feedAuthor) {
        Element titleElement = child(entry, "title", ATOM_NS);
        String title = titleElement == null ? null : atomText(titleElement);
        String link = null;
        for (Element l : children(entry, "link", ATOM_NS)) {
            String rel = attribute(l, null, "rel");
            if (rel == null || rel.equals("alternate")) {
                link = attribute(l, null, "href");
                break;
            }
        }
        String id = text(child(entry, "id", ATOM_NS));
        String nativeId = id != null ? id : link;
        if (nativeId == null) {
            throw new InvalidMentionException(where + ": neither <id> nor <link href>");
        }
        Element content = child(entry, "content", ATOM_NS);
        if (content == null) {
            content = child(entry, "summary", ATOM_NS);
        }
        String published = text(child(entry, "published", ATOM_NS));
        String updated = text(child(entry, "updated", ATOM_NS));
        String date = published != null ? published : updated;
        if (date == null) {
            throw new InvalidMentionException(where + ": missing <published> and <updated>");
        }
        Instant createdAt = NativeTimes.parseIso(date);
        if (createdAt == null) {
            throw new InvalidMentionException(where + ": <" + (published != null ? "published" : "updated")
                    + "> is not an ISO-8601 date");
        }
        Element author = child(entry, "author", ATOM_NS);
        if (author == null) {
            author = feedAuthor;
        }
        String authorName = author == null ? null : text(child(author, "name", ATOM_NS));
        String authorUri = author == null ? null : text(child(author, "uri", ATOM_NS));
        String entryLang = attribute(entry, XMLConstants.XML_NS_URI, "lang");
        return mention(nativeId, link, title, content == null ? "" : atomText(content),
                entryLang != null ? entryLang : lang, createdAt, authorName, authorUri);
    }

    private static Mention mention(String nativeId, String url, String title, String body, String lang,
                                   Instant createdAt, String author, String authorUrl) {
        String heading = title == null ? "" : title.strip();
        String text = heading.isEmpty() ? body : body.isEmpty() ? heading : heading + "\n\n" + body;
        MentionKind kind = heading.regionMatches(true, 0, "Re:", 0, 3) ? MentionKind.REPLY : MentionKind.POST;
        Mention.Author who = author == null ? null : new Mention.Author(author, null, author, null, null, authorUrl);
        return Mention.v1(CHANNEL, nativeId).url(url).kind(kind).text(text).lang(lang).createdAt(createdAt).author(who)
                .build();
    }

    /** Atom text constructs: type text (default) as is, html via {@link HtmlText}, xhtml by its markup. */
    private static String atomText(Element element) {
        String type = attribute(element, null, "type");
        if ("xhtml".equals(type)) {
            StringBuilder markup = new StringBuilder();
            NodeList nodes = element.getChildNodes();
            for (int i = 0; i < nodes.getLength(); i++) {
                markup.append(nodes.item(i) instanceof Element e ? serialize(e) : nodes.item(i).getTextContent());
            }
            return HtmlText.toPlainText(markup.toString());
        }
        String value = element.getTextContent();
        if ("html".equals(type) || type != null && type.toLowerCase(Locale.ROOT).contains("html")) {
            return HtmlText.toPlainText(value);
        }
        return value == null ? "" : value.strip();
    }

    /** "jane@example.com (Jane Doe)" → "Jane Doe"; anything else as given. */
    private static String nameOfRssAuthor(String author) {
        if (author == null) {
            return null;
        }
        int open = author.indexOf('(');
        int close = author.lastIndexOf(')');
        if (open >= 0 && close > open + 1) {
            return author.substring(open + 1, close).strip();
        }
        return author;
    }

    // ---- XML ---------------------------------------------------------------------------------

    private static Document parse(String payload) {
        if (payload == null || payload.isBlank()) {
            throw new InvalidMentionException("empty payload: expected an RSS or Atom document");
        }
        String xml = payload.startsWith("\uFEFF") ? payload.substring(1) : payload;
        try {
            DocumentBuilder builder = secureFactory().newDocumentBuilder();
            builder.setErrorHandler(new ErrorHandler() {
                @Override
                public void warning(SAXParseException e) {
                }

                @Override
                public void error(SAXParseException e) throws SAXException {
                    throw e;
                }

                @Override
                public void fatalError(SAXParseException e) throws SAXException {
                    throw e;
                }
            });
            // No resolver may fetch anything, whatever a future parser setting allows.
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("external entities are not allowed");
            });
            return builder.parse(new InputSource(new StringReader(xml)));
        } catch (SAXParseException e) {
            String message = e.getMessage() != null && e.getMessage().contains("DOCTYPE")
                    ? "DOCTYPE declarations are not allowed (no DTDs, no entities)" : e.getMessage();
            throw new InvalidMentionException("malformed XML at line " + e.getLineNumber() + ", column "
                    + e.getColumnNumber() + ": " + message, e);
        } catch (SAXException e) {
            throw new InvalidMentionException("malformed XML: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK XML parser cannot be secured", e);
        }
    }

    static DocumentBuilderFactory secureFactory() throws ParserConfigurationException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setCoalescing(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
        factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
        factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        factory.setXIncludeAware(false);
        factory.setExpandEntityReferences(false);
        return factory;
    }

    /** The item as XML text, for the DLQ. */
    static String serialize(Element element) {
        try {
            TransformerFactory factory = TransformerFactory.newInstance();
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_STYLESHEET, "");
            Transformer transformer = factory.newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(element), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            return "<" + element.getNodeName() + "/>";
        }
    }

    private static String ns(Node node) {
        return node.getNamespaceURI() == null ? "" : node.getNamespaceURI();
    }

    private static Element child(Element parent, String localName, Set<String> namespaces) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName()) && namespaces.contains(ns(e))) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String localName, Set<String> namespaces) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && localName.equals(e.getLocalName()) && namespaces.contains(ns(e))) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element element) {
        if (element == null) {
            return null;
        }
        String value = element.getTextContent();
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static String attribute(Element element, String namespace, String name) {
        String value = namespace == null ? element.getAttribute(name) : element.getAttributeNS(namespace, name);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
