package io.hearth.crm;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Salesforce object and field names as this org spells them. Hearth's code uses the default API names of the metadata in
 * salesforce/ (e.g. {@code Social_Mention__c}, {@code Social_Mentions_30d__c}); an org that named a field differently
 * maps it in config/crm-mapping.yml: {@code hearth.crm.mapping.names.Social_Mentions_30d__c: Mentions_Last_30_Days__c}.
 */
@ConfigurationProperties(prefix = "hearth.crm.mapping")
public class CrmMapping {

    /** Default API name → the org's API name. Names not listed are used as they are. */
    private Map<String, String> names = new LinkedHashMap<>();

    public Map<String, String> getNames() {
        return names;
    }

    public void setNames(Map<String, String> names) {
        this.names = names == null ? new LinkedHashMap<>() : names;
    }

    /** The org's name for a default object or field API name. */
    public String name(String defaultName) {
        String mapped = names.get(defaultName);
        return mapped == null || mapped.isBlank() ? defaultName : mapped;
    }

    /** A record's fields with their names mapped (order kept). */
    public Map<String, Object> fields(Map<String, Object> byDefaultName) {
        Map<String, Object> out = new LinkedHashMap<>();
        byDefaultName.forEach((k, v) -> out.put(name(k), v));
        return out;
    }

    public CrmCommand upsert(String object, String externalIdField, String externalId, Map<String, Object> fields) {
        return CrmCommand.upsert(name(object), name(externalIdField), externalId, fields(fields));
    }

    public CrmCommand update(String object, String id, Map<String, Object> fields) {
        return CrmCommand.update(name(object), id, fields(fields));
    }
}
