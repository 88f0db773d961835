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

    public MastodonTagSource(SourceSupport support) {
        super("mastodon", support);
    }
}
