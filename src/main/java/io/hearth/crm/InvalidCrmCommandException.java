package io.hearth.crm;

/** A message on crm.outbound that is not a CRM command the writer can execute (it is dead-lettered, never retried). */
public class InvalidCrmCommandException extends Exception {

    public InvalidCrmCommandException(String message) {
        super(message);
    }
}
