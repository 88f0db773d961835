package io.hearth.privacy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.hearth.queue.BatchTransaction;

/**
 * Closes the race between an enrich batch and an erasure (issue 18, item 10). The enrich stage checks the suppression
 * list when it processes a mention, but its mention-log rows commit only with the batch: an erasure that suppressed the
 * author and deleted the author's rows in between would find nothing to delete, and the batch's commit would bring the
 * rows (contact, handle, text) back.
 *
 * <p>The fence is a participant of the batch, enlisted after the mention log, so its check runs after the log has
 * committed: it reads the suppression list from the database (not the cached copy) for every author the batch admitted.
 * <ul>
 * <li>an author suppressed before that read: the fence deletes the batch's rows of that author and fails the batch; the
 * batch rolls back (its CRM commands are not sent) and is redelivered, and the redelivered mentions are treated as a
 * suppressed author's (pseudonymous rows, no contact);</li>
 * <li>an author suppressed after that read: the erasure deletes the person's rows after it has suppressed them (and
 * after its CRM work), so those deletes see the already committed rows.</li>
 * </ul>
 * A crash between the log's commit and the fence's check is left to {@link PrivacyJobs#sweepLateRows()}.
 */
final class PrivacyFence implements BatchTransaction.Participant {

    private final PrivacyStore store;
    private final Runnable detach;
    /** author key → the batch's mention ids of that author that were processed as not suppressed. */
    private final Map<String, List<String>> admitted = new LinkedHashMap<>();

    PrivacyFence(PrivacyStore store, Runnable detach) {
        this.store = store;
        this.detach = detach;
    }

    void admitted(String authorKey, String mentionId) {
        admitted.computeIfAbsent(authorKey, k -> new ArrayList<>()).add(mentionId);
    }

    @Override
    public void beforeCommit() {
        detach.run();
        if (admitted.isEmpty()) {
            return;
        }
        Set<String> erased = store.suppressedNow(admitted.keySet());
        if (erased.isEmpty()) {
            return;
        }
        List<String> mentions = new ArrayList<>();
        erased.forEach(key -> mentions.addAll(admitted.get(key)));
        store.forgetLateRows(erased, mentions);
        throw new ErasedMeanwhileException(erased.size());
    }

    @Override
    public void afterRollback() {
        detach.run();
    }

    /** The batch is rolled back and redelivered: some of its authors were erased while it was open. */
    static final class ErasedMeanwhileException extends IllegalStateException {
        ErasedMeanwhileException(int authors) {
            super(authors + " author(s) of this batch were erased while it was open; the batch is redelivered");
        }
    }
}
