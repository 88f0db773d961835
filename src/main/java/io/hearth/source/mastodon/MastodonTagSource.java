package io.hearth.source.mastodon;

import io.hearth.source.SourceSupport;
import org.springframework.stereotype.Component;

/**
 * Mastodon hashtag timeline {@code GET /api/v1/timelines/tag/:hashtag} (route
 * {@code source-mastodon}, settings {@code hearth.sources.mastodon}). Paging, checkpoint and rate
 * limits: {@link MastodonPagedSource}. The token is optional (public tag timelines).
 */
@Component("mastodonTag")
public class MastodonTagSource extends MastodonPagedSource {

    private final MastodonSettings settings;

    public MastodonTagSource(MastodonSettings settings, SourceSupport support) {
        super("mastodon", settings, support);
        this.settings = settings;
    }

    @Override
    public String url() {
        return settings.baseUrl() + "/api/v1/timelines/tag/" + text(settings.hashtag());
    }
}
