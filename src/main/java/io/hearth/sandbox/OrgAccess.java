package io.hearth.sandbox;

import io.hearth.sandbox.RecordStore.Stored;
import io.hearth.sandbox.SandboxSchema.Field;
import io.hearth.sandbox.SandboxSchema.SObjectType;

/**
 * Whose call it is and what it may do: the integration user's permission set (object and field permissions, View All
 * / Modify All), or unrestricted (no permission set configured, or an administrator's call); who owns what is written.
 */
final class OrgAccess {

    /** The user API calls run as (the integration user) and the one that owns seeded records (created in the UI). */
    static final String INTEGRATION_USER = "005HS0000000001AAA";
    static final String OTHER_USER = "005HS0000000002AAA";

    /** The integration user's permissions; null: unrestricted (a System Administrator). */
    private volatile IntegrationAccess access;
    private final ThreadLocal<Boolean> admin = new ThreadLocal<>();

    void restrictTo(IntegrationAccess access) {
        this.access = access;
    }

    /** The current call's permissions: null when unrestricted (no permission set configured, or an admin's call). */
    IntegrationAccess current() {
        return Boolean.TRUE.equals(admin.get()) ? null : access;
    }

    void runAsAdmin(boolean asAdmin) {
        if (asAdmin) {
            admin.set(true);
        } else {
            admin.remove();
        }
    }

    /** The owner of a record created now: another user when seeded or written by an administrator. */
    String newOwner(boolean seeding) {
        return seeding || Boolean.TRUE.equals(admin.get()) ? OTHER_USER : INTEGRATION_USER;
    }

    /** Object-level security for an API call: INVALID_TYPE when the object is invisible, else the access check. */
    void checkObject(SObjectType type, String what, boolean allowed) {
        IntegrationAccess a = current();
        if (a == null) {
            return;
        }
        if (!a.object(type.name).read()) {
            throw RecordException.of("INVALID_TYPE", "sObject type '" + type.name + "' is not supported.");
        }
        if (!allowed) {
            throw RecordException.of("INSUFFICIENT_ACCESS_OR_READONLY", "insufficient access rights on object: the integration user may not "
                    + what + " " + type.name);
        }
    }

    /** Field-level security: an unreadable field does not exist for the user, a read-only one cannot be written. */
    void checkField(SObjectType type, Field field) {
        IntegrationAccess a = current();
        if (a == null) {
            return;
        }
        if (!a.readable(type, field)) {
            throw RecordException.of("INVALID_FIELD", "No such column '" + field.name() + "' on sobject of type " + type.name, field.name());
        }
        if (field.writable() && !a.editable(type, field)) {
            throw RecordException.of("INVALID_FIELD_FOR_INSERT_UPDATE", "Unable to create/update fields: " + field.name()
                    + ". Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
                    field.name());
        }
    }

    /** Deleting (or purging) a record someone else owns needs Modify All on its object; null: allowed. */
    SfError deleteRefused(SObjectType type, Stored s) {
        IntegrationAccess a = current();
        if (a == null) {
            return null;
        }
        IntegrationAccess.ObjectPermission p = a.object(type.name);
        if (!p.read() || !p.delete()) {
            return SfError.of("INSUFFICIENT_ACCESS_OR_READONLY", "insufficient access rights on object id: the integration user may not"
                    + " delete " + type.name);
        }
        String owner = s.fields().path("OwnerId").asText(OTHER_USER);
        if (!owner.equals(INTEGRATION_USER) && !p.modifyAll()) {
            return SfError.of("INSUFFICIENT_ACCESS_OR_READONLY", "insufficient access rights on object id: the record is owned by another"
                    + " user (" + owner + ") and the integration user has no Modify All on " + type.name);
        }
        return null;
    }
}
