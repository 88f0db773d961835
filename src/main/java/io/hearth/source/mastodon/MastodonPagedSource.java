package io.hearth.source.mastodon;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.channel.mastodon.MastodonStatusMapper;
import io.hearth.source.PollingSettings;
import io.hearth.source.PollingSource;
import io.hearth.source.SourceSupport;
import org.apache.camel.Message;

/**
 * What Mastodon's paged lists (timelines, notifications) share. Checkpoint: {@code minId}, the
 * newest item id already read. With {@code min_id} Mastodon answers the page just above it, so a
 * full page means more are waiting: the next page starts at the {@code min_id} of the
 * {@code Link: …; rel="prev"} header. A first poll without checkpoint takes the latest page only
 * (no backfill). Rate limits from {@code x-ratelimit-remaining} and {@code x-ratelimit-reset} (an
 * ISO timestamp). The pages go to the {@code mastodon} mapper whatever the source.
 */
public abstract class MastodonPagedSource extends PollingSource<MastodonPagedSource.Checkpoint> {

    private static final Pattern PREV_MIN_ID = Pattern.compile("<[^>]*[?&]min_id=([0-9A-Za-z]+)[^>]*>\\s*;\\s*rel=\"prev\"");

    public record Checkpoint(String minId) {
    }

    /** What both Mastodon sources' settings have. */
    public interface Settings extends PollingSettings {
        String baseUrl();

        String accessToken();

        int limit();
    }

    private final Settings settings;

    protected MastodonPagedSource(String source, Settings settings, SourceSupport support) {
        super(source, Checkpoint.class, new Checkpoint(null), settings, support);
        this.settings = settings;
    }

    /** Query parameters besides {@code limit} and {@code min_id} (already URL-encoded, with a trailing {@code &}), or "". */
    protected String filter() {
        return "";
    }

    @Override
    protected String channel() {
        return MastodonStatusMapper.CHANNEL;
    }

    @Override
    protected Map<String, String> requestHeaders() {
        String token = text(settings.accessToken());
        return token.isBlank() ? Map.of() : Map.of("Authorization", "Bearer " + token);
    }

    @Override
    protected String query(Checkpoint checkpoint) {
        return filter() + "limit=" + limit() + (checkpoint.minId() == null ? "" : "&min_id=" + checkpoint.minId());
    }

    @Override
    protected Page<Checkpoint> onPage(Checkpoint current, String body, Message response) throws Exception {
        JsonNode items = support.json().readTree(body);
        int count = items.isArray() ? items.size() : 0;
        if (count == 0) {
            return new Page<>(current, false, 0);
        }
        String newest = prevMinId(response.getHeader("Link", String.class));
        if (newest == null) {
            newest = current.minId();
            for (JsonNode item : items) {
                newest = newer(newest, item.path("id").asText(null));
            }
        }
        // Without a checkpoint this was the latest page: start from here, no backfill.
        boolean more = current.minId() != null && count >= limit();
        return new Page<>(new Checkpoint(newest), more, count);
    }

    @Override
    protected Instant rateLimitReset(Message response) {
        String reset = response.getHeader("x-ratelimit-reset", String.class);
        try {
            return reset == null ? null : Instant.parse(reset.strip());
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    @Override
    protected boolean rateLimitExhausted(Message response) {
        return "0".equals(response.getHeader("x-ratelimit-remaining", String.class));
    }

    private int limit() {
        return settings.limit();
    }

    static String prevMinId(String link) {
        if (link == null) {
            return null;
        }
        Matcher m = PREV_MIN_ID.matcher(link);
        return m.find() ? m.group(1) : null;
    }

    /** Mastodon ids are numeric strings (snowflakes): longer is newer, then lexicographic. */
    static String newer(String a, String b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        if (a.length() != b.length()) {
            return a.length() > b.length() ? a : b;
        }
        return a.compareTo(b) >= 0 ? a : b;
    }
}
