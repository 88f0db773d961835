package io.hearth.crm;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.hearth.crm.salesforce.CrmCallException;
import io.hearth.crm.salesforce.SalesforceCollections;
import io.hearth.crm.salesforce.SalesforceCollections.CallResult;
import io.hearth.crm.salesforce.SalesforceCollections.RecordResult;
import io.hearth.queue.BatchTransaction;
import io.hearth.queue.DeadLetterPublisher;
import io.hearth.queue.StageQueueConsumer;
import io.hearth.queue.StageQueues;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Component;

/**
 * Executes the CRM commands of one crm.outbound batch (route {@code crm-writer}). Each message's command joins the
 * batch's JMS transaction as pending work; the records are written with sObject Collections calls (per object and
 * op, at most 200 records a call) before the batch commits: upserts as soon as a full call is pending and refers to no
 * pending parent, the rest just before the commit. Where a batch ends is {@link CrmBatchPolicy}'s decision. Updates of one record within a batch collapse into one (later values win per field), as do upserts of
 * one external id. A record Salesforce refuses goes to {@code DLQ.crm.outbound} with its error code, inside the same
 * transaction; a call that cannot be made (limit, dead org) rolls the batch back, so it stays queued and is sent again
 * later: upserts by external id and updates by id are idempotent, so nothing is written twice.
 * <p>
 * Exactly once into the CRM (issue 18): the records are written before the JMS commit, so a crash or a failed commit
 * in between would deliver the batch again and write its records a second time. {@link CrmWrittenMarks} closes that
 * window down to one call: each message is marked (state database, auto-committed) right after Salesforce answered that
 * its record was written, a redelivered message that finds its mark is consumed without a call, and the marks are
 * forgotten once the batch committed. No call is made once the batch's broker session is gone
 * ({@link BatchTransaction#alive}): its messages may be another hub's writer's by then.
 */
@Component("crmWriter")
public class CrmWriter {

    public static final String ERROR_CODE_HEADER = "HearthCrmErrorCode";
    public static final String ERROR_MESSAGE_HEADER = "HearthCrmErrorMessage";
    public static final String ERROR_FIELDS_HEADER = "HearthCrmErrorFields";
    public static final String OBJECT_HEADER = "HearthCrmObject";
    /** Record errors worth another try: another transaction held the row. */
    static final Set<String> RETRYABLE = Set.of("UNABLE_TO_LOCK_ROW");

    private static final Logger LOG = LoggerFactory.getLogger(CrmWriter.class);

    /**
     * A record error worth another try: UNABLE_TO_LOCK_ROW; and DUPLICATE_VALUE of an upsert, which a real org answers when
     * another transaction (a second hub, a replay) inserted the same external id at the same moment: tried again, the
     * upsert finds that record and updates it. (A duplicate that stays is dead-lettered after the record retries.)
     */
    static boolean retryable(CrmCommand.Op op, String errorCode) {
        return RETRYABLE.contains(errorCode) || (op == CrmCommand.Op.upsert && "DUPLICATE_VALUE".equals(errorCode));
    }

    private final CrmCommands commands;
    private final SalesforceCollections salesforce;
    private final CrmWriterControl control;
    private final CrmWriterSettings settings;
    private final DeadLetterPublisher deadLetters;
    private final MeterRegistry meters;
    private final Counter notCommands;
    private final List<CrmCommandGate> gates;
    private final CrmWrittenMarks marks;
    private volatile long lastPurge = System.nanoTime();

    public CrmWriter(CrmCommands commands, SalesforceCollections salesforce, CrmWriterControl control, CrmWriterSettings settings,
            DeadLetterPublisher deadLetters, MeterRegistry meters, ObjectProvider<CrmCommandGate> gates, CrmWrittenMarks marks) {
        this.gates = gates.orderedStream().toList();
        this.marks = marks;
        this.commands = commands;
        this.salesforce = salesforce;
        this.control = control;
        this.settings = settings;
        this.deadLetters = deadLetters;
        this.meters = meters;
        this.notCommands = Counter.builder("hearth.crm.records").tag("object", "none").tag("outcome", "not_a_command")
                .description("CRM records by outcome").register(meters);
    }

