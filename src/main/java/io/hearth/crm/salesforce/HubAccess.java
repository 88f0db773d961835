package io.hearth.crm.salesforce;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the hub reads and writes in Salesforce, by object and field (default API names; see {@link PermissionSetGenerator},
 * which turns this into the permission set {@code Hearth_Integration}). Keep it in step with the code: the whole-hub CRM
 * tests run against a sandbox that enforces exactly the generated permission set, so a field written here but not
 * declared fails them.
 * <ul>
 * <li>Contact: read (directory sync: consent; linking: loyalty number) and edit the social aggregates and advocate fields
 * (enrichment, rules, erasure clears them). Never created or deleted by the hub.</li>
 * <li>Case: read, create and edit (one case per conversation, upserted by Social_Conversation_Id__c; updated as posts
 * follow). Never deleted.</li>
 * <li>The three custom objects: the hub's own data: full access, every field, and View All / Modify All because erasure
 * must delete (and purge from the Recycle Bin) records other users own or created.</li>
 * <li>Hearth_Reward__e (platform event, reward triggers): create (publish) and read, no field permissions (events have
 * no field-level security).</li>
 * <li>System permissions: API Enabled; View Setup and Configuration for {@code /limits} (the writer's budget probe).</li>
 * </ul>
 */
public final class HubAccess {

    /** An object's access: CRUD flags, View All / Modify All, and the fields read only and read + edit. */
    public record ObjectAccess(boolean create, boolean read, boolean edit, boolean delete, boolean viewAll, boolean modifyAll,
                               Set<String> readFields, Set<String> editFields, boolean allCustomFields) {
    }

    public static final List<String> USER_PERMISSIONS = List.of("ApiEnabled", "ViewSetup");

    public static final Map<String, ObjectAccess> OBJECTS;

    static {
        Map<String, ObjectAccess> m = new LinkedHashMap<>();
        m.put("Case", new ObjectAccess(true, true, true, false, false, false, Set.of(),
                Set.of("Origin", "Priority", "Subject", "Description", "ContactId", "Social_Conversation_Id__c", "Social_Mention__c",
                        "Social_Rule__c", "Social_Reason__c", "First_Response_At__c", "First_Response_Minutes__c",
                        "Social_Last_Reply_Id__c"),
                false));
        m.put("Contact", new ObjectAccess(false, true, true, false, false, false,
                Set.of("Social_Consent__c", "Loyalty_Number__c"),
                Set.of("Social_Mentions_30d__c", "Social_Last_Mention_At__c", "Social_Sentiment__c", "Social_Influence__c",
                        "Social_Interests__c", "Advocate__c", "Advocate_Since__c", "Advocate_Tier__c", "Social_Points__c",
                        "Advocate_Rule__c", "Advocate_Reason__c"),
                false));
        for (String custom : List.of("Social_Identity__c", "Social_Mention__c", "Social_Reward__c")) {
            m.put(custom, new ObjectAccess(true, true, true, true, true, true, Set.of(), Set.of(), true));
        }
        // Case.Status has no field-level security (always editable with the object). Agents write the replies; the hub reads every one (View All) and sets Status__c, Posted_* and Failure_Reason__c
        m.put("Social_Reply__c", new ObjectAccess(false, true, true, false, true, false, Set.of(), Set.of(), true));
        // The reward trigger platform event (issue 13): published (create) and nothing else; event fields have no
        // field-level security, so no field permissions.
        m.put("Hearth_Reward__e", new ObjectAccess(true, true, false, false, false, false, Set.of(), Set.of(), false));
        OBJECTS = java.util.Collections.unmodifiableMap(m);
    }

    private HubAccess() {
    }
}
