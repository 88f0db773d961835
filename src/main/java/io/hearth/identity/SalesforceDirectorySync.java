package io.hearth.identity;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import io.hearth.crm.salesforce.Soql;
import io.hearth.state.SourceCheckpoints;

/**
 * The decisions of the contact directory sync (route {@code job-directory-sync}, routes/jobs/directory-sync.camel.yaml):
 * which SOQL to run, what a page of records means for the local directory, where the next sync starts.
 * <ul>
 * <li>Full load when there is no checkpoint or the last full load is older than {@code hearth.directory.full-sync-interval}:
 * every Social_Identity__c with its contact's Social_Consent__c; afterwards the identities that load did not see
 * (deleted in the CRM) are dropped.</li>
 * <li>Otherwise incremental: identities with {@code SystemModstamp > <last seen> - hearth.directory.overlap} ({@code queryAll}, so identities
 * in the recycle bin come back with {@code IsDeleted = true} and are removed), and contacts with
 * {@code SystemModstamp > <last seen>}, whose Social_Consent__c is copied to their identities (a consent change touches
 * the Contact, not the identity).</li>
 * <li>Pages through {@code nextRecordsUrl}; the checkpoint (table hearth_source_checkpoint, source {@code directory})
 * moves only when a whole sync succeeded, so a failed sync is repeated from where the last good one ended.</li>
 * </ul>
 */
@Component("directorySync")
public class SalesforceDirectorySync {

    private static final Logger log = LoggerFactory.getLogger(SalesforceDirectorySync.class);

    public static final String RUN = "HearthDirectorySync";
    public static final String NEXT_RECORDS_URL = "HearthNextRecordsUrl";
    static final String CHECKPOINT = "directory";

    static final String IDENTITY = "Social_Identity__c";
    static final List<String> IDENTITY_FIELDS = List.of("Id", "IsDeleted", "Channel__c", "Handle__c", "External_Id__c",
            "Contact__c", "Verified__c", "Contact__r.Social_Consent__c", "Contact__r.SystemModstamp", "SystemModstamp");
    static final List<String> CONTACT_FIELDS = List.of("Id", "IsDeleted", "Social_Consent__c", "SystemModstamp");

