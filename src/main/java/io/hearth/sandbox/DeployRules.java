package io.hearth.sandbox;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * What a Metadata API deploy of the SFDX source would refuse, checked before the sandbox serves it, so that metadata the
 * sandbox accepts also deploys to a real org. The rules are Salesforce's (Metadata API Developer Guide, CustomObject and
 * CustomField; the messages follow the deploy errors): sharing model against relationship types, field types with their
 * lengths/precision, external-id/unique/case-sensitive flags, lookup delete constraints and relationship names, picklist
 * value sets, and the standard value sets the sandbox knows. Plain Java over the XML: no Salesforce library runs offline on
 * this JVM (the {@code sf} CLI is Node; see docs/sandbox.md).
 */
final class DeployRules {

    static final Set<String> CUSTOM_SHARING_MODELS = Set.of("Private", "Read", "ReadWrite", "ControlledByParent");
    static final Set<String> DELETE_CONSTRAINTS = Set.of("SetNull", "Restrict", "Cascade");
    static final Set<String> EXTERNAL_ID_TYPES = Set.of("Text", "Number", "Email", "AutoNumber");
    static final Set<String> UNIQUE_TYPES = Set.of("Text", "Number", "Email");
    static final Set<String> FIELD_TYPES = Set.of("Checkbox", "Text", "TextArea", "LongTextArea", "Html", "Email", "Phone", "Url",
            "Number", "Currency", "Percent", "Date", "DateTime", "Lookup", "MasterDetail", "Picklist");
    /** Standard objects the sandbox knows (custom fields may be added to them; lookups may point at them). */
    static final Set<String> STANDARD_OBJECTS = Set.of("Account", "Contact", "Case", "User");
    /** Standard value sets the sandbox models (a file standardValueSets/&lt;Name&gt;.standardValueSet-meta.xml). */
    static final Set<String> STANDARD_VALUE_SETS = Set.of("CaseOrigin", "CasePriority", "CaseStatus");
    private static final String API_NAME = "[A-Za-z][A-Za-z0-9]*(_[A-Za-z0-9]+)*";

    private DeployRules() {
    }

    /** Every problem of the project, as "file: message"; empty when a deploy would accept it. */
    static List<String> check(Path sfdxRoot) {
        List<String> problems = new ArrayList<>();
        Path base = sfdxRoot.resolve("force-app/main/default");
        Path objectsDir = base.resolve("objects");
        if (!Files.isDirectory(objectsDir)) {
            return problems; // SandboxSchema reports the missing directory itself
        }
        Set<String> objectNames = new HashSet<>(STANDARD_OBJECTS);
        for (Path dir : dirs(objectsDir)) {
            objectNames.add(dir.getFileName().toString());
        }
        // parent object (lower case) -> child relationship names (lower case) -> declaring field
        Map<String, Map<String, String>> childRelationships = new HashMap<>();
        for (Path dir : dirs(objectsDir)) {
            String object = dir.getFileName().toString();
            boolean custom = object.endsWith("__c");
            Map<String, Element> fields = new TreeMap<>();
            Path fieldsDir = dir.resolve("fields");
            if (Files.isDirectory(fieldsDir)) {
                for (Path file : files(fieldsDir, "*.field-meta.xml")) {
                    Element root = parse(file, problems);
                    if (root != null) {
                        fields.put(file.getFileName().toString().replace(".field-meta.xml", ""), root);
                    }
                }
            }
            int masterDetails = 0;
            for (Map.Entry<String, Element> e : fields.entrySet()) {
                String where = object + "/fields/" + e.getKey() + ".field-meta.xml";
                Element f = e.getValue();
                String fullName = text(f, "fullName");
                if (fullName != null && !fullName.equals(e.getKey())) {
                    problems.add(where + ": fullName " + fullName + " does not match the file name");
                }
                if (!e.getKey().endsWith("__c") || !e.getKey().substring(0, e.getKey().length() - 3).matches(API_NAME)) {
                    problems.add(where + ": a custom field's API name is letters, digits and single underscores, ending in __c");
                }
                if ("MasterDetail".equals(text(f, "type"))) {
                    masterDetails++;
                }
                checkField(where, object, f, objectNames, childRelationships, problems);
            }
            if (custom) {
                Path objectMeta = dir.resolve(object + ".object-meta.xml");
                if (!Files.exists(objectMeta)) {
                    problems.add(object + ": a custom object needs " + object + ".object-meta.xml");
                    continue;
                }
                Element root = parse(objectMeta, problems);
                if (root == null) {
                    continue;
                }
                String where = object + "/" + object + ".object-meta.xml";
                for (String required : List.of("label", "pluralLabel", "deploymentStatus", "sharingModel")) {
                    if (text(root, required) == null) {
                        problems.add(where + ": Required field is missing: " + required);
                    }
                }
                Element nameField = child(root, "nameField");
                if (nameField == null || text(nameField, "label") == null || text(nameField, "type") == null) {
                    problems.add(where + ": Must specify a nameField with label and type (Text or AutoNumber)");
                } else if ("AutoNumber".equals(text(nameField, "type")) && text(nameField, "displayFormat") == null) {
                    problems.add(where + ": an AutoNumber name field needs a displayFormat");
                }
                String sharing = text(root, "sharingModel");
                if (sharing != null && !CUSTOM_SHARING_MODELS.contains(sharing)) {
                    problems.add(where + ": sharingModel " + sharing + " is not valid for a custom object (" + CUSTOM_SHARING_MODELS + ")");
                }
                if ("ControlledByParent".equals(sharing) && masterDetails == 0) {
                    problems.add(where + ": Cannot set sharingModel to ControlledByParent on a CustomObject without a MasterDetail"
                            + " relationship field");
                }
                if (masterDetails > 0 && sharing != null && !"ControlledByParent".equals(sharing)) {
                    problems.add(where + ": Cannot set sharingModel to " + sharing + " on a CustomObject with a MasterDetail"
                            + " relationship field (it must be ControlledByParent)");
                }
                if (masterDetails > 2) {
                    problems.add(where + ": an object can have at most 2 master-detail relationship fields, has " + masterDetails);
                }
            }
        }
        Path valueSets = base.resolve("standardValueSets");
        if (Files.isDirectory(valueSets)) {
            for (Path file : files(valueSets, "*.standardValueSet-meta.xml")) {
                String name = file.getFileName().toString().replace(".standardValueSet-meta.xml", "");
                String where = "standardValueSets/" + file.getFileName();
                if (!STANDARD_VALUE_SETS.contains(name)) {
                    problems.add(where + ": " + name + " is not a standard value set the sandbox knows (" + STANDARD_VALUE_SETS + ")");
                }
                Element root = parse(file, problems);
                if (root != null) {
                    checkValues(where, root.getElementsByTagName("standardValue"), problems);
                }
            }
        }
        return problems;
    }

