package io.hearth.identity;

import java.util.List;

import io.hearth.crm.CrmCommand;
import io.hearth.mention.Mention;

/**
 * Identity steps the enrich stage runs before it looks the author up in the contact directory: verified linking (a
 * mention carrying a one-time code links its author, so that same mention already enriches the contact) and the
 * suppression list of erased authors (their mentions are never linked to anyone).
 */
public interface IdentityHooks {

    /** Commands for a link this mention completes (Social_Identity__c upsert); the local directory is updated too. */
    default List<CrmCommand> link(Mention mention) {
        return List.of();
    }

    /** True when the author asked to be forgotten: the mention is treated as an unknown author's, and not kept. */
    default boolean suppressed(Mention mention) {
        return false;
    }

    /**
     * The enrich stage's batch transaction the following mentions are processed in (null: none), so that a hook can
     * take part in its commit (the privacy fence: an author erased while the batch was open).
     */
    default void joinBatch(io.hearth.queue.BatchTransaction tx) {
    }

    IdentityHooks NONE = new IdentityHooks() {
    };

    /** Several hooks as one (every bean of this type, in order): links from all, suppressed when any says so. */
    static IdentityHooks all(List<IdentityHooks> hooks) {
        List<IdentityHooks> copy = List.copyOf(hooks);
        return new IdentityHooks() {
            @Override
            public List<CrmCommand> link(Mention mention) {
                List<CrmCommand> out = new java.util.ArrayList<>();
                copy.forEach(h -> out.addAll(h.link(mention)));
                return out;
            }

            @Override
            public boolean suppressed(Mention mention) {
                return copy.stream().anyMatch(h -> h.suppressed(mention));
            }

            @Override
            public void joinBatch(io.hearth.queue.BatchTransaction tx) {
                copy.forEach(h -> h.joinBatch(tx));
            }
        };
    }
}
