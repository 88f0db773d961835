package io.hearth.crm.salesforce;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.NodeList;

/** The SFDX metadata in salesforce/ holds together: the permission set and the layout name fields that exist. */
class SalesforceMetadataTest {

    static final Path BASE = Path.of("salesforce/force-app/main/default");
    /** Standard Contact fields the layout may use. */
    static final Set<String> STANDARD_CONTACT = Set.of("Name", "AccountId", "Title", "Email", "Phone", "OwnerId");

    @Test
    void thePermissionSetIsTheGeneratedOne() throws Exception {
        assertThat(Files.readString(BASE.resolve("permissionsets/Hearth_Integration.permissionset-meta.xml")))
                .as("regenerate it: java -cp target/classes io.hearth.crm.salesforce.PermissionSetGenerator")
                .isEqualTo(PermissionSetGenerator.generate(Path.of("salesforce")));
    }

    @Test
    void thePermissionSetGrantsWhatTheHubTouchesAndNothingElse() throws Exception {
        Document permissionSet = parse(BASE.resolve("permissionsets/Hearth_Integration.permissionset-meta.xml"));
        Set<String> fields = texts(permissionSet, "fieldPermissions", "field");
        // what the review found missing: Contact/Case access and FLS on the fields the hub writes, ViewSetup
        assertThat(fields).contains("Case.Origin", "Case.Priority", "Case.Subject", "Case.Description", "Case.ContactId",
                "Contact.Social_Points__c", "Contact.Advocate__c", "Contact.Social_Consent__c", "Social_Mention__c.Text__c");
        assertThat(texts(permissionSet, "objectPermissions", "object"))
                .containsExactlyInAnyOrder("Case", "Contact", "Social_Identity__c", "Social_Mention__c", "Social_Reward__c",
                        "Social_Reply__c", "Hearth_Reward__e");
        assertThat(texts(permissionSet, "userPermissions", "name")).containsExactlyInAnyOrder("ApiEnabled", "ViewSetup");
        // every custom field of the hub's own objects, none of the Contact fields it does not touch
        try (Stream<Path> files = Files.walk(BASE.resolve("objects"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".field-meta.xml")).toList()) {
                String object = f.getParent().getParent().getFileName().toString();
                String field = object + "." + f.getFileName().toString().replace(".field-meta.xml", "");
                if (object.startsWith("Social_")) {
                    assertThat(fields).contains(field);
                }
            }
        }
        // consent is the contact's to give: the hub reads it and never writes it
        assertThat(Files.readString(BASE.resolve("permissionsets/Hearth_Integration.permissionset-meta.xml")))
                .contains("<editable>false</editable>\n        <field>Contact.Social_Consent__c</field>");
    }

    @Test
    void theContactLayoutHasASocialSectionOfExistingFields() throws Exception {
        Document layout = parse(BASE.resolve("layouts/Contact-Contact Layout.layout-meta.xml"));
        Set<String> fields = texts(layout, "layoutItems", "field");
        for (String field : fields) {
            assertThat(STANDARD_CONTACT.contains(field)
                    || Files.exists(BASE.resolve("objects/Contact/fields/" + field + ".field-meta.xml"))).as(field).isTrue();
        }
        assertThat(fields).contains("Social_Consent__c", "Social_Mentions_30d__c", "Advocate__c", "Social_Points__c");
        assertThat(Files.readString(BASE.resolve("layouts/Contact-Contact Layout.layout-meta.xml"))).contains("<label>Social</label>");
    }

    @Test
    void everyMetadataFileIsWellFormedXml() throws IOException {
        try (Stream<Path> files = Files.walk(BASE)) {
            files.filter(p -> p.toString().endsWith("-meta.xml")).forEach(p -> {
                try {
                    parse(p);
                } catch (Exception e) {
                    throw new AssertionError(p + ": " + e.getMessage(), e);
                }
            });
        }
    }

    private static Document parse(Path file) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return factory.newDocumentBuilder().parse(file.toFile());
    }

    private static Set<String> texts(Document doc, String parent, String child) {
        Set<String> out = new TreeSet<>();
        NodeList parents = doc.getElementsByTagName(parent);
        for (int i = 0; i < parents.getLength(); i++) {
            NodeList children = ((org.w3c.dom.Element) parents.item(i)).getElementsByTagName(child);
            if (children.getLength() > 0) {
                out.add(children.item(0).getTextContent().trim());
            }
        }
        return out;
    }
}