    private static void checkField(String where, String object, Element f, Set<String> objectNames,
                                   Map<String, Map<String, String>> childRelationships, List<String> problems) {
        String type = text(f, "type");
        if (type == null) {
            problems.add(where + ": Required field is missing: type");
            return;
        }
        if (!FIELD_TYPES.contains(type)) {
            problems.add(where + ": field type " + type + " is not supported by the sandbox");
            return;
        }
        if (text(f, "label") == null) {
            problems.add(where + ": Required field is missing: label");
        }
        boolean externalId = "true".equals(text(f, "externalId"));
        boolean unique = "true".equals(text(f, "unique"));
        boolean required = "true".equals(text(f, "required"));
        if (externalId && !EXTERNAL_ID_TYPES.contains(type)) {
            problems.add(where + ": Can not specify 'externalId' for a CustomField of type " + type);
        }
        if (unique && !UNIQUE_TYPES.contains(type)) {
            problems.add(where + ": Can not specify 'unique' for a CustomField of type " + type);
        }
        if (text(f, "caseSensitive") != null && !unique) {
            problems.add(where + ": Can not specify 'caseSensitive' for a CustomField that is not unique");
        }
        Integer length = integer(where, f, "length", problems);
        Integer precision = integer(where, f, "precision", problems);
        Integer scale = integer(where, f, "scale", problems);
        switch (type) {
            case "Text" -> {
                if (length == null) {
                    problems.add(where + ": Must specify 'length' for a CustomField of type Text");
                } else if (length < 1 || length > 255) {
                    problems.add(where + ": Length must be between 1 and 255 for a Text field, was " + length);
                }
            }
            case "LongTextArea", "Html" -> {
                if (length == null || length < 256 || length > 131_072) {
                    problems.add(where + ": Length must be between 256 and 131072 for a " + type + " field, was " + length);
                }
                if (text(f, "visibleLines") == null) {
                    problems.add(where + ": Must specify 'visibleLines' for a CustomField of type " + type);
                }
            }
            case "Number", "Currency", "Percent" -> {
                if (precision == null || scale == null) {
                    problems.add(where + ": Must specify 'precision' and 'scale' for a CustomField of type " + type);
                } else if (precision < 1 || precision > 18 || scale < 0 || scale > precision) {
                    problems.add(where + ": precision must be 1..18 and scale 0..precision, was " + precision + "," + scale);
                }
            }
            case "Checkbox" -> {
                if (text(f, "defaultValue") == null) {
                    problems.add(where + ": Must specify 'defaultValue' for a CustomField of type Checkbox");
                }
                if (required) {
                    problems.add(where + ": Can not specify 'required' for a CustomField of type Checkbox");
                }
            }
            case "Picklist" -> {
                Element valueSet = child(f, "valueSet");
                if (valueSet == null) {
                    problems.add(where + ": Must specify 'valueSet' for a CustomField of type Picklist");
                } else if (child(valueSet, "valueSetName") == null) {
                    Element definition = child(valueSet, "valueSetDefinition");
                    if (definition == null) {
                        problems.add(where + ": a picklist's valueSet needs a valueSetDefinition or a valueSetName");
                    } else {
                        checkValues(where, definition.getElementsByTagName("value"), problems);
                    }
                }
            }
            case "Lookup", "MasterDetail" -> {
                String to = text(f, "referenceTo");
                if (to == null) {
                    problems.add(where + ": Must specify 'referenceTo' for a CustomField of type " + type);
                } else if (!objectNames.contains(to)) {
                    problems.add(where + ": referenceTo value of '" + to + "' does not resolve to a valid sObject type");
                }
                String relationshipName = text(f, "relationshipName");
                if (relationshipName == null || !relationshipName.matches(API_NAME) || relationshipName.length() > 40) {
                    problems.add(where + ": relationshipName must be a valid API name (letters, digits, single underscores, <= 40)");
                } else if (to != null) {
                    String previous = childRelationships.computeIfAbsent(to.toLowerCase(Locale.ROOT), k -> new HashMap<>())
                            .putIfAbsent(relationshipName.toLowerCase(Locale.ROOT), where);
                    if (previous != null) {
                        problems.add(where + ": duplicate relationship name " + relationshipName + " on " + to + " (also " + previous + ")");
                    }
                }
                String constraint = text(f, "deleteConstraint");
                if (type.equals("MasterDetail")) {
                    if (constraint != null) {
                        problems.add(where + ": Can not specify 'deleteConstraint' for a CustomField of type MasterDetail");
                    }
                    if (text(f, "required") != null) {
                        problems.add(where + ": Can not specify 'required' for a CustomField of type MasterDetail");
                    }
                    if (!object.endsWith("__c")) {
                        problems.add(where + ": a standard object cannot be the detail side of a master-detail relationship");
                    }
                } else {
                    if (constraint != null && !DELETE_CONSTRAINTS.contains(constraint)) {
                        problems.add(where + ": deleteConstraint " + constraint + " is not one of " + DELETE_CONSTRAINTS);
                    }
                    if (required && !"Restrict".equals(constraint)) {
                        problems.add(where + ": a required lookup must have deleteConstraint Restrict (SetNull cannot clear a"
                                + " required field)");
                    }
                    if ("Cascade".equals(constraint)) {
                        problems.add(where + ": deleteConstraint Cascade on a lookup needs Salesforce Support to enable it; use"
                                + " SetNull, Restrict or a master-detail field");
                    }
                }
            }
            default -> {
                // TextArea, Email, Phone, Url, Date, DateTime: no attributes to check here
            }
        }
    }

