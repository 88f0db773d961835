package io.hearth.identity.linking;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.crm.CrmMapping;
import io.hearth.crm.salesforce.Soql;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;

/**
 * What linking asks the CRM directly (through camel-salesforce, routes/crm/salesforce-calls.camel.yaml): the contact a link request
 * names, and the Social_Identity__c records of a handle to delete when it is unlinked. SOQL is built with {@link Soql}:
 * contact ids, loyalty numbers and handles are literals, never SOQL.
 */
public class CrmIdentities {

    /** A contact found for a link request, with its consent (null: not set). */
    public record Contact(String id, Boolean consent) {
    }

    /** The CRM could not be asked (down, refused the login, …). */
    public static class CrmUnavailableException extends RuntimeException {
        CrmUnavailableException(Throwable cause) {
            super("the CRM did not answer: " + rootType(cause), cause);
        }
    }

    /** Several contacts carry the loyalty number: the request cannot say which one. */
    public static class AmbiguousContactException extends RuntimeException {
        AmbiguousContactException() {
            super("more than one contact has this loyalty number");
        }
    }

    static final String QUERY = "direct:crm-salesforce-query";
    static final String DELETE = "direct:crm-salesforce-delete";

    private final ProducerTemplate producer;
    private final CrmMapping mapping;
    private final LinkingSettings settings;
    private final ObjectMapper json = new ObjectMapper();

    public CrmIdentities(ProducerTemplate producer, CrmMapping mapping, LinkingSettings settings) {
        this.producer = producer;
        this.mapping = mapping;
        this.settings = settings;
    }

    public Optional<Contact> contactById(String contactId) {
        return contact("Id", contactId);
    }

    public Optional<Contact> contactByLoyaltyNumber(String loyaltyNumber) {
        return contact(settings.loyaltyField(), loyaltyNumber);
    }

    private Optional<Contact> contact(String field, String value) {
        String consentField = mapping.name("Social_Consent__c");
        String soql = Soql.select("Id", consentField).from(mapping.name("Contact")).where(field, "=", value).limit(2).build();
        List<JsonNode> records = query(soql);
        if (records.size() > 1) {
            throw new AmbiguousContactException();
        }
        return records.stream().findFirst().map(r -> new Contact(r.path("Id").asText(),
                r.hasNonNull(consentField) ? r.get(consentField).asBoolean() : null));
    }

    /** The ids of the Social_Identity__c records with this external id. */
    public List<String> identityIds(String externalId) {
        List<String> ids = new ArrayList<>();
        for (JsonNode r : query(Soql.select("Id").from(mapping.name("Social_Identity__c"))
                .where(mapping.name("External_Id__c"), "=", externalId).build())) {
            ids.add(r.path("Id").asText());
        }
        return ids;
    }

    /** Deletes these Social_Identity__c records (CRM ids; the hub's placeholders are skipped); how many were deleted. */
    public int deleteIdentities(List<String> crmIds, List<String> knownIds) {
        String object = mapping.name("Social_Identity__c");
        List<String> ids = new ArrayList<>(crmIds);
        for (String id : knownIds) {
            // the directory's rows: CRM ids (15/18 characters), not the hub's own placeholders
            if (id != null && id.matches("[A-Za-z0-9]{15}([A-Za-z0-9]{3})?") && !ids.contains(id)) {
                ids.add(id);
            }
        }
        int deleted = 0;
        for (String id : ids) {
            try {
                producer.requestBodyAndHeaders(DELETE, id, Map.of("sObjectName", object, "sObjectId", id));
                deleted++;
            } catch (CamelExecutionException e) {
                if (!notFound(e)) {
                    throw new CrmUnavailableException(e);
                }
            }
        }
        return deleted;
    }

    private List<JsonNode> query(String soql) {
        String body;
        try {
            body = producer.requestBody(QUERY, soql, String.class);
        } catch (CamelExecutionException e) {
            throw new CrmUnavailableException(e);
        }
        try {
            List<JsonNode> out = new ArrayList<>();
            json.readTree(body).path("records").forEach(out::add);
            return out;
        } catch (Exception e) {
            throw new CrmUnavailableException(e);
        }
    }

    private static boolean notFound(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof org.apache.camel.component.salesforce.api.SalesforceException se && se.getStatusCode() == 404) {
                return true;
            }
        }
        return false;
    }

    private static String rootType(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName();
    }
}
