package io.hearth.service;

import io.hearth.queue.StageQueues;

/** The service's queue: agents' replies on their way to the channels (a stage queue with its DLQ). */
public final class ServiceQueues {

    public static final String REPLIES = StageQueues.SERVICE_REPLIES;

    private ServiceQueues() {
    }
}
