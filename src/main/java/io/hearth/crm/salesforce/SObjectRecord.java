package io.hearth.crm.salesforce;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonAnySetter;
import org.apache.camel.component.salesforce.api.dto.AbstractDescribedSObjectBase;
import org.apache.camel.component.salesforce.api.dto.SObjectDescription;

/**
 * A record of any sObject type for camel-salesforce's sObject Collections operations, whose fields come from a
 * CRM command instead of generated DTO classes (object and field names live in configuration, not in code).
 */
public class SObjectRecord extends AbstractDescribedSObjectBase {

    private final Map<String, Object> fields = new LinkedHashMap<>();

    public SObjectRecord() {
    }

    public SObjectRecord(String type, Map<String, Object> fields) {
        getAttributes().setType(type);
        this.fields.putAll(fields);
    }

    @JsonAnyGetter
    public Map<String, Object> fields() {
        return fields;
    }

    @JsonAnySetter
    public void field(String name, Object value) {
        fields.put(name, value);
    }

    @Override
    public SObjectDescription description() {
        return null;
    }
}
