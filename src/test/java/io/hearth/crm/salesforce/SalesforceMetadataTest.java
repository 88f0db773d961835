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
    void thePermissionSetGrantsEveryCustomFieldAndObject() throws Exception {
        Set<String> expected = new TreeSet<>();
        Set<String> objects = new TreeSet<>();
        try (Stream<Path> files = Files.walk(BASE.resolve("objects"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".field-meta.xml")).toList()) {
                String xml = Files.readString(f);
                if (xml.contains("<required>true</required>") || xml.contains("<type>MasterDetail</type>")) {
                    continue; // Salesforce refuses field permissions on these
                }
                String object = f.getParent().getParent().getFileName().toString();
                expected.add(object + "." + f.getFileName().toString().replace(".field-meta.xml", ""));
                if (object.endsWith("__c")) {
                    objects.add(object);
                }
            }
        }
        Document permissionSet = parse(BASE.resolve("permissionsets/Hearth_Integration.permissionset-meta.xml"));
        assertThat(texts(permissionSet, "fieldPermissions", "field"))
                .as("regenerate the permission set when you add a field").isEqualTo(expected);
        assertThat(texts(permissionSet, "objectPermissions", "object")).containsAll(objects);
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
