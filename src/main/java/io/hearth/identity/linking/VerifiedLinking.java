package io.hearth.identity.linking;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.hearth.crm.CrmCommand;
import io.hearth.crm.CrmMapping;
import io.hearth.identity.AuthorKeys;
import io.hearth.identity.IdentityHooks;
import io.hearth.identity.ContactDirectory;
import io.hearth.identity.DirectoryStore;
import io.hearth.identity.HandleNormaliser;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionKind;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verified linking in the enrich stage: a mention whose text carries a valid code links its author (channel + handle)
 * to the code's contact. The identity goes into the local directory at once (so this very mention is matched) and
 * to the CRM as a verified {@code Social_Identity__c} upsert by {@code channel:normalised-handle}.
 * <p>
 * Nothing links: without a code (a loyalty number in a post proves nothing), with an unknown, expired, used or
 * other-channel code, or a code issued for another handle (each counts as a wrong code of that author; a code bound to a
 * handle stays usable by that handle), for an author with {@code max-wrong-codes} wrong
 * codes within the lock-out window (even the right code), and for reposts (the text is someone else's).
 * A redelivered mention that already linked links again (same command: the upsert is idempotent).
 */
public class VerifiedLinking implements IdentityHooks {

    private static final Logger LOG = LoggerFactory.getLogger(VerifiedLinking.class);
    private static final String PLACEHOLDER_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789";

    private final LinkingSettings settings;
    private final LinkStore store;
    private final DirectoryStore directory;
    private final CrmMapping mapping;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public VerifiedLinking(LinkingSettings settings, LinkStore store, DirectoryStore directory, CrmMapping mapping,
                           Clock clock) {
        this.settings = settings;
        this.store = store;
        this.directory = directory;
        this.mapping = mapping;
        this.clock = clock;
    }

    @Override
    public List<CrmCommand> link(Mention mention) {
        if (!settings.enabled() || mention.author() == null || mention.kind() == MentionKind.REPOST
                || mention.repostOf() != null) {
            return List.of();
        }
        List<String> codes = LinkCodes.find(mention.text());
        String handle = HandleNormaliser.normalise(mention.channel(), mention.author().handle());
        if (codes.isEmpty() || handle == null) {
            return List.of();
        }
        String channel = HandleNormaliser.channel(mention.channel());
        String authorKey = AuthorKeys.of(channel, handle);
        String who = AuthorKeys.shortOf(channel, handle);
        Instant now = clock.instant();
        for (String code : codes) {
            Optional<LinkStore.Code> done = store.find(LinkCodes.hash(code))
                    .filter(c -> mention.id().equals(c.usedByMention()) && authorKey.equals(c.usedAuthorKey()));
            if (done.isPresent()) {
                // This mention linked before (redelivery after a rollback): the same result again.
                return List.of(linked(done.get(), channel, handle, now));
            }
        }
        int failures = store.failuresSince(authorKey, now.minus(settings.lockoutWindow()));
        if (failures >= settings.maxWrongCodes()) {
            LOG.info("Linking: author {} on {} is locked out ({} wrong codes within {}); code ignored", who, channel,
                    failures, settings.lockoutWindow());
            return List.of();
        }
        for (String code : codes) {
            String hash = LinkCodes.hash(code);
            Optional<LinkStore.Code> found = store.find(hash);
            String problem = found.isPresent() ? problem(found.get(), channel, authorKey, now) : "unknown";
            if (problem == null && store.use(hash, now, mention.id(), authorKey)) {
                LinkStore.Code c = found.get();
                LOG.info("Linking: author {} on {} linked to contact {} by a code", who, channel, c.contactId());
                return List.of(linked(c, channel, handle, now));
            }
            LOG.info("Linking: author {} on {} posted a wrong code ({})", who, channel, problem == null ? "used" : problem);
        }
        store.recordFailure(authorKey, now, mention.id());
        return List.of();
    }

    /** Why a stored code does not link now; null when it does. */
    private static String problem(LinkStore.Code c, String channel, String authorKey, Instant now) {
        if (c.usedAt() != null) {
            return "used";
        }
        if (!now.isBefore(c.expiresAt())) {
            return "expired";
        }
        if (!c.channel().equals(channel)) {
            return "other channel";
        }
        if (c.boundAuthorKey() != null && !c.boundAuthorKey().equals(authorKey)) {
            return "issued for another handle";   // not used up: the named handle may still post it
        }
        return null;
    }

    private CrmCommand linked(LinkStore.Code c, String channel, String handle, Instant now) {
        String externalId = channel + ":" + handle;
        Boolean consent = store.directoryConsent(c.contactId()).orElse(c.consent());
        directory.insertLinked(new ContactDirectory.Entry(placeholderId(), channel, handle, handle, externalId,
                c.contactId(), true, consent, now));
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("Contact__c", c.contactId());
        f.put("Channel__c", channel);
        f.put("Handle__c", handle);
        f.put("Verified__c", true);
        return mapping.upsert("Social_Identity__c", "External_Id__c", externalId, f);
    }

    /** A local identity id until the sync brings the CRM's: {@code hub-} and 14 random characters (18 in all). */
    private String placeholderId() {
        StringBuilder id = new StringBuilder("hub-");
        for (int i = 0; i < 14; i++) {
            id.append(PLACEHOLDER_CHARS.charAt(random.nextInt(PLACEHOLDER_CHARS.length())));
        }
        return id.toString();
    }
}
