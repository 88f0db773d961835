package io.hearth.privacy;

import io.hearth.crm.CrmCommand;
import io.hearth.crm.CrmCommandGate;
import io.hearth.crm.CrmMapping;
import io.hearth.identity.AuthorKeys;
import io.hearth.identity.IdentityHooks;
import io.hearth.mention.Mention;
import org.springframework.stereotype.Component;

/**
 * Keeps erased people and deleted posts out of the pipeline's output.
 * <ul>
 * <li>Enrich stage ({@link IdentityHooks#suppressed}): a mention by a suppressed author, or a deleted post, is never
 * linked to a contact and its handle and text are not kept.</li>
 * <li>CRM writer ({@link CrmCommandGate}): commands already queued on crm.outbound when the erasure ran are dropped on
 * consumption: anything on an erased contact (Contact update, records whose Contact__c is the contact), identities
 * and mentions of suppressed handles, and the Social_Mention__c of a deleted post.</li>
 * </ul>
 */
@Component
public class PrivacyGate implements IdentityHooks, CrmCommandGate {

    private final PrivacyStore store;
    private final CrmMapping mapping;
    /** The consumer thread's open fence (see {@link PrivacyFence}), if its batch has one. */
    private final ThreadLocal<PrivacyFence> fence = new ThreadLocal<>();

    public PrivacyGate(PrivacyStore store, CrmMapping mapping) {
        this.store = store;
        this.mapping = mapping;
    }

    @Override
    public boolean suppressed(Mention mention) {
        String handle = mention.author() == null ? null : mention.author().handle();
        String authorKey = AuthorKeys.of(mention.channel(), handle);
        boolean suppressed = store.isDeletedPost(mention.id()) || store.isSuppressedAuthor(authorKey);
        PrivacyFence open = fence.get();
        if (!suppressed && open != null) {
            open.admitted(authorKey, mention.id());
        }
        return suppressed;
    }

    /** Enlists the privacy fence in the enrich stage's batch (after the mention log: its check runs after the commit). */
    @Override
    public void joinBatch(io.hearth.queue.BatchTransaction tx) {
        if (tx == null) {
            return;
        }
        tx.participant(PrivacyFence.class, () -> {
            PrivacyFence f = new PrivacyFence(store, () -> fence.remove());
            fence.set(f);
            return f;
        });
    }

    /**
     * Every object the hub writes is checked (docs/crm-commands.md): Contact updates by id; any record that points at an
     * erased contact ({@code Contact__c} on the custom objects, {@code ContactId} on Case); Case upserts of an erased
     * person's case (by its {@code Social_Conversation_Id__c}, as unknown authors' cases carry no contact);
     * Social_Mention__c upserts of a deleted post or by a suppressed handle; Social_Identity__c upserts of a suppressed
     * handle.
     */
    @Override
    public boolean drops(CrmCommand c) {
        if (c.op() == CrmCommand.Op.update && c.object().equals(mapping.name("Contact")) && store.isErasedContact(c.id())) {
            return true;
        }
        for (String field : new String[] {mapping.name("Contact__c"), mapping.name("ContactId")}) {
            if (c.fields().get(field) instanceof String contact && store.isErasedContact(contact)) {
                return true;
            }
        }
        if (c.object().equals(mapping.name("Case"))) {
            return c.op() == CrmCommand.Op.upsert && store.isErasedCase(c.externalId());
        }
        if (c.object().equals(mapping.name("Social_Mention__c"))) {
            if (c.op() == CrmCommand.Op.upsert && store.isDeletedPost(c.externalId())) {
                return true;
            }
            Object channel = c.fields().get(mapping.name("Channel__c"));
            Object handle = c.fields().get(mapping.name("Author_Handle__c"));
            if (channel instanceof String ch && handle instanceof String h && store.isSuppressedAuthor(AuthorKeys.of(ch, h))) {
                return true;
            }
        }
        if (c.object().equals(mapping.name("Social_Identity__c")) && c.op() == CrmCommand.Op.upsert
                && c.externalId() != null && c.externalId().indexOf(':') > 0) {
            int colon = c.externalId().indexOf(':');
            return store.isSuppressedAuthor(AuthorKeys.of(c.externalId().substring(0, colon),
                    c.externalId().substring(colon + 1)));
        }
        return false;
    }
}
