package io.hearth.enrich;

import java.time.Instant;

import io.hearth.identity.ContactDirectory;
import io.hearth.mention.Mention;
import io.hearth.scoring.Scores;

/**
 * A mention as the enrich stage hands it to the {@link MentionJudge}s: scored ({@code mention} has sentiment, intent,
 * influence and, when matched, {@code match} set), with the directory's identity of its author (null: unknown) and
 * whether the judges see it for the first time ({@code false} once they have finished with it, i.e. on a redelivery or
 * replay after that: judges must then produce the same commands again, or none, never new grants; a mention recorded
 * but not judged before a crash is first seen again).
 */
public record JudgedMention(Mention mention, Scores scores, ContactDirectory.Entry identity, boolean firstSeen,
                            Instant now) {

    public boolean known() {
        return identity != null;
    }

    /** Known and the contact said yes to social enrichment: the gate for enrichment, rewards and advocate flags. */
    public boolean consented() {
        return identity != null && identity.consented();
    }

    public String contactId() {
        return identity == null ? null : identity.contactId();
    }

    /** The Social_Mention__c external id of this mention (= the mention id). */
    public String mentionExternalId() {
        return mention.id();
    }
}
