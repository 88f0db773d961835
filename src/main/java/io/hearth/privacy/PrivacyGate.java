package io.hearth.privacy;

import io.hearth.crm.CrmCommand;
import io.hearth.crm.CrmCommandGate;
import io.hearth.crm.CrmMapping;
import io.hearth.enrich.AuthorKeys;
import io.hearth.enrich.IdentityHooks;
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

    public PrivacyGate(PrivacyStore store, CrmMapping mapping) {
        this.store = store;
        this.mapping = mapping;
    }

    @Override
    public boolean suppressed(Mention mention) {
        String handle = mention.author() == null ? null : mention.author().handle();
        return store.isDeletedPost(mention.id()) || store.isSuppressedAuthor(AuthorKeys.of(mention.channel(), handle));
    }

    @Override
    public boolean drops(CrmCommand c) {
        if (c.op() == CrmCommand.Op.update && c.object().equals(mapping.name("Contact")) && store.isErasedContact(c.id())) {
            return true;
        }
        if (c.fields().get(mapping.name("Contact__c")) instanceof String contact && store.isErasedContact(contact)) {
            return true;
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
