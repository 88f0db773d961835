package io.hearth.queue;

import java.util.Optional;

/**
 * A stage that holds its messages on purpose (the CRM writer paused for the API limit, or switched off): the queue
 * watchdog reports why nothing leaves the queue instead of calling it a stall. The stage's own health component says
 * whether that is fine.
 */
public interface QueueHold {

    /** The stage queue this is about. */
    String queue();

    /** Why the stage holds its messages now; empty when it should be consuming. */
    Optional<String> holdReason();
}
