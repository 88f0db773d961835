package io.hearth.rules.triggers;

import java.time.Clock;
import java.util.List;

/**
 * Job {@code job-reward-triggers}: the outbox rows not queued yet go on {@code rewards.triggers}, then are marked
 * queued. A crash in between queues them again next time: the sender skips what is delivered, the receiver dedups the
 * rest by event id.
 */
public class RewardTriggerJob {

    private final RewardTriggers triggers;
    private final Clock clock;
    private final int batch;

    public RewardTriggerJob(RewardTriggers triggers, Clock clock, int batch) {
        this.triggers = triggers;
        this.clock = clock;
        this.batch = batch;
    }

    public List<RewardTriggers.Event> due() {
        return triggers.due(batch);
    }

    public void queued(List<RewardTriggers.Event> events) {
        triggers.queued(events, clock.instant());
    }
}