    /** Salesforce's dateTime as JSON carries it: 2026-11-20T10:00:00.000+0000. */
    private static final DateTimeFormatter SF_DATE_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME).optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd().toFormatter();

    enum Kind { IDENTITIES, CONTACTS }

    record Query(Kind kind, String soql) {
    }

    /** One sync in progress (exchange property {@value #RUN}). */
    public static final class Run {
        final boolean full;
        final long id;
        final Instant startedAt;
        final Checkpoint from;
        final Deque<Query> queries = new ArrayDeque<>();
        Query current;
        Instant maxIdentity;
        Instant maxContact;
        long identities;
        long deleted;
        long consentUpdates;
        long calls;
        String apiUsage;

        Run(boolean full, long id, Instant startedAt, Checkpoint from) {
            this.full = full;
            this.id = id;
            this.startedAt = startedAt;
            this.from = from;
            this.maxIdentity = from.identities;
            this.maxContact = from.contacts;
        }

        public boolean hasQuery() {
            return !queries.isEmpty();
        }

        public boolean isFull() {
            return full;
        }
    }

    /** Where the last good sync ended. */
    record Checkpoint(Instant identities, Instant contacts, Instant lastFullAt, long run) {
        static final Checkpoint NONE = new Checkpoint(null, null, null, 0);
    }

    private final SourceCheckpoints checkpoints;
    private final DirectoryStore store;
    private final DirectorySyncStatus status;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();
    private final Duration fullSyncInterval;
    private final boolean syncConsent;
    private final AtomicBoolean running = new AtomicBoolean();

    public SalesforceDirectorySync(SourceCheckpoints checkpoints, DirectoryStore store, DirectorySyncStatus status, Clock clock,
                                   Environment environment) {
        this.checkpoints = checkpoints;
        this.store = store;
        this.status = status;
        this.clock = clock;
        this.fullSyncInterval = environment.getProperty("hearth.directory.full-sync-interval", Duration.class, Duration.ofHours(24));
        this.syncConsent = environment.getProperty("hearth.directory.sync-consent", Boolean.class, true);
        this.overlap = environment.getProperty("hearth.directory.overlap", Duration.class, Duration.ofMinutes(2));
        if (overlap.isNegative()) {
            throw new io.hearth.config.HearthConfigurationException("hearth.directory.overlap", "must not be negative, was " + overlap);
        }
    }

    /** How far before the last seen SystemModstamp an incremental sync reads again (late commits, second precision). */
    private final Duration overlap;

    /** Starts a sync: full or incremental. False (and nothing to do) when another sync is still running. */
    public boolean begin(Exchange exchange) {
        if (!running.compareAndSet(false, true)) {
            log.info("Directory sync: the previous sync is still running; skipping this one");
            return false;
        }
        Checkpoint cp = loadCheckpoint();
        Instant now = clock.instant();
        boolean full = cp.identities == null || cp.lastFullAt == null
                || (!fullSyncInterval.isZero() && !cp.lastFullAt.plus(fullSyncInterval).isAfter(now));
        Run run = new Run(full, cp.run + 1, now, cp);
        Soql identities = Soql.select(IDENTITY_FIELDS.toArray(String[]::new)).from(IDENTITY);
        if (!full) {
            // Re-read an overlap window (idempotent): SystemModstamp has second precision and a transaction can commit
            // after a later one with an older stamp; "> last seen" alone would miss such records for good.
            identities.where("SystemModstamp", ">", cp.identities.minus(overlap));
        }
        run.queries.add(new Query(Kind.IDENTITIES, identities.orderBy("SystemModstamp").build()));
        if (!full && syncConsent && cp.contacts != null) {
            run.queries.add(new Query(Kind.CONTACTS, Soql.select(CONTACT_FIELDS.toArray(String[]::new)).from("Contact")
                    .where("SystemModstamp", ">", cp.contacts.minus(overlap)).orderBy("SystemModstamp").build()));
        }
        exchange.setProperty(RUN, run);
        log.debug("Directory sync {} ({}): {}", run.id, full ? "full" : "incremental", run.queries);
        return true;
    }

    /** The next SOQL to run, as the body for {@code salesforce:queryAll}. */
    public String nextQuery(Exchange exchange) {
        Run run = run(exchange);
        run.current = run.queries.poll();
        exchange.getMessage().removeHeader(NEXT_RECORDS_URL);
        return run.current.soql();
    }

    /** One page of a query's answer (raw JSON): into the directory; {@value #NEXT_RECORDS_URL} set when more follow. */
    public void applyPage(Exchange exchange) throws Exception {
        Run run = run(exchange);
        run.calls++;
        // Salesforce's answer headers come back as message headers; keep the usage, and do not send it back.
        String limitInfo = exchange.getMessage().getHeader("Sforce-Limit-Info", String.class);
        if (limitInfo != null) {
            run.apiUsage = limitInfo.startsWith("api-usage=") ? limitInfo.substring("api-usage=".length()) : limitInfo;
            exchange.getMessage().removeHeader("Sforce-Limit-Info");
        }
        JsonNode page = json.readTree(exchange.getMessage().getBody(String.class));
        JsonNode records = page.path("records");
        if (run.current.kind() == Kind.IDENTITIES) {
            applyIdentities(run, records);
        } else {
            applyContacts(run, records);
        }
        String next = page.path("done").asBoolean(true) ? null : page.path("nextRecordsUrl").asText(null);
        if (next == null || next.isBlank()) {
            exchange.getMessage().removeHeader(NEXT_RECORDS_URL);
        } else {
            exchange.getMessage().setHeader(NEXT_RECORDS_URL, next);
        }
    }

    private void applyIdentities(Run run, JsonNode records) {
        List<ContactDirectory.Entry> upserts = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        for (JsonNode r : records) {
            String id = text(r, "Id");
            Instant modstamp = instant(text(r, "SystemModstamp"));
            run.maxIdentity = max(run.maxIdentity, modstamp);
            if (run.full) {
                run.maxContact = max(run.maxContact, instant(text(r.path("Contact__r"), "SystemModstamp")));
            }
            if (id == null) {
                continue;
            }
            ContactDirectory.Entry entry = entry(r, id, modstamp);
            if (r.path("IsDeleted").asBoolean(false) || entry == null) {
                deleted.add(id);   // deleted, or no longer usable (no channel/handle)
            } else {
                upserts.add(entry);
            }
        }
        if (!run.full && (!upserts.isEmpty() || !deleted.isEmpty())) {
            // records the overlap window reads again, unchanged (or deleted and gone already): neither rewritten nor counted
            List<String> ids = new ArrayList<>(deleted);
            upserts.forEach(e -> ids.add(e.identityId()));
            Map<String, ContactDirectory.Entry> current = store.current(ids);
            upserts.removeIf(e -> e.equals(current.get(e.identityId())));
            deleted.removeIf(id -> !current.containsKey(id));
        }
        store.apply(upserts, deleted, run.id);
        run.identities += upserts.size();
        run.deleted += deleted.size();
    }

    private static ContactDirectory.Entry entry(JsonNode r, String id, Instant modstamp) {
        String channel = text(r, "Channel__c");
        String rawHandle = text(r, "Handle__c");
        String externalId = text(r, "External_Id__c");
        if ((channel == null || rawHandle == null) && externalId != null && externalId.indexOf(':') > 0) {
            channel = channel == null ? externalId.substring(0, externalId.indexOf(':')) : channel;
            rawHandle = rawHandle == null ? externalId.substring(externalId.indexOf(':') + 1) : rawHandle;
        }
        if (channel == null || channel.isBlank() || rawHandle == null) {
            return null;
        }
        String handle = HandleNormaliser.normalise(channel, rawHandle);
        if (handle == null) {
            return null;
        }
        JsonNode contact = r.path("Contact__r");
        Boolean consent = contact.isObject() && contact.hasNonNull("Social_Consent__c")
                ? contact.get("Social_Consent__c").asBoolean() : null;
        return new ContactDirectory.Entry(id, HandleNormaliser.channel(channel), handle, rawHandle, externalId,
                text(r, "Contact__c"), r.path("Verified__c").asBoolean(false), consent,
                modstamp == null ? Instant.EPOCH : modstamp);
    }

    private void applyContacts(Run run, JsonNode records) {
        Map<String, Boolean> consent = new LinkedHashMap<>();
        for (JsonNode r : records) {
            run.maxContact = max(run.maxContact, instant(text(r, "SystemModstamp")));
            String id = text(r, "Id");
            if (id == null) {
                continue;
            }
            // A deleted contact consents to nothing; its identities go with the next full load.
            boolean deleted = r.path("IsDeleted").asBoolean(false);
            consent.put(id, deleted ? Boolean.FALSE : r.hasNonNull("Social_Consent__c") ? r.get("Social_Consent__c").asBoolean() : null);
        }
        run.consentUpdates += store.updateConsent(consent);
    }

    /** The sync went through: checkpoint, drop what a full load did not see, status. */
    public void finish(Exchange exchange) {
        Run run = run(exchange);
        try {
            int dropped = run.full ? store.dropNotSeenBy(run.id) : 0;
            Instant lastFull = run.full ? run.startedAt : run.from.lastFullAt;
            // An empty org: start the next incremental sync from now (minus nothing: SystemModstamp > startedAt).
            Instant identities = run.maxIdentity != null ? run.maxIdentity : run.startedAt;
            Instant contacts = run.maxContact != null ? run.maxContact : identities;
            saveCheckpoint(new Checkpoint(identities, contacts, lastFull, run.id));
            Instant end = clock.instant();
            status.succeeded(new DirectorySyncStatus.Sync(end, run.full, run.identities + run.deleted + dropped,
                    Duration.between(run.startedAt, end), run.calls, run.apiUsage));
            log.info("Directory sync {} ({}): {} identities updated, {} removed{}, {} consent updates, {} API calls (org usage {})",
                    run.id, run.full ? "full" : "incremental", run.identities, run.deleted + dropped,
                    run.full ? " (" + dropped + " not in the CRM any more)" : "", run.consentUpdates, run.calls, run.apiUsage);
        } finally {
            running.set(false);
        }
    }

    /** The sync failed (route's onException): nothing moves, the next sync starts from the same checkpoint. */
    public void failed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = e == null ? "unknown" : e.getClass().getSimpleName() + ": " + e.getMessage();
        if (reason.length() > 500) {
            reason = reason.substring(0, 500);
        }
        status.failed(clock.instant(), reason);
        log.warn("Directory sync failed; the next one starts from the same checkpoint: {}", reason);
        running.set(false);
    }

    private Run run(Exchange exchange) {
        Run run = exchange.getProperty(RUN, Run.class);
        if (run == null) {
            throw new IllegalStateException("no directory sync in progress");
        }
        return run;
    }

    Checkpoint loadCheckpoint() {
        return checkpoints.load(CHECKPOINT).map(text -> {
            try {
                JsonNode n = json.readTree(text);
                return new Checkpoint(instant(text(n, "identities")), instant(text(n, "contacts")),
                        instant(text(n, "lastFullAt")), n.path("run").asLong(0));
            } catch (Exception e) {
                log.warn("Directory sync: unreadable checkpoint ({}); doing a full load", e.getMessage());
                return Checkpoint.NONE;
            }
        }).orElse(Checkpoint.NONE);
    }

    private void saveCheckpoint(Checkpoint cp) {
        ObjectNode n = json.createObjectNode();
        n.put("identities", cp.identities == null ? null : cp.identities.toString());
        n.put("contacts", cp.contacts == null ? null : cp.contacts.toString());
        n.put("lastFullAt", cp.lastFullAt == null ? null : cp.lastFullAt.toString());
        n.put("run", cp.run);
        checkpoints.save(CHECKPOINT, n.toString());
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    static Instant instant(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (RuntimeException e) {
            return OffsetDateTime.parse(text, SF_DATE_TIME).toInstant();
        }
    }

    private static Instant max(Instant a, Instant b) {
        return a == null ? b : b == null ? a : a.isAfter(b) ? a : b;
    }
}
