package io.hearth.crm;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One write the CRM writer executes, exactly as told: the stages before it decide what to write, the writer only
 * batches, retries and reports. JSON on {@code crm.outbound} (docs/crm-commands.md):
 * <pre>
 * {"schema":"hearth.crm-command/v1","op":"upsert","object":"Social_Mention__c",
 *  "externalIdField":"External_Id__c","externalId":"x:123","fields":{...}}
 * {"schema":"hearth.crm-command/v1","op":"update","object":"Contact","id":"003…","fields":{...}}
 * </pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CrmCommand(String schema, Op op, String object, String externalIdField, String externalId, String id,
        Map<String, Object> fields) {

    public static final String SCHEMA = "hearth.crm-command/v1";

    public enum Op {
        /** Create or update by external id (sObject Collections upsert): idempotent. */
        upsert,
        /** Update by record id (sObject Collections update); several for one record in a batch collapse into one. */
        update
    }

    public CrmCommand {
        fields = fields == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public static CrmCommand upsert(String object, String externalIdField, String externalId, Map<String, Object> fields) {
        return new CrmCommand(SCHEMA, Op.upsert, object, externalIdField, externalId, null, fields);
    }

    public static CrmCommand update(String object, String id, Map<String, Object> fields) {
        return new CrmCommand(SCHEMA, Op.update, object, null, null, id, fields);
    }

    /** What identifies the target record within its object: the external id (upsert) or the record id (update). */
    public String key() {
        return op == Op.upsert ? externalId : id;
    }
}
