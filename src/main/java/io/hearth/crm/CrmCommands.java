package io.hearth.crm;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.stereotype.Component;

/**
 * Reads and checks {@code hearth.crm-command/v1} messages. Reasons never quote field values (they may be personal
 * data), only names and positions.
 */
@Component
public class CrmCommands {

    /** API names: letters, digits and underscores, starting with a letter (Contact, Social_Mention__c). */
    private static final Pattern API_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_]{0,79}");
    private static final Pattern RECORD_ID = Pattern.compile("[a-zA-Z0-9]{15}([a-zA-Z0-9]{3})?");

    private final ObjectMapper objectMapper;

    public CrmCommands(ObjectMapper objectMapper) {
        this.objectMapper = objectMapper;
    }

    public CrmCommand parse(String json) throws InvalidCrmCommandException {
        if (json == null || json.isBlank()) {
            throw new InvalidCrmCommandException("not a CRM command: empty message");
        }
        JsonNode node;
        try {
            node = objectMapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidCrmCommandException("not a CRM command: malformed JSON at line "
                    + (e.getLocation() == null ? "?" : e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr()));
        }
        if (node == null || !node.isObject()) {
            throw new InvalidCrmCommandException("not a CRM command: not a JSON object");
        }
        JsonNode schema = node.get("schema");
        if (schema == null || !CrmCommand.SCHEMA.equals(schema.asText())) {
            throw new InvalidCrmCommandException("not a CRM command: schema is "
                    + (schema == null ? "missing" : "'" + abbreviate(schema.asText()) + "'") + ", expected '" + CrmCommand.SCHEMA
                    + "' (crm.outbound carries CRM commands only; see docs/crm-commands.md)");
        }
        String opText = text(node, "op");
        CrmCommand.Op op;
        try {
            op = CrmCommand.Op.valueOf(opText == null ? "" : opText);
        } catch (IllegalArgumentException e) {
            throw new InvalidCrmCommandException("invalid CRM command: op must be 'upsert' or 'update', was "
                    + (opText == null ? "missing" : "'" + abbreviate(opText) + "'"));
        }
        String object = apiName(node, "object");
        JsonNode fieldsNode = node.get("fields");
        if (fieldsNode == null || !fieldsNode.isObject() || fieldsNode.isEmpty()) {
            throw new InvalidCrmCommandException("invalid CRM command: 'fields' must be a non-empty object");
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = fieldsNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!API_NAME.matcher(field.getKey()).matches() && !field.getKey().matches("[A-Za-z][A-Za-z0-9_]*__r")) {
                throw new InvalidCrmCommandException("invalid CRM command: field name '" + abbreviate(field.getKey()) + "' is not an API name");
            }
            fields.put(field.getKey(), objectMapper.convertValue(field.getValue(), Object.class));
        }
        if (op == CrmCommand.Op.upsert) {
            String externalIdField = apiName(node, "externalIdField");
            String externalId = text(node, "externalId");
            if (externalId == null || externalId.isBlank()) {
                throw new InvalidCrmCommandException("invalid CRM command: upsert needs 'externalId'");
            }
            if (fields.containsKey(externalIdField)) {
                Object inFields = fields.get(externalIdField);
                if (inFields != null && !externalId.equals(String.valueOf(inFields))) {
                    throw new InvalidCrmCommandException("invalid CRM command: fields." + externalIdField + " differs from externalId");
                }
            }
            return new CrmCommand(CrmCommand.SCHEMA, op, object, externalIdField, externalId, null, fields);
        }
        String id = text(node, "id");
        if (id == null || !RECORD_ID.matcher(id).matches()) {
            throw new InvalidCrmCommandException("invalid CRM command: update needs 'id', a 15- or 18-character record id");
        }
        return new CrmCommand(CrmCommand.SCHEMA, op, object, null, null, id, fields);
    }

    public String toJson(CrmCommand command) {
        try {
            return objectMapper.writeValueAsString(command);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String apiName(JsonNode node, String name) throws InvalidCrmCommandException {
        String value = text(node, name);
        if (value == null || !API_NAME.matcher(value).matches()) {
            throw new InvalidCrmCommandException("invalid CRM command: '" + name + "' must be an API name such as Contact or Social_Mention__c, was "
                    + (value == null ? "missing" : "'" + abbreviate(value) + "'"));
        }
        return value;
    }

    private static String text(JsonNode node, String name) {
        JsonNode value = node.get(name);
        return value == null || value.isNull() || !value.isValueNode() ? null : value.asText();
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
