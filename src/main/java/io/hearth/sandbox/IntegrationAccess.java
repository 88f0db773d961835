package io.hearth.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The integration user's permissions, read from a permission set ({@code *.permissionset-meta.xml}): object CRUD, View
 * All / Modify All, field-level security and system permissions. The sandbox checks every data call against it, as an org
 * checks a user who has exactly that permission set on a minimal profile (no access of its own). Fields without
 * field-level security in Salesforce (Id, Name, system fields, required fields, master-detail fields) are always allowed.
 */
final class IntegrationAccess {

    record ObjectPermission(boolean create, boolean read, boolean edit, boolean delete, boolean viewAll, boolean modifyAll) {
    }

    /** Fields every user with object access sees (no field-level security). */
    static final Set<String> ALWAYS = Set.of("id", "isdeleted", "createddate", "lastmodifieddate", "systemmodstamp", "name",
            "ownerid", "lastname", "casenumber", "status");

    private final Path source;
    private final Map<String, ObjectPermission> objects = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    /** "object.field" (lower case) → editable. */
    private final Map<String, Boolean> fields = new TreeMap<>();
    private final Set<String> userPermissions = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);

    private IntegrationAccess(Path source) {
        this.source = source;
    }

    static IntegrationAccess load(Path permissionSet) {
        java.util.List<String> problems = new ArrayList<>();
        Element root = DeployRules.parse(permissionSet, problems);
        if (root == null) {
            throw new IllegalStateException("integration user's permission set " + permissionSet + ": " + problems);
        }
        IntegrationAccess a = new IntegrationAccess(permissionSet);
        NodeList ops = root.getElementsByTagName("objectPermissions");
        for (int i = 0; i < ops.getLength(); i++) {
            Element o = (Element) ops.item(i);
            a.objects.put(DeployRules.text(o, "object"), new ObjectPermission(flag(o, "allowCreate"), flag(o, "allowRead"),
                    flag(o, "allowEdit"), flag(o, "allowDelete"), flag(o, "viewAllRecords"), flag(o, "modifyAllRecords")));
        }
        NodeList fps = root.getElementsByTagName("fieldPermissions");
        for (int i = 0; i < fps.getLength(); i++) {
            Element f = (Element) fps.item(i);
            if (flag(f, "readable") || flag(f, "editable")) {
                a.fields.put(DeployRules.text(f, "field").toLowerCase(Locale.ROOT), flag(f, "editable"));
            }
        }
        NodeList ups = root.getElementsByTagName("userPermissions");
        for (int i = 0; i < ups.getLength(); i++) {
            Element u = (Element) ups.item(i);
            if (flag(u, "enabled")) {
                a.userPermissions.add(DeployRules.text(u, "name"));
            }
        }
        return a;
    }

    private static boolean flag(Element e, String name) {
        return "true".equals(DeployRules.text(e, name));
    }

    Path source() {
        return source;
    }

    ObjectPermission object(String name) {
        ObjectPermission p = objects.get(name);
        return p == null ? new ObjectPermission(false, false, false, false, false, false) : p;
    }

    boolean hasUserPermission(String name) {
        return userPermissions.contains(name);
    }

    boolean readable(SandboxSchema.SObjectType type, SandboxSchema.Field field) {
        return type.platformEvent || noFls(field) || fields.containsKey(key(type, field));
    }

    boolean editable(SandboxSchema.SObjectType type, SandboxSchema.Field field) {
        // platform event fields have no field-level security: create permission on the event is all it takes
        return type.platformEvent || noFls(field) || Boolean.TRUE.equals(fields.get(key(type, field)));
    }

    private static boolean noFls(SandboxSchema.Field field) {
        return ALWAYS.contains(field.name().toLowerCase(Locale.ROOT)) || (field.required() && field.writable());
    }

    private static String key(SandboxSchema.SObjectType type, SandboxSchema.Field field) {
        return (type.name + "." + field.name()).toLowerCase(Locale.ROOT);
    }
}