    /** One message of the batch: a command joins the batch's pending writes; anything else is dead-lettered. */
    public void accept(Exchange exchange) throws Exception {
        String body = exchange.getMessage().getBody(String.class);
        CrmCommand command;
        try {
            command = commands.parse(body);
        } catch (InvalidCrmCommandException e) {
            notCommands.increment();
            deadLetters.send(exchange, stageOf(exchange), CrmWriterControl.ROUTE_ID, e.getMessage(), InvalidCrmCommandException.class.getName());
            return;
        }
        for (CrmCommandGate gate : gates) {
            if (gate.drops(command)) {
                // e.g. queued before its contact was erased: consumed, never written (docs/privacy.md)
                records(command.object(), "dropped").increment();
                return;
            }
        }
        BatchTransaction tx = exchange.getProperty(BatchTransaction.PROPERTY, BatchTransaction.class);
        Batch batch = tx == null ? null : tx.participant(this, () -> new Batch(tx));
        if (batch == null) {
            throw new IllegalStateException("the CRM writer runs only on a stage queue batch (queue:crm.outbound)");
        }
        batch.add(command, exchange.copy());
    }

    private static String stageOf(Exchange exchange) {
        String stage = exchange.getProperty(StageQueueConsumer.STAGE_PROPERTY, String.class);
        return stage == null ? StageQueues.CRM_OUTBOUND : stage;
    }

    private record GroupKey(CrmCommand.Op op, String object, String externalIdField) {
    }

    /** One target record: its fields merged from every command for it in this batch, and those commands' messages. */
    private static final class Pending {
        final Map<String, Object> fields = new LinkedHashMap<>();
        final List<Exchange> sources = new ArrayList<>(1);
        int attempts;

        /** The JMS message ids of its commands (a message without one is never marked, so always sent). */
        List<String> messageIds() {
            List<String> ids = new ArrayList<>(sources.size());
            for (Exchange source : sources) {
                String id = source.getMessage().getHeader(MESSAGE_ID_HEADER, String.class);
                if (id != null) {
                    ids.add(id);
                }
            }
            return ids;
        }
    }

    /** Set from the JMS message by the stage queue consumer; the broker keeps it across redeliveries and restarts. */
    static final String MESSAGE_ID_HEADER = "JMSMessageID";

    /** The pending writes of one JMS batch; written before its commit. */
    private final class Batch implements BatchTransaction.Participant {

        private final BatchTransaction tx;
        private final Map<GroupKey, Map<String, Pending>> groups = new LinkedHashMap<>();
        /** Messages of this batch marked as written (now or before a crash): forgotten once the batch commits. */
        private final Set<String> marked = new HashSet<>();
        private boolean calledYet;

        Batch(BatchTransaction tx) {
            this.tx = tx;
        }

        void add(CrmCommand command, Exchange source) throws Exception {
            GroupKey key = new GroupKey(command.op(), command.object(), command.externalIdField());
            Map<String, Pending> group = groups.computeIfAbsent(key, k -> new LinkedHashMap<>());
            // Salesforce compares external ids case-insensitively: two spellings in one call would be DUPLICATE_VALUE.
            String recordKey = command.op() == CrmCommand.Op.upsert ? command.externalId().toLowerCase(Locale.ROOT) : command.id();
            Pending pending = group.computeIfAbsent(recordKey, k -> new Pending());
            if (command.op() == CrmCommand.Op.upsert) {
                pending.fields.put(command.externalIdField(), command.externalId());
            } else {
                pending.fields.put("Id", command.id());
            }
            pending.fields.putAll(command.fields());
            pending.sources.add(source);
            // Upserts do not collapse much: write them as soon as a call is full. Updates wait for the commit, so that
            // every update of a contact within the batch collapses into one record.
            if (command.op() == CrmCommand.Op.upsert && group.size() >= settings.getRecordsPerCall()) {
                sendFullCalls();
            }
        }

