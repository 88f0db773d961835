package io.hearth.crm;

/**
 * A last check before the CRM writer executes a command: a gate that says {@code drops} makes the writer consume the
 * command without writing it (counted as outcome {@code dropped}). The privacy module uses it so that commands queued
 * before an erasure or a post deletion cannot bring the deleted data back.
 */
public interface CrmCommandGate {

    boolean drops(CrmCommand command);
}
