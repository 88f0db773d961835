package io.hearth.rules;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.hearth.crm.CrmCommand;
import io.hearth.crm.CrmMapping;

/**
 * The CRM side of the ledger: a {@code Social_Reward__c} upsert per ledger row (with its reason and catalogue item),
 * the Contact's {@code Social_Points__c} as the ledger's total, and the reason recorded once per row.
 */
final class RewardRecords {

    private final RulesStore store;
    private final CrmMapping mapping;
    /** null: no reasons or items (older wiring in tests). */
    private final CatalogueStore catalogue;

    RewardRecords(RulesStore store, CrmMapping mapping, CatalogueStore catalogue) {
        this.store = store;
        this.mapping = mapping;
        this.catalogue = catalogue;
    }

    CrmCommand record(RulesStore.Reward r) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("Contact__c", r.contactId());
        f.put("Rule__c", r.rule());
        f.put("Points__c", r.points());
        f.put("Badge__c", r.badge());
        f.put("Reach__c", r.reach());
        if (r.mentionId() != null) {
            Map<String, Object> parent = new LinkedHashMap<>();
            parent.put(mapping.name("External_Id__c"), r.mentionId());
            f.put(JudgeSupport.relationship(mapping.name("Mention__c")), parent);
        }
        f.put("Awarded_At__c", r.awardedAt().toString());
        if (catalogue != null) {
            catalogue.reason(r.key()).ifPresent(why -> f.put("Reason__c", why.reason()));
            catalogue.grant(r.key()).ifPresent(g -> {
                f.put("Item__c", g.itemKey());
                f.put("Item_Reason__c", g.reason());
            });
        }
        return mapping.upsert("Social_Reward__c", "External_Id__c", r.key(), f);
    }

    /** The contact's points as the ledger's total. */
    CrmCommand points(String contactId) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("Social_Points__c", store.total(contactId));
        return mapping.update("Contact", contactId, f);
    }

    /** Records the rule key and reason of a record once (insert-once by its key); replays send the recorded one. */
    void explain(String recordKey, String contact, String ruleKey, String reason, Instant now) {
        if (catalogue != null) {
            catalogue.reasonOnce(recordKey, contact, ruleKey, reason, now);
        }
    }

    /**
     * Grants the row (insert-once), records its reason (read after the grant) and returns the row as stored: the first
     * writer's when another consumer granted the same key.
     */
    RulesStore.Reward grant(RulesStore.Reward row, Supplier<String> reason, Instant now) {
        return grant(row, reason, now, null);
    }

    /**
     * The same; {@code onAdded} (may be null) gets the reason when this call added the row (not another consumer, not
     * before): what a new grant sets off (reward triggers). A rules backfill counts the rows it adds.
     */
    RulesStore.Reward grant(RulesStore.Reward row, Supplier<String> reason, Instant now,
                            java.util.function.Consumer<String> onAdded) {
        boolean added = store.grant(row);
        String why = reason.get();
        explain(row.key(), row.contactId(), row.rule(), why, now);
        if (added) {
            io.hearth.enrich.Rejudging.Scope.rewardAdded();
            if (onAdded != null) {
                onAdded.accept(why);
            }
        }
        return store.reward(row.key()).orElse(row);
    }
}
