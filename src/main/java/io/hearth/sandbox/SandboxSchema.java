package io.hearth.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The objects and fields the sandbox knows: a few standard objects with their common standard fields,
 * plus every custom object and field in the SFDX metadata ({@code objects/<Object>/fields/*.field-meta.xml}).
 * Names are case-insensitive, as in Salesforce; the canonical spelling is what responses show.
 */
final class SandboxSchema {

    enum FieldType { ID, TEXT, TEXTAREA, LONGTEXTAREA, EMAIL, PHONE, URL, PICKLIST, CHECKBOX, NUMBER, DATE, DATETIME, REFERENCE, AUTONUMBER }

    record Field(String name, FieldType type, int length, int precision, int scale, boolean required, boolean externalId,
                 boolean unique, boolean caseSensitive, boolean writable, String referenceTo, String relationshipName,
                 Set<String> picklistValues, boolean restrictedPicklist, Object defaultValue) {

        boolean isText() {
            return switch (type) {
                case TEXT, TEXTAREA, LONGTEXTAREA, EMAIL, PHONE, URL, PICKLIST, AUTONUMBER -> true;
                default -> false;
            };
        }
    }

    static final class SObjectType {
        final String name;
        final String keyPrefix;
        final boolean custom;
        final String autoNumberFormat;
        /** A platform event ({@code __e}): published by create, never read, updated or deleted through the API. */
        boolean platformEvent;
        private final Map<String, Field> fields = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        private final Map<String, Field> relationships = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

        SObjectType(String name, String keyPrefix, boolean custom, String autoNumberFormat) {
            this.name = name;
            this.keyPrefix = keyPrefix;
            this.custom = custom;
            this.autoNumberFormat = autoNumberFormat;
        }

        void add(Field field) {
            fields.put(field.name(), field);
            if (field.relationshipName() != null) {
                relationships.put(field.relationshipName(), field);
            }
        }

        Field field(String name) {
            return fields.get(name);
        }

        /** The lookup field behind a relationship name ({@code Contact__r} → {@code Contact__c}). */
        Field relationship(String name) {
            return relationships.get(name);
        }

        Collection<Field> fields() {
            return fields.values();
        }
    }

    private final Map<String, SObjectType> objects = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    SObjectType object(String name) {
        return objects.get(name);
    }

    Collection<SObjectType> objects() {
        return objects.values();
    }

    /** The object an id belongs to, by its key prefix; null when none. */
    SObjectType objectOfId(String id) {
        if (id == null || id.length() < 3) {
            return null;
        }
        String prefix = id.substring(0, 3);
        return objects.values().stream().filter(o -> o.keyPrefix.equals(prefix)).findFirst().orElse(null);
    }

    /**
     * Reads {@code <sfdxRoot>/force-app/main/default/objects}. Custom objects get key prefixes a00, a01, ... in
     * alphabetical order of their API names (a real org assigns them at deploy time; only the sandbox's own ids carry them).
     */
    static SandboxSchema load(Path sfdxRoot) {
        SandboxSchema schema = new SandboxSchema();
        schema.standardObjects();
        Path objectsDir = sfdxRoot.resolve("force-app/main/default/objects");
        if (!Files.isDirectory(objectsDir)) {
            throw new IllegalStateException("Salesforce metadata not found: " + objectsDir.toAbsolutePath()
                    + " (set hearth.sandbox.metadata-dir to the SFDX project, e.g. ./salesforce)");
        }
        List<String> problems = DeployRules.check(sfdxRoot);
        if (!problems.isEmpty()) {
            throw new IllegalStateException("Salesforce would refuse to deploy the metadata in " + sfdxRoot.toAbsolutePath()
                    + " (" + problems.size() + " problem" + (problems.size() == 1 ? "" : "s") + "):\n  " + String.join("\n  ", problems));
        }
        schema.standardValueSets(sfdxRoot.resolve("force-app/main/default/standardValueSets"));
        List<Path> objectDirs = new ArrayList<>();
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(objectsDir, Files::isDirectory)) {
            dirs.forEach(objectDirs::add);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + objectsDir, e);
        }
        objectDirs.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        int customIndex = 0;
        int eventIndex = 0;
        for (Path dir : objectDirs) {
            String name = dir.getFileName().toString();
            SObjectType type = schema.objects.get(name);
            if (type == null && name.endsWith("__e")) {
                // A platform event: create only (publish); Id and CreatedDate, plus its custom fields; no Name, no owner.
                type = new SObjectType(name, String.format("e%02d", eventIndex++), true, null);
                type.platformEvent = true;
                type.add(new Field("Id", FieldType.ID, 18, 0, 0, false, false, false, false, false, null, null, Set.of(), false, null));
                type.add(new Field("CreatedDate", FieldType.DATETIME, 0, 0, 0, false, false, false, false, false, null, null, Set.of(), false, null));
                schema.objects.put(name, type);
            }
            if (type == null) {
                if (!name.endsWith("__c")) {
                    throw new IllegalStateException("standard object " + name + " is not known to the sandbox (" + dir + ")");
                }
                String autoNumber = null;
                Path objectMeta = dir.resolve(name + ".object-meta.xml");
                if (Files.exists(objectMeta)) {
                    Element root = parse(objectMeta);
                    Element nameField = child(root, "nameField");
                    if (nameField != null && "AutoNumber".equals(text(nameField, "type"))) {
                        autoNumber = text(nameField, "displayFormat");
                    }
                }
                type = new SObjectType(name, String.format("a%02d", customIndex++), true, autoNumber);
                schema.common(type);
                type.add(autoNumber != null
                        ? new Field("Name", FieldType.AUTONUMBER, 80, 0, 0, false, false, false, false, false, null, null, Set.of(), false, null)
                        : text("Name", 80, true));
                schema.objects.put(name, type);
            }
            Path fieldsDir = dir.resolve("fields");
            if (Files.isDirectory(fieldsDir)) {
                try (DirectoryStream<Path> files = Files.newDirectoryStream(fieldsDir, "*.field-meta.xml")) {
                    for (Path file : files) {
                        type.add(readField(file));
                    }
                } catch (IOException e) {
                    throw new IllegalStateException("cannot read " + fieldsDir, e);
                }
            }
        }
        return schema;
    }

    private static Field readField(Path file) {
        Element root = parse(file);
        String name = text(root, "fullName");
        if (name == null) {
            name = file.getFileName().toString().replace(".field-meta.xml", "");
        }
        String type = text(root, "type");
        boolean required = "true".equals(text(root, "required"));
        boolean external = "true".equals(text(root, "externalId"));
        boolean unique = "true".equals(text(root, "unique"));
        boolean caseSensitive = "true".equals(text(root, "caseSensitive"));
        int length = intOf(text(root, "length"), 0);
        int precision = intOf(text(root, "precision"), 18);
        int scale = intOf(text(root, "scale"), 0);
        if (type == null) {
            throw new IllegalStateException(file + ": no <type>");
        }
        return switch (type) {
            case "Checkbox" -> new Field(name, FieldType.CHECKBOX, 0, 0, 0, false, false, false, false, true, null, null, Set.of(), false,
                    Boolean.parseBoolean(text(root, "defaultValue")));
            case "Text" -> new Field(name, FieldType.TEXT, length == 0 ? 255 : length, 0, 0, required, external, unique, caseSensitive,
                    true, null, null, Set.of(), false, null);
            case "TextArea" -> new Field(name, FieldType.TEXTAREA, 255, 0, 0, required, false, false, false, true, null, null, Set.of(), false, null);
            case "LongTextArea", "Html" -> new Field(name, FieldType.LONGTEXTAREA, length == 0 ? 32768 : length, 0, 0, required, false, false,
                    false, true, null, null, Set.of(), false, null);
            case "Email" -> new Field(name, FieldType.EMAIL, 80, 0, 0, required, external, unique, false, true, null, null, Set.of(), false, null);
            case "Phone" -> new Field(name, FieldType.PHONE, 40, 0, 0, required, false, false, false, true, null, null, Set.of(), false, null);
            case "Url" -> new Field(name, FieldType.URL, 255, 0, 0, required, false, false, false, true, null, null, Set.of(), false, null);
            case "Number", "Currency", "Percent" -> new Field(name, FieldType.NUMBER, 0, precision, scale, required, external, unique, false,
                    true, null, null, Set.of(), false, null);
            case "Date" -> new Field(name, FieldType.DATE, 0, 0, 0, required, false, false, false, true, null, null, Set.of(), false, null);
            case "DateTime" -> new Field(name, FieldType.DATETIME, 0, 0, 0, required, false, false, false, true, null, null, Set.of(), false, null);
            case "Lookup", "MasterDetail" -> {
                String relationshipName = name.endsWith("__c") ? name.substring(0, name.length() - 3) + "__r" : text(root, "relationshipName");
                yield new Field(name, FieldType.REFERENCE, 18, 0, 0, required || type.equals("MasterDetail"), false, false, false, true,
                        text(root, "referenceTo"), relationshipName, Set.of(), false, null);
            }
            case "Picklist" -> {
                Set<String> values = new LinkedHashSet<>();
                boolean restricted = false;
                Element valueSet = child(root, "valueSet");
                if (valueSet != null) {
                    restricted = "true".equals(text(valueSet, "restricted"));
                    NodeList names = valueSet.getElementsByTagName("fullName");
                    for (int i = 0; i < names.getLength(); i++) {
                        values.add(names.item(i).getTextContent().strip());
                    }
                }
                yield new Field(name, FieldType.PICKLIST, 255, 0, 0, required, false, false, false, true, null, null, values, restricted, null);
            }
            default -> throw new IllegalStateException(file + ": field type " + type + " is not supported by the sandbox");
        };
    }

    // --- standard objects -------------------------------------------------------------------------------------------

    private void standardObjects() {
        SObjectType account = new SObjectType("Account", "001", false, null);
        common(account);
        account.add(text("Name", 255, true));
        account.add(text("Website", 255, false));
        account.add(new Field("Phone", FieldType.PHONE, 40, 0, 0, false, false, false, false, true, null, null, Set.of(), false, null));
        account.add(longText("Description"));
        objects.put(account.name, account);

        SObjectType contact = new SObjectType("Contact", "003", false, null);
        common(contact);
        contact.add(new Field("Name", FieldType.TEXT, 121, 0, 0, false, false, false, false, false, null, null, Set.of(), false, null));
        contact.add(text("FirstName", 40, false));
        contact.add(text("LastName", 80, true));
        contact.add(new Field("Salutation", FieldType.PICKLIST, 40, 0, 0, false, false, false, false, true, null, null, Set.of(), false, null));
        contact.add(new Field("Email", FieldType.EMAIL, 80, 0, 0, false, false, false, false, true, null, null, Set.of(), false, null));
        contact.add(new Field("Phone", FieldType.PHONE, 40, 0, 0, false, false, false, false, true, null, null, Set.of(), false, null));
        contact.add(text("Title", 128, false));
        contact.add(text("MailingCity", 40, false));
        contact.add(text("MailingCountry", 80, false));
        contact.add(longText("Description"));
        contact.add(reference("AccountId", "Account", "Account"));
        objects.put(contact.name, contact);

        SObjectType kase = new SObjectType("Case", "500", false, null);
        common(kase);
        kase.add(new Field("CaseNumber", FieldType.AUTONUMBER, 30, 0, 0, false, false, false, false, false, null, null, Set.of(), false, null));
        kase.add(text("Subject", 255, false));
        kase.add(longText("Description"));
        kase.add(new Field("Status", FieldType.PICKLIST, 255, 0, 0, false, false, false, false, true, null, null,
                Set.of("New", "Working", "Escalated", "Closed"), false, "New"));
        // A new org's CaseOrigin values; standardValueSets/CaseOrigin in the metadata replaces them. Enforced as a
        // restricted picklist (an org may restrict it; the strict reading is the safe one).
        kase.add(caseOrigin(Set.of("Phone", "Email", "Web")));
        kase.add(new Field("Priority", FieldType.PICKLIST, 255, 0, 0, false, false, false, false, true, null, null,
                Set.of("High", "Medium", "Low"), false, "Medium"));
        kase.add(new Field("Type", FieldType.PICKLIST, 255, 0, 0, false, false, false, false, true, null, null, Set.of(), false, null));
        kase.add(reference("ContactId", "Contact", "Contact"));
        kase.add(reference("AccountId", "Account", "Account"));
        objects.put(kase.name, kase);
    }

    private static Field caseOrigin(Set<String> values) {
        return new Field("Origin", FieldType.PICKLIST, 255, 0, 0, false, false, false, false, true, null, null, values, true, null);
    }

    /** {@code standardValueSets/CaseOrigin.standardValueSet-meta.xml}: the values a deploy gives Case.Origin. */
    private void standardValueSets(Path dir) {
        Path origin = dir.resolve("CaseOrigin.standardValueSet-meta.xml");
        if (!Files.exists(origin)) {
            return;
        }
        Element root = parse(origin);
        Set<String> values = new LinkedHashSet<>();
        NodeList standard = root.getElementsByTagName("standardValue");
        for (int i = 0; i < standard.getLength(); i++) {
            values.add(text((Element) standard.item(i), "fullName"));
        }
        objects.get("Case").add(caseOrigin(values));
    }

    private void common(SObjectType type) {
        type.add(new Field("Id", FieldType.ID, 18, 0, 0, false, false, false, false, false, null, null, Set.of(), false, null));
        type.add(new Field("OwnerId", FieldType.ID, 18, 0, 0, false, false, false, false, true, null, null, Set.of(), false, null));
        type.add(new Field("IsDeleted", FieldType.CHECKBOX, 0, 0, 0, false, false, false, false, false, null, null, Set.of(), false, false));
        for (String name : List.of("CreatedDate", "LastModifiedDate", "SystemModstamp")) {
            type.add(new Field(name, FieldType.DATETIME, 0, 0, 0, false, false, false, false, false, null, null, Set.of(), false, null));
        }
    }

    private static Field text(String name, int length, boolean required) {
        return new Field(name, FieldType.TEXT, length, 0, 0, required, false, false, false, true, null, null, Set.of(), false, null);
    }

    private static Field longText(String name) {
        return new Field(name, FieldType.LONGTEXTAREA, 32000, 0, 0, false, false, false, false, true, null, null, Set.of(), false, null);
    }

    private static Field reference(String name, String to, String relationship) {
        return new Field(name, FieldType.REFERENCE, 18, 0, 0, false, false, false, false, true, to, relationship, Set.of(), false, null);
    }

    // --- XML --------------------------------------------------------------------------------------------------------

    private static Element parse(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            Document document = builder.parse(in);
            return document.getDocumentElement();
        } catch (Exception e) {
            throw new IllegalStateException("cannot read Salesforce metadata " + file + ": " + e.getMessage(), e);
        }
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().strip();
    }

    private static int intOf(String s, int fallback) {
        return s == null || s.isBlank() ? fallback : Integer.parseInt(s.strip());
    }
}
