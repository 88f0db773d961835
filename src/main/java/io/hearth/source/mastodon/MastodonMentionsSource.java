package io.hearth.source.mastodon;

import io.hearth.source.SourceSupport;
import org.springframework.stereotype.Component;

/**
 * The brand account's mention notifications {@code GET /api/v1/notifications?types[]=mention}
 * (route {@code source-mastodon-notifications}, settings {@code hearth.sources.mastodon-notifications}):
 * posts that mention the brand's account, also from people who do not use the campaign hashtag,
 * and followers-only / direct mentions the hashtag timeline never shows. Needs the account's token
 * (scope {@code read:notifications}). Its own checkpoint (notification ids, not status ids), apart
 * from the hashtag timeline's; a post found by both sources is one mention ({@code mastodon:<status id>},
 * dedup drops the second). Paging, checkpoint and rate limits: {@link MastodonPagedSource}.
 */
@Component("mastodonMentions")
public class MastodonMentionsSource extends MastodonPagedSource {

    public static final String SOURCE = "mastodon-notifications";

    private final MastodonNotificationsSettings settings;

    public MastodonMentionsSource(MastodonNotificationsSettings settings, SourceSupport support) {
        super(SOURCE, settings, support);
        this.settings = settings;
    }

    @Override
    public String url() {
        return settings.baseUrl() + "/api/v1/notifications";
    }

    /** Only mentions: favourites, boosts and follows of the brand's account are not mentions (and cost page space). */
    @Override
    protected String filter() {
        return "types%5B%5D=mention&";
    }
}
