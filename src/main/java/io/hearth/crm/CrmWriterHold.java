package io.hearth.crm;

import java.util.Optional;

import io.hearth.queue.QueueHold;
import io.hearth.queue.StageQueues;
import org.springframework.stereotype.Component;

/** crm.outbound is held on purpose while the writer is paused (limit, reserve, open circuit, access refused) or off. */
@Component
class CrmWriterHold implements QueueHold {

    private final CrmWriterControl control;

    CrmWriterHold(CrmWriterControl control) {
        this.control = control;
    }

    @Override
    public String queue() {
        return StageQueues.CRM_OUTBOUND;
    }

    @Override
    public Optional<String> holdReason() {
        CrmWriterControl.Status s = control.status();
        return switch (s.state()) {
            case RUNNING -> Optional.empty();
            case DISABLED -> Optional.of("CRM writer disabled (hearth.crm.writer.enabled=false)");
            case PAUSED -> Optional.of("CRM writer paused (" + s.why() + "): " + s.reason());
        };
    }
}
