package io.hearth.source.forum;

import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.hearth.channel.ChannelRegistry;
import io.hearth.channel.MappedPayload;
import io.hearth.config.HearthConfigurationException;
import io.hearth.mention.InvalidMentionException;
import io.hearth.source.PollingSource;
import io.hearth.source.SourceSupport;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * RSS/Atom feeds of forums (route {@code source-forum}): one source, one route, every feed of
 * {@code hearth.sources.forum.feeds} (comma-separated URLs) fetched in turn, one request per feed and
 * poll. Conditional GET: each feed's {@code ETag} and {@code Last-Modified} are kept in the checkpoint
 * and sent back as {@code If-None-Match} / {@code If-Modified-Since}; a 304 means nothing new. A 200
 * hands the whole feed document to the ingest (mapper {@code forum}); dedup drops the items already
 * seen. Checkpoint: the validators per feed URL and {@code next}, the feed the poll is at, so a
 * rate-limit wait resumes with that feed. A feed that fails (HTTP error, unreadable XML) keeps its
 * validators (it is fetched in full next time) and does not hold up the others.
 */
@Component("forumFeeds")
public class ForumFeedSource extends PollingSource<ForumFeedSource.Checkpoint> {

    /** Exchange property: the URL (without query) of the feed the next request is for; the route's toD uses it. */
    public static final String FEED_URL_PROPERTY = "HearthFeedUrl";

    private static final Logger LOG = LoggerFactory.getLogger(ForumFeedSource.class);
    private static final Pattern XML_ENCODING = Pattern.compile("^\\s*<\\?xml[^>]*encoding\\s*=\\s*[\"']([A-Za-z0-9._-]+)[\"']");
    private static final Pattern CHARSET_PARAM = Pattern.compile("(?i)charset\\s*=\\s*\"?([A-Za-z0-9._-]+)");

    /** A feed's cache validators, and why its last fetch failed (null when it did not). */
    public record FeedState(String etag, String lastModified, String error) {
        FeedState failed(String reason) {
            return new FeedState(etag, lastModified, reason);
        }
    }

    public record Checkpoint(Map<String, FeedState> feeds, int next) {
        public Checkpoint {
            feeds = feeds == null ? Map.of() : Map.copyOf(feeds);
        }

        FeedState state(String feed) {
            return feeds.getOrDefault(feed, new FeedState(null, null, null));
        }
    }

    private final ChannelRegistry channels;
    private final List<String> feeds;
    /** Why the feed just fetched could not be read; set by onPage, reported by onResponse (one poll at a time). */
    private volatile String feedError;

    public ForumFeedSource(ForumSettings settings, SourceSupport support, ChannelRegistry channels) {
        super("forum", Checkpoint.class, new Checkpoint(Map.of(), 0), settings, support);
        this.channels = channels;
        this.feeds = Arrays.stream(text(settings.feeds()).split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
        for (String feed : feeds) {
            URI uri;
            try {
                uri = URI.create(feed);
            } catch (IllegalArgumentException e) {
                throw new HearthConfigurationException("hearth.sources.forum.feeds", "'" + feed + "' is not a URL");
            }
            if (enabled() && (uri.getScheme() == null || !uri.getScheme().matches("https?") || uri.getHost() == null)) {
                throw new HearthConfigurationException("hearth.sources.forum.feeds", "'" + feed + "' is not an http(s) URL");
            }
        }
    }

    /** The feed of this request, set by {@link #prepareRequest} (each request of a poll asks another feed). */
    @Override
    public String url() {
        return "${exchangeProperty." + FEED_URL_PROPERTY + "}";
    }

    @Override
    public void prepareRequest(Exchange exchange) {
        super.prepareRequest(exchange);
        URI feed = URI.create(feedAt(poll(exchange).checkpoint()));
        exchange.setProperty(FEED_URL_PROPERTY, feed.getScheme() + "://" + feed.getRawAuthority()
                + (feed.getRawPath() == null || feed.getRawPath().isEmpty() ? "/" : feed.getRawPath()));
    }

    @Override
    protected String query(Checkpoint checkpoint) {
        return URI.create(feedAt(checkpoint)).getRawQuery();
    }

    @Override
    protected Map<String, String> requestHeaders(Checkpoint checkpoint) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Accept", "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.1");
        FeedState state = checkpoint.state(feedAt(checkpoint));
        if (state.etag() != null) {
            headers.put("If-None-Match", state.etag());
        }
        if (state.lastModified() != null) {
            headers.put("If-Modified-Since", state.lastModified());
        }
        return headers;
    }