        /**
         * Sends every full call (records-per-call records, the oldest first) of the upsert groups whose records refer to
         * no pending record. A full call of children (rewards of mentions) whose parents are still pending waits until
         * the parents' own call is full (or the commit), instead of pushing the parents out in a part-filled call: in a
         * stream every such push would cost a call. Sending one group's call may free another's, hence the loop.
         */
        private void sendFullCalls() throws Exception {
            int perCall = settings.getRecordsPerCall();
            boolean sent = true;
            while (sent) {
                sent = false;
                for (Map.Entry<GroupKey, Map<String, Pending>> entry : new ArrayList<>(groups.entrySet())) {
                    GroupKey key = entry.getKey();
                    Map<String, Pending> group = entry.getValue();
                    while (key.op() == CrmCommand.Op.upsert && group.size() >= perCall) {
                        List<String> ids = new ArrayList<>(perCall);
                        List<Pending> call = new ArrayList<>(perCall);
                        for (Map.Entry<String, Pending> record : group.entrySet()) {
                            ids.add(record.getKey());
                            call.add(record.getValue());
                            if (call.size() == perCall) {
                                break;
                            }
                        }
                        if (!parentsOf(key, call).isEmpty()) {
                            break;
                        }
                        ids.forEach(group::remove);
                        write(key, call);
                        sent = true;
                    }
                }
            }
        }

        @Override
        public void beforeCommit() throws Exception {
            for (GroupKey key : new ArrayList<>(groups.keySet())) {
                flushWithParents(key, new HashSet<>());
            }
            groups.clear();
        }

        /**
         * Writes a group after the pending records its records refer to: a {@code "Mention__r": {"External_Id__c": "x:1"}}
         * reference needs its Social_Mention__c written first, or Salesforce refuses the child with
         * INVALID_CROSS_REFERENCE_KEY / INVALID_FIELD. The parent group is found by the external id itself among this
         * batch's pending upserts, so no object metadata is needed. A reference cycle is broken where it closes.
         */
        private void flushWithParents(GroupKey key, Set<GroupKey> visiting) throws Exception {
            Map<String, Pending> group = groups.get(key);
            if (group == null || group.isEmpty() || !visiting.add(key)) {
                return;
            }
            for (GroupKey parent : parentsOf(key, group.values())) {
                flushWithParents(parent, visiting);
            }
            flush(key, group);
        }

        private Set<GroupKey> parentsOf(GroupKey child, java.util.Collection<Pending> records) {
            Set<GroupKey> parents = new LinkedHashSet<>();
            for (Pending p : records) {
                for (Object value : p.fields.values()) {
                    if (!(value instanceof Map<?, ?> reference) || reference.size() != 1) {
                        continue;
                    }
                    Map.Entry<?, ?> ref = reference.entrySet().iterator().next();
                    if (ref.getValue() == null) {
                        continue;
                    }
                    String field = String.valueOf(ref.getKey());
                    String externalId = String.valueOf(ref.getValue()).toLowerCase(Locale.ROOT);
                    for (Map.Entry<GroupKey, Map<String, Pending>> other : groups.entrySet()) {
                        GroupKey k = other.getKey();
                        if (!k.equals(child) && k.op() == CrmCommand.Op.upsert && field.equalsIgnoreCase(k.externalIdField())
                                && other.getValue().containsKey(externalId)) {
                            parents.add(k);
                        }
                    }
                }
            }
            return parents;
        }

        @Override
        public void afterRollback() {
            // the marks stay: the redelivered messages must find them
            groups.clear();
            marked.clear();
        }

        @Override
        public void afterCommit() {
            if (!marked.isEmpty()) {
                marks.forget(marked);   // a failure leaves rows the purge removes; their messages never come again
                marked.clear();
            }
            long now = System.nanoTime();
            if (now - lastPurge > PURGE_EVERY.toNanos()) {
                lastPurge = now;
                int purged = marks.purgeOlderThan(settings.getWrittenMarksRetention());
                if (purged > 0) {
                    LOG.info("Purged {} CRM written mark(s) older than {}", purged, settings.getWrittenMarksRetention());
                }
            }
        }

