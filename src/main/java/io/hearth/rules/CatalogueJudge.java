package io.hearth.rules;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

import io.hearth.enrich.MentionLog;

/** The catalogue item a reward gives: the one granted before under its key, else chosen by the contact's interests. */
final class CatalogueJudge {

    /** Days of posts the interest profile for catalogue choices covers (as the Contact's Social_Interests__c). */
    static final int INTEREST_DAYS = 90;
    static final int INTEREST_TOP = 10;

    private final CatalogueStore catalogue;
    private final MentionLog log;

    CatalogueJudge(CatalogueStore catalogue, MentionLog log) {
        this.catalogue = catalogue;
        this.log = log;
    }

    /** The reward's catalogue item: granted before under this key, else chosen by the contact's interests and claimed. */
    Optional<CatalogueStore.Grant> item(Rules rules, Rules.Reward reward, String key, String contact, LocalDate day,
                                        Instant now) {
        Optional<CatalogueStore.Grant> before = catalogue.grant(key);
        if (before.isPresent()) {
            return before;
        }
        List<String> interests = log.topInterests(contact, now.minus(Duration.ofDays(INTEREST_DAYS)), INTEREST_TOP);
        List<CatalogueChooser.Choice> choices = CatalogueChooser.rank(rules.catalogue(), reward.item(), interests, day,
                catalogue::taken, item -> catalogue.held(contact, item));
        return catalogue.claim(key, contact, choices, day, now);
    }
}
