package io.hearth.crm;

/** The writer stopped writing (API limit, budget reserve, open circuit): the batch rolls back and stays queued. */
public class CrmWriterPausedException extends Exception {

    public CrmWriterPausedException(String message) {
        super(message);
    }
}
