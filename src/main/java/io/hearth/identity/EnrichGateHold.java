package io.hearth.identity;

import java.util.Optional;

import io.hearth.queue.QueueHold;
import io.hearth.queue.StageQueues;
import org.springframework.stereotype.Component;

/**
 * social.mentions is held on purpose until the hub has a contact directory to judge by (docs/enrichment.md): the
 * queue watchdog reports that instead of a stall; the readiness health component says why the directory is missing.
 */
@Component
class EnrichGateHold implements QueueHold {

    private final DirectoryReadiness readiness;

    EnrichGateHold(DirectoryReadiness readiness) {
        this.readiness = readiness;
    }

    @Override
    public String queue() {
        return StageQueues.MENTIONS;
    }

    @Override
    public Optional<String> holdReason() {
        return readiness.getAsBoolean() ? Optional.empty()
                : Optional.of("enrich stage waits for the first contact-directory sync (health: directoryReadiness)");
    }
}