        /**
         * The records of the chunk minus those already written before a crash: a record whose every message is marked was
         * written, and its batch did not commit (kill -9, a failed commit). Consumed without a call. A record merged from
         * marked and unmarked messages is sent (it carries the unmarked ones' fields).
         */
        private List<Pending> notWrittenYet(GroupKey key, List<Pending> chunk) {
            List<String> ids = new ArrayList<>();
            for (Pending p : chunk) {
                ids.addAll(p.messageIds());
            }
            Set<String> written;
            try {
                written = marks.written(ids);
            } catch (RuntimeException e) {
                // the state database is unreachable: write anyway (an upsert by key is idempotent); at worst a rewrite
                LOG.warn("Could not read the CRM written marks ({}); writing {} record(s) of {} without the check",
                        e.getClass().getName(), chunk.size(), key.object());
                return chunk;
            }
            if (written.isEmpty()) {
                return chunk;
            }
            List<Pending> todo = new ArrayList<>(chunk.size());
            int skipped = 0;
            for (Pending p : chunk) {
                List<String> mine = p.messageIds();
                if (!mine.isEmpty() && written.containsAll(mine)) {
                    skipped++;
                    marked.addAll(mine);
                } else {
                    todo.add(p);
                }
            }
            if (skipped > 0) {
                records(key.object(), "already_written").increment(skipped);
                LOG.info("{} {} record(s) of {} were written before the last crash or rollback; not sent again", skipped,
                        key.op(), key.object());
            }
            return todo;
        }

        /** Marks the messages of records Salesforce just wrote, before anything else can happen to the batch. */
        private void markWritten(List<String> ids) {
            if (ids.isEmpty()) {
                return;
            }
            try {
                marks.mark(ids);
                marked.addAll(ids);
            } catch (RuntimeException e) {
                // written all the same; only a crash before the commit would now write them again
                LOG.warn("Could not mark {} CRM message(s) as written ({}); a redelivery would write them again", ids.size(),
                        e.getClass().getName());
            }
        }

        private void flush(GroupKey key, Map<String, Pending> group) throws Exception {
            List<Pending> all = new ArrayList<>(group.values());
            group.clear();
            for (int from = 0; from < all.size(); from += settings.getRecordsPerCall()) {
                write(key, all.subList(from, Math.min(all.size(), from + settings.getRecordsPerCall())));
            }
        }

        private void write(GroupKey key, List<Pending> chunk) throws Exception {
            List<Pending> todo = notWrittenYet(key, chunk);
            long delay = settings.getRetryInitialDelay().toMillis();
            while (!todo.isEmpty()) {
                CallResult result;
                try {
                    result = call(key, todo);
                } catch (CrmCallException rejected) {
                    // The request as a whole was refused (4xx other than the limit): every record in it fails with that code.
                    for (Pending p : todo) {
                        deadLetter(key, p, rejected.errorCode(), rejected.getMessage(), List.of());
                    }
                    return;
                }
                List<Pending> retry = new ArrayList<>();
                int written = 0;
                List<String> writtenIds = new ArrayList<>();
                for (int i = 0; i < todo.size(); i++) {
                    if (result.records().get(i).success()) {
                        writtenIds.addAll(todo.get(i).messageIds());
                    }
                }
                markWritten(writtenIds);
                for (int i = 0; i < todo.size(); i++) {
                    RecordResult r = result.records().get(i);
                    Pending p = todo.get(i);
                    if (r.success()) {
                        written++;
                    } else if (retryable(key.op(), r.errorCode()) && p.attempts < settings.getRecordRetries()) {
                        p.attempts++;
                        retry.add(p);
                    } else {
                        String message = r.message() + (retryable(key.op(), r.errorCode()) ? " (after " + (p.attempts + 1) + " attempts)" : "");
                        deadLetter(key, p, r.errorCode(), message, r.fields());
                    }
                }
                records(key.object(), "written").increment(written);
                if (!retry.isEmpty()) {
                    records(key.object(), "retried").increment(retry.size());
                    LOG.info("{} {} record(s) of {} failed with a retryable error; retrying in {} ms", retry.size(), key.op(),
                            key.object(), delay);
                    sleep(delay);
                    delay = Math.min(delay * 2, settings.getRetryMaxDelay().toMillis());
                }
                todo = retry;
            }
        }