    private static void checkValues(String where, NodeList values, List<String> problems) {
        Set<String> seen = new HashSet<>();
        int defaults = 0;
        for (int i = 0; i < values.getLength(); i++) {
            Element v = (Element) values.item(i);
            String name = text(v, "fullName");
            if (name == null || name.isBlank()) {
                problems.add(where + ": a picklist value without fullName");
            } else if (name.length() > 255) {
                problems.add(where + ": picklist value longer than 255 characters");
            } else if (!seen.add(name.toLowerCase(Locale.ROOT))) {
                problems.add(where + ": Duplicate picklist value: " + name);
            }
            if ("true".equals(text(v, "default"))) {
                defaults++;
            }
        }
        if (values.getLength() == 0) {
            problems.add(where + ": a value set needs at least one value");
        }
        if (defaults > 1) {
            problems.add(where + ": at most one picklist value can be the default");
        }
    }

    // --- helpers ------------------------------------------------------------------------------------------------------

    private static Integer integer(String where, Element f, String name, List<String> problems) {
        String s = text(f, name);
        if (s == null) {
            return null;
        }
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            problems.add(where + ": " + name + " is not a number: " + s);
            return null;
        }
    }

    private static List<Path> dirs(Path dir) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, Files::isDirectory)) {
            s.forEach(out::add);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + dir, e);
        }
        out.sort(null);
        return out;
    }

    private static List<Path> files(Path dir, String glob) {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, glob)) {
            s.forEach(out::add);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + dir, e);
        }
        out.sort(null);
        return out;
    }

    static Element parse(Path file, List<String> problems) {
        try (InputStream in = Files.newInputStream(file)) {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setExpandEntityReferences(false);
            return factory.newDocumentBuilder().parse(in).getDocumentElement();
        } catch (Exception e) {
            problems.add(file.getFileName() + ": not well-formed XML: " + e.getMessage());
            return null;
        }
    }

    static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().strip();
    }
}