    @Override
    public void onResponse(Exchange exchange) throws Exception {
        Message message = exchange.getMessage();
        int code = message.getHeader(Exchange.HTTP_RESPONSE_CODE, 0, Integer.class);
        Checkpoint checkpoint = poll(exchange).checkpoint();
        String feed = feedAt(checkpoint);
        if (code == 200) {
            decodeBody(message);
        }
        if (code == 200 || code == 304 || isRateLimited(code, null)) {
            feedError = null;
            super.onResponse(exchange);
            if (feedError != null) {
                support.status().failed(source, "feed " + feed + ": " + feedError);
                LOG.warn("Source forum: feed {}: {}", feed, feedError);
            }
            reportFailingFeeds(poll(exchange).checkpoint());
            return;
        }
        // One feed failing must not hold up the others: record it, go on with the next one at the next poll.
        stopPoll(exchange);
        String error = "HTTP " + code;
        if (code == 401 || code == 403) {
            Instant until = support.clock().instant().plus(authFailurePause());
            support.status().down(source, until, "feed " + feed + ": HTTP " + code + " (access refused); retrying at " + until);
        } else {
            support.status().failed(source, "feed " + feed + ": HTTP " + code + "; retrying at the next poll");
        }
        support.checkpoints().save(source, support.json().writeValueAsString(advance(checkpoint, checkpoint.state(feed).failed(error))));
        LOG.warn("Source forum: feed {}: HTTP {}", feed, code);
    }

    /**
     * Keeps the feeds whose last fetch failed visible in health (reason) after other feeds succeeded,
     * until they recover; a wait or DOWN keeps its own reason. Not counted again as errors.
     */
    private void reportFailingFeeds(Checkpoint checkpoint) {
        List<String> failing = feeds.stream().filter(f -> checkpoint.state(f).error() != null)
                .map(f -> f + ": " + checkpoint.state(f).error()).toList();
        var state = support.status().of(source);
        if (failing.isEmpty() || state.down() || state.pausedUntil() != null) {
            return;
        }
        support.status().waitUntil(source, null, "feed(s) failing, retried at every poll: " + String.join("; ", failing));
    }

    @Override
    protected Page<Checkpoint> onPage(Checkpoint current, String body, Message response) {
        String feed = feedAt(current);
        int items;
        try {
            MappedPayload mapped = channels.normalise(channel(), body);
            items = mapped.mentions().size() + mapped.rejections().size();
        } catch (InvalidMentionException e) {
            // Unreadable (truncated, not a feed): keep the old validators; the changed feed comes in full next time.
            feedError = "unreadable (" + e.getMessage() + ")";
            return page(current, current.state(feed).failed(feedError), 0);
        }
        return page(current, new FeedState(response.getHeader("ETag", String.class), response.getHeader("Last-Modified", String.class), null), items);
    }

    @Override
    protected Page<Checkpoint> onNotModified(Checkpoint current, Message response) {
        return page(current, current.state(feedAt(current)).failed(null), 0);
    }

    /** Retry-After (seconds or an HTTP date) of a 429/503. */
    @Override
    protected Instant rateLimitReset(Message response) {
        String retryAfter = response.getHeader("Retry-After", String.class);
        if (retryAfter == null) {
            return null;
        }
        try {
            return support.clock().instant().plusSeconds(Long.parseLong(retryAfter.strip()));
        } catch (NumberFormatException e) {
            try {
                return ZonedDateTime.parse(retryAfter.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            } catch (RuntimeException notADate) {
                return null;
            }
        }
    }

    @Override
    protected String channel() {
        return "forum";
    }

    private Page<Checkpoint> page(Checkpoint current, FeedState state, int items) {
        Checkpoint next = advance(current, state);
        return new Page<>(next, next.next() != 0, items);
    }

    /** The checkpoint after the current feed: its new state, and the next feed (0 after the last). */
    private Checkpoint advance(Checkpoint current, FeedState state) {
        int index = index(current);
        Map<String, FeedState> states = new LinkedHashMap<>();
        for (String feed : feeds) {
            FeedState known = current.feeds().get(feed);
            if (known != null) {
                states.put(feed, known);
            }
        }
        states.put(feeds.get(index), state);
        return new Checkpoint(states, index + 1 < feeds.size() ? index + 1 : 0);
    }

    private int index(Checkpoint checkpoint) {
        return checkpoint.next() >= 0 && checkpoint.next() < feeds.size() ? checkpoint.next() : 0;
    }

    private String feedAt(Checkpoint checkpoint) {
        if (feeds.isEmpty()) {
            throw new HearthConfigurationException("hearth.sources.forum.feeds", "no feed URL configured");
        }
        return feeds.get(index(checkpoint));
    }

    /** The feed as text: the charset of Content-Type, else of the XML declaration, else UTF-8. */
    static void decodeBody(Message message) {
        byte[] bytes = message.getBody(byte[].class);
        if (bytes == null) {
            return;
        }
        Charset charset = null;
        String contentType = message.getHeader(Exchange.CONTENT_TYPE, String.class);
        Matcher param = contentType == null ? null : CHARSET_PARAM.matcher(contentType);
        if (param != null && param.find()) {
            charset = charset(param.group(1));
        }
        if (charset == null) {
            Matcher declared = XML_ENCODING.matcher(new String(bytes, 0, Math.min(bytes.length, 200), StandardCharsets.ISO_8859_1));
            if (declared.find()) {
                charset = charset(declared.group(1));
            }
        }
        String text = new String(bytes, charset == null ? StandardCharsets.UTF_8 : charset);
        message.setBody(text.startsWith("\uFEFF") ? text.substring(1) : text);
    }

    private static Charset charset(String name) {
        try {
            return Charset.forName(name);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