        /**
         * One call, retried with back-off while the org is unavailable; REJECTED is thrown for the caller. When the writer
         * pauses (limit, open circuit, access refused) the batch is held here, its transaction open, until the writer
         * resumes; then the call is made again.
         */
        private CallResult call(GroupKey key, List<Pending> records) throws Exception {
            List<Map<String, Object>> bodies = new ArrayList<>(records.size());
            for (Pending p : records) {
                bodies.add(p.fields);
            }
            long delay = settings.getRetryInitialDelay().toMillis();
            int failures = 0;
            while (true) {
                control.holdWhilePaused(calledYet);
                if (!tx.alive()) {
                    // The batch's JMS session died (the broker went away) while it was held or between two attempts: it
                    // cannot commit, and the broker hands its messages to another consumer, perhaps another hub's writer,
                    // which checks the marks and writes them. A call now would write them a second time (docs/reliability.md
                    // "Broker restart"). The batch rolls back; what it wrote before is marked.
                    throw new BatchSessionLostException(key.op() + " of " + records.size() + " " + key.object()
                            + " record(s) not sent: the batch's broker session is gone");
                }
                calledYet = true;
                try {
                    CallResult result = key.op() == CrmCommand.Op.upsert
                            ? salesforce.upsert(key.object(), key.externalIdField(), bodies)
                            : salesforce.update(key.object(), bodies);
                    control.callSucceeded(result.usage());
                    return result;
                } catch (CrmCallException e) {
                    switch (e.kind()) {
                        case REQUEST_LIMIT -> control.requestLimitExceeded(e.getMessage());
                        case ACCESS -> control.accessRefused(e.getMessage());
                        case UNAVAILABLE -> {
                            failures++;
                            boolean open = control.callFailed(e.getMessage());
                            if (!open && failures > settings.getCallRetries()) {
                                control.openCircuit(failures + " failed attempts of one call, last: " + e.getMessage());
                                open = true;
                            }
                            if (open) {
                                // held at the top of the loop until a probe finds the org back; then a fresh series of retries
                                failures = 0;
                                delay = settings.getRetryInitialDelay().toMillis();
                                continue;
                            }
                            // status and code only: Salesforce's message may quote a record's values (log hygiene)
                            LOG.warn("{} of {} failed (HTTP {} {}); retry {} of {} in {} ms", key.op(), key.object(), e.status(),
                                    e.errorCode() == null ? "-" : e.errorCode(), failures, settings.getCallRetries(), delay);
                            LOG.debug("{} of {} failed: {}", key.op(), key.object(), e.getMessage());
                            sleep(delay);
                            delay = Math.min(delay * 2, settings.getRetryMaxDelay().toMillis());
                        }
                        default -> throw e;
                    }
                }
            }
        }

        private void deadLetter(GroupKey key, Pending p, String code, String message, List<String> fields) throws Exception {
            records(key.object(), "dead_lettered").increment(p.sources.size());
            // The error message may quote a value: it goes with the message into the DLQ, never into the log.
            LOG.warn("Salesforce refused a {} of {}: {}; dead-lettering {} message(s)", key.op(), key.object(), code, p.sources.size());
            for (Exchange source : p.sources) {
                source.getMessage().setHeader(ERROR_CODE_HEADER, code);
                source.getMessage().setHeader(ERROR_MESSAGE_HEADER, message);
                source.getMessage().setHeader(ERROR_FIELDS_HEADER, String.join(",", fields));
                source.getMessage().setHeader(OBJECT_HEADER, key.object());
                deadLetters.send(source, stageOf(source), CrmWriterControl.ROUTE_ID, "Salesforce " + code + ": " + message,
                        "SalesforceRecordError");
            }
        }
    }

    private Counter records(String object, String outcome) {
        return Counter.builder("hearth.crm.records").tag("object", object).tag("outcome", outcome)
                .description("CRM records by outcome").register(meters);
    }

    /** A batch whose broker session died before a call: rolled back, the call not made. */
    static final class BatchSessionLostException extends Exception {
        BatchSessionLostException(String message) {
            super(message);
        }
    }

    /** How often, at most, a commit also purges marks older than the retention. */
    private static final java.time.Duration PURGE_EVERY = java.time.Duration.ofHours(1);

    private static void sleep(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }
}
