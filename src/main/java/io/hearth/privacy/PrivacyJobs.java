package io.hearth.privacy;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.crm.CrmCommands;
import io.hearth.crm.CrmMapping;
import io.hearth.crm.salesforce.CrmCallException;
import io.hearth.crm.salesforce.Soql;
import io.hearth.identity.AuthorKeys;
import io.hearth.enrich.MentionEnricher;
import io.hearth.identity.ContactDirectory;
import io.hearth.identity.HandleNormaliser;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * The privacy jobs (routes/jobs/privacy.camel.yaml): erasure requests and deleted posts (job-erasure), the retention
 * purge of raw text and clear handles (job-retention), and the capture of deleted posts from inbound payloads
 * (route pipeline-normalise). Every step is idempotent: a request interrupted by a crash is simply run again.
 */
@Component("privacyJobs")
public class PrivacyJobs {

    private static final Logger LOG = LoggerFactory.getLogger(PrivacyJobs.class);
    /** The Contact fields Hearth writes, cleared on erasure (Advocate__c becomes false, the rest empty). */
    static final List<String> CONTACT_FIELDS = List.of("Social_Mentions_30d__c", "Social_Last_Mention_At__c",
            "Social_Sentiment__c", "Social_Influence__c", "Social_Interests__c", "Advocate__c", "Advocate_Since__c",
            "Advocate_Tier__c", "Social_Points__c");

    private final PrivacyStore store;
    private final CrmEraser crm;
    private final ContactDirectory directory;
    private final JdbcTemplate jdbc;
    private final CrmMapping mapping;
    private final ObjectMapper json;
    private final io.hearth.channel.ChannelRegistry channels;
    private final Clock clock;
    private final ObjectProvider<MentionEnricher> enricher;
    private final CrmCommands commands;
    private final ProducerTemplate producer;
    private final Duration retention;
    private final int maxAttempts;
    private final CaseErasure cases;
    private final DeadLetterPurge deadLetters;

    /** What erasure does with the person's service cases ({@code hearth.privacy.erasure.cases}). */
    public enum CaseErasure {
        /** Subject and Description replaced (they quote the posts and the handle); the Case itself stays. */
        redact,
        /** The Case records are deleted. */
        delete
    }

    /** The Subject a redacted Case keeps; its Description is emptied. */
    static final String REDACTED_SUBJECT = "Social case (personal data erased)";

    public PrivacyJobs(PrivacyStore store, CrmEraser crm, ContactDirectory directory, JdbcTemplate jdbc, CrmMapping mapping,
                       ObjectMapper json, io.hearth.channel.ChannelRegistry channels, Clock clock,
                       ObjectProvider<MentionEnricher> enricher, CrmCommands commands, ProducerTemplate producer,
                       Duration retention, int maxAttempts) {
        this(store, crm, directory, jdbc, mapping, json, channels, clock, enricher, commands, producer, retention, maxAttempts,
                CaseErasure.redact, null);
    }

    /** The hub's: settings from {@link PrivacySettings}. */
    @org.springframework.beans.factory.annotation.Autowired
    public PrivacyJobs(PrivacyStore store, CrmEraser crm, ContactDirectory directory, JdbcTemplate jdbc, CrmMapping mapping,
                       ObjectMapper json, io.hearth.channel.ChannelRegistry channels, Clock clock,
                       ObjectProvider<MentionEnricher> enricher, CrmCommands commands, ProducerTemplate producer,
                       PrivacySettings settings, DeadLetterPurge deadLetters) {
        this(store, crm, directory, jdbc, mapping, json, channels, clock, enricher, commands, producer,
                settings.retention().window(), settings.erasure().maxAttempts(), settings.erasure().cases(), deadLetters);
    }

    public PrivacyJobs(PrivacyStore store, CrmEraser crm, ContactDirectory directory, JdbcTemplate jdbc, CrmMapping mapping,
                       ObjectMapper json, io.hearth.channel.ChannelRegistry channels, Clock clock,
                       ObjectProvider<MentionEnricher> enricher, CrmCommands commands, ProducerTemplate producer,
                       Duration retention, int maxAttempts, String cases, DeadLetterPurge deadLetters) {
        this(store, crm, directory, jdbc, mapping, json, channels, clock, enricher, commands, producer, retention, maxAttempts,
                caseErasure(cases), deadLetters);
    }

    static CaseErasure caseErasure(String value) {
        try {
            return CaseErasure.valueOf(value == null ? "" : value.strip().toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("hearth.privacy.erasure.cases: must be 'redact' or 'delete', was '" + value + "'");
        }
    }

    PrivacyJobs(PrivacyStore store, CrmEraser crm, ContactDirectory directory, JdbcTemplate jdbc, CrmMapping mapping,
                ObjectMapper json, io.hearth.channel.ChannelRegistry channels, Clock clock,
                ObjectProvider<MentionEnricher> enricher, CrmCommands commands, ProducerTemplate producer,
                Duration retention, int maxAttempts, CaseErasure cases, DeadLetterPurge deadLetters) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("hearth.privacy.retention.window: must be positive, was " + retention);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("hearth.privacy.erasure.max-attempts: must be at least 1, was " + maxAttempts);
        }
        this.store = store;
        this.crm = crm;
        this.directory = directory;
        this.jdbc = jdbc;
        this.mapping = mapping;
        this.json = json;
        this.channels = channels;
        this.clock = clock;
        this.enricher = enricher;
        this.commands = commands;
        this.producer = producer;
        this.retention = retention;
        this.maxAttempts = maxAttempts;
        this.cases = cases;
        this.deadLetters = deadLetters;
    }

    // --- job-erasure ------------------------------------------------------------------------------------------------

    /** One tick of job-erasure: open erasure requests, then announced post deletions. */
    public void runPending() {
        for (PrivacyStore.Request r : store.open(20)) {
            erase(r);
        }
        for (String mentionId : store.openDeletedPosts(200, maxAttempts)) {
            removePost(mentionId);
        }
        sweepLateRows();
    }

    /**
     * Mention-log rows of a suppressed author that still carry a contact, a handle or a text: only a write that
     * committed after the erasure's delete leaves such a row (rows written once the author is suppressed carry none of
     * them), e.g. an enrich batch whose hub died between the log's commit and its {@link PrivacyFence} check. Deleted,
     * with the per-person rules state of their (erased) contacts. Runs at every tick of job-erasure.
     */
    public int sweepLateRows() {
        String late = " FROM hearth_mention_log WHERE author_key IN (SELECT author_key FROM hearth_suppressed_author)"
                + " AND (contact_id IS NOT NULL OR handle IS NOT NULL OR text IS NOT NULL)";
        List<String> contacts = jdbc.queryForList("SELECT DISTINCT contact_id" + late + " AND contact_id IS NOT NULL", String.class);
        int rows = jdbc.update("DELETE" + late);
        int other = 0;
        for (String contact : contacts) {
            if (!store.isErasedContact(contact)) {
                continue;
            }
            for (PersonTable t : OTHER_STATE) {
                if (t.byContact() && tableExists(t.table())) {
                    other += jdbc.update("DELETE FROM " + t.table() + " WHERE " + t.column() + " = ?", contact);
                }
            }
        }
        if (rows > 0) {
            store.audit("erasure-sweep", "job-erasure", null, null, null,
                    "{\"mentionLogRows\":" + rows + ",\"otherStateRows\":" + other + "}");
            LOG.info("Erasure sweep: removed {} mention-log row(s) written after their author's erasure", rows);
        }
        return rows;
    }

    void erase(PrivacyStore.Request r) {
        store.started(r.erasureId());
        // Counts of earlier, interrupted attempts are kept: what they deleted is gone and is not found again.
        Map<String, Integer> counts = new LinkedHashMap<>();
        try {
            if (r.counts() != null) {
                json.readTree(r.counts()).fields().forEachRemaining(e -> counts.put(e.getKey(), e.getValue().asInt()));
            }
            eraseSubject(r, counts);
            String countsJson = json.writeValueAsString(counts);
            store.audit("erasure", r.requestedBy(), r.subjectKind(), r.subjectKey(), r.erasureId(), countsJson);
            store.done(r.erasureId(), countsJson);
            LOG.info("Erasure {} done: {}", r.erasureId(), countsJson);
        } catch (Exception e) {
            String error = e.getClass().getSimpleName() + (e instanceof CrmCallException c ? " " + c.errorCode()
                    + (c.kind() == CrmCallException.Kind.REJECTED ? ": " + c.getMessage() : "") : "");
            // Salesforce down or out of API budget is no reason to give up: such attempts never make the request fail.
            store.attemptFailed(r, error, transientFailure(e) ? Integer.MAX_VALUE : maxAttempts, toJson(counts));
            LOG.warn("Erasure {} failed (attempt {} of {}): {}", r.erasureId(), r.attempts() + 1, maxAttempts, error);
        }
    }

    private static boolean transientFailure(Exception e) {
        return e instanceof CrmCallException c && c.kind() != CrmCallException.Kind.REJECTED;
    }

    private String toJson(Map<String, Integer> counts) {
        try {
            return json.writeValueAsString(counts);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private record Handle(String channel, String handle) {
        String key() {
            return AuthorKeys.of(channel, handle);
        }
    }

    private void eraseSubject(PrivacyStore.Request r, Map<String, Integer> counts) throws CrmCallException {
        Set<String> contacts = new LinkedHashSet<>();
        Set<Handle> handles = new LinkedHashSet<>();
        String identity = mapping.name("Social_Identity__c");
        String contactField = mapping.name("Contact__c");
        String channelField = mapping.name("Channel__c");
        String handleField = mapping.name("Handle__c");
        String externalIdField = mapping.name("External_Id__c");
        if ("contact".equals(r.subjectKind())) {
            contacts.add(r.contactId());
        } else {
            handles.add(new Handle(r.channel(), r.handle()));
            // The person behind the handle, when the hub or the CRM links it to a contact: erased as a whole.
            directory.lookup(r.channel(), r.handle()).ifPresent(e -> contacts.add(e.contactId()));
            String externalId = HandleNormaliser.externalId(r.channel(), r.handle());
            if (externalId != null) {
                for (JsonNode row : crm.query(Soql.select("Id", contactField).from(identity)
                        .where(externalIdField, "=", externalId).limit(200).build())) {
                    if (row.hasNonNull(contactField)) {
                        contacts.add(row.get(contactField).asText());
                    }
                }
            }
        }
        for (String contact : contacts) {
            directory.identitiesOf(contact).forEach(e -> handles.add(new Handle(e.channel(),
                    e.rawHandle() == null ? e.handle() : e.rawHandle())));
            for (JsonNode row : crm.query(Soql.select("Id", channelField, handleField).from(identity)
                    .where(contactField, "=", contact).limit(2000).build())) {
                if (row.hasNonNull(channelField) && row.hasNonNull(handleField)) {
                    handles.add(new Handle(row.get(channelField).asText(), row.get(handleField).asText()));
                }
            }
        }
        // 1. Block first: from now on the enrich stage does not link these authors and the writer drops what is queued.
        Set<String> keys = new LinkedHashSet<>();
        handles.forEach(h -> keys.add(h.key()));
        store.suppressAuthors(keys);
        contacts.forEach(store::eraseContact);
        // the person's service cases: queued upserts of them are dropped (unknown authors' cases carry no ContactId)
        Set<String> caseKeys = new LinkedHashSet<>();
        for (String contact : contacts) {
            caseKeys.addAll(jdbc.queryForList("SELECT case_key FROM hearth_case_state WHERE contact_id = ?", String.class, contact));
        }
        for (String key : keys) {
            caseKeys.addAll(jdbc.queryForList("SELECT case_key FROM hearth_case_state WHERE author_key = ?", String.class, key));
        }
        store.eraseCases(caseKeys);
        counts.put("contacts", contacts.size());
        counts.put("handlesSuppressed", keys.size());

        // 2. The CRM: the person's mentions, rewards and identities, then the social fields on the Contact.
        String mention = mapping.name("Social_Mention__c");
        int cleared = 0;
        for (String contact : contacts) {
            add(counts, "crmMentions", deleteWhere(mention, contactField, contact, null, null));
            add(counts, "crmRewards", deleteWhere(mapping.name("Social_Reward__c"), contactField, contact, null, null));
            add(counts, "crmIdentities", deleteWhere(identity, contactField, contact, null, null));
        }
        for (Handle h : handles) {
            // mentions of this handle not linked to a contact (e.g. recorded before a link was removed)
            // Author_Handle__c holds the handle as the channel spelled it: ask for the given and the normalised form
            Set<String> spellings = new LinkedHashSet<>();
            spellings.add(h.handle());
            String normalisedHandle = HandleNormaliser.normalise(h.channel(), h.handle());
            if (normalisedHandle != null) {
                spellings.add(normalisedHandle);
            }
            add(counts, "crmMentions", deleteWhere(mention, channelField, HandleNormaliser.channel(h.channel()),
                    mapping.name("Author_Handle__c"), spellings));
            String externalId = HandleNormaliser.externalId(h.channel(), h.handle());
            if (externalId != null) {
                add(counts, "crmIdentities", deleteWhere(identity, externalIdField, externalId, null, null));
            }
        }
        eraseCases(contacts, caseKeys, counts);
        for (String contact : contacts) {
            if (clearContact(contact)) {
                cleared++;
            }
        }
        counts.put("contactsCleared", cleared);
        // Dead-lettered messages about the person (payloads, mentions, CRM commands): removed from every DLQ.
        if (deadLetters != null) {
            add(counts, "deadLetters", deadLetters.purge(new DeadLetterPurge.Subject(contacts,
                    handles.stream().map(h -> new DeadLetterPurge.Handle(h.channel(), h.handle())).toList())));
        }

        // 3. The hub's state. After the CRM, so a directory sync running meanwhile cannot bring identities back.
        // Another contact's leader row may name the person's post as the one that closed its period (V37 granted_by):
        // forgotten before the posts' rows go (a replay of another post then re-sends that row, as before V37).
        if (tableExists("hearth_reward_ledger")) {
            for (String contact : contacts) {
                jdbc.update("UPDATE hearth_reward_ledger SET granted_by = NULL WHERE granted_by IN"
                        + " (SELECT mention_id FROM hearth_mention_log WHERE contact_id = ?)", contact);
            }
            for (Handle h : handles) {
                jdbc.update("UPDATE hearth_reward_ledger SET granted_by = NULL WHERE granted_by IN"
                        + " (SELECT mention_id FROM hearth_mention_log WHERE author_key = ?)", h.key());
            }
        }
        for (String contact : contacts) {
            add(counts, "directoryRows", jdbc.update("DELETE FROM hearth_contact_directory WHERE contact_id = ?", contact));
            add(counts, "mentionLogRows", jdbc.update("DELETE FROM hearth_mention_log WHERE contact_id = ?", contact));
        }
        for (Handle h : handles) {
            String normalised = HandleNormaliser.normalise(h.channel(), h.handle());
            if (normalised != null) {
                add(counts, "directoryRows", jdbc.update("DELETE FROM hearth_contact_directory WHERE channel = ? AND handle = ?",
                        HandleNormaliser.channel(h.channel()), normalised));
            }
            add(counts, "mentionLogRows", jdbc.update("DELETE FROM hearth_mention_log WHERE author_key = ?", h.key()));
        }
        // a case's mention links go with the case (they name no person themselves, but point at the person's posts)
        for (String contact : contacts) {
            add(counts, "otherStateRows", jdbc.update("DELETE FROM hearth_case_mention WHERE case_key IN"
                    + " (SELECT case_key FROM hearth_case_state WHERE contact_id = ?)", contact));
        }
        for (String key : keys) {
            add(counts, "otherStateRows", jdbc.update("DELETE FROM hearth_case_mention WHERE case_key IN"
                    + " (SELECT case_key FROM hearth_case_state WHERE author_key = ?)", key));
        }
        // catalogue grants (V29) keep their stock unit, so the stock stays exact; who got it is forgotten
        for (String contact : contacts) {
            add(counts, "otherStateRows", io.hearth.rules.CatalogueStore.anonymise(jdbc, contact));
        }
        for (PersonTable t : OTHER_STATE) {
            if (!tableExists(t.table())) {
                continue;
            }
            for (String value : t.byContact() ? contacts : keys) {
                add(counts, "otherStateRows", jdbc.update("DELETE FROM " + t.table() + " WHERE " + t.column() + " = ?", value));
            }
        }
    }

    /**
     * The person's Cases in the CRM: those with the contact as ContactId and those the hub opened for the person (by
     * Social_Conversation_Id__c; an unknown author's case has no contact). Redacted (Subject replaced, Description
     * emptied: both quote the posts and the handle) or deleted, per {@code hearth.privacy.erasure.cases}.
     */
    private void eraseCases(Set<String> contacts, Set<String> caseKeys, Map<String, Integer> counts) throws CrmCallException {
        String kase = mapping.name("Case");
        String contactId = mapping.name("ContactId");
        String conversation = mapping.name("Social_Conversation_Id__c");
        if (cases == CaseErasure.delete) {
            for (String contact : contacts) {
                add(counts, "crmCases", deleteWhere(kase, contactId, contact, null, null));
            }
            for (String key : caseKeys) {
                add(counts, "crmCases", deleteWhere(kase, conversation, key, null, null));
            }
            return;
        }
        String subject = mapping.name("Subject");
        Set<String> ids = new LinkedHashSet<>();
        List<String> queries = new ArrayList<>();
        for (String contact : contacts) {
            queries.add(Soql.select("Id", subject).from(kase).where(contactId, "=", contact).limit(2000).build());
        }
        for (String key : caseKeys) {
            queries.add(Soql.select("Id", subject).from(kase).where(conversation, "=", key).limit(200).build());
        }
        for (String q : queries) {
            for (JsonNode row : crm.query(q)) {
                // a retried erasure finds its own redacted cases again: they are not counted twice
                if (!REDACTED_SUBJECT.equals(row.path(subject).asText(null))) {
                    ids.add(row.get("Id").asText());
                }
            }
        }
        Map<String, Object> redacted = new LinkedHashMap<>();
        redacted.put(subject, REDACTED_SUBJECT);
        redacted.put(mapping.name("Description"), null);
        crm.updateAll(kase, List.copyOf(ids), redacted);
        add(counts, "crmCases", ids.size());
    }

    /** Per-person state of other features: rows keyed by contact id or by author key. */
    record PersonTable(String table, String column, boolean byContact) {
    }

    /**
     * Other features' per-person tables, erased when present (they arrive with their migrations, V5 linking and V7
     * rules): reward ledger, advocate state, cases opened for the person, linking codes and wrong-code attempts.
     * A feature that adds per-person state adds its table here.
     */
    static final List<PersonTable> OTHER_STATE = List.of(
            new PersonTable("hearth_reward_ledger", "contact_id", true),
            new PersonTable("hearth_advocate_state", "contact_id", true),
            new PersonTable("hearth_case_state", "contact_id", true),
            new PersonTable("hearth_case_state", "author_key", false),
            new PersonTable("hearth_link_code", "contact_id", true),
            new PersonTable("hearth_link_code", "used_author_key", false),
            new PersonTable("hearth_link_failure", "author_key", false),
            new PersonTable("hearth_rule_reason", "contact_id", true),
            // reward triggers not delivered yet (V32): their body names the person; never sent after the erasure
            new PersonTable("hearth_reward_trigger", "contact_id", true));

    private boolean tableExists(String table) {
        Integer n = jdbc.queryForObject("SELECT COUNT(*) FROM information_schema.tables WHERE LOWER(table_name) = ?",
                Integer.class, table);
        return n != null && n > 0;
    }

    private static void add(Map<String, Integer> counts, String what, int n) {
        counts.merge(what, n, Integer::sum);
    }

    /** Deletes every record of {@code object} where field = value (and field2 IN values2), 200 at a time. */
    private int deleteWhere(String object, String field, String value, String field2, Set<String> values2) throws CrmCallException {
        int deleted = 0;
        for (int round = 0; round < 10_000; round++) {
            Soql q = Soql.select("Id").from(object).where(field, "=", value);
            if (field2 != null) {
                q.and(field2, "IN", values2);
            }
            List<String> ids = new ArrayList<>();
            // queryAll: also what an interrupted earlier attempt deleted but did not empty from the Recycle Bin
            crm.queryAll(q.limit(200).build()).forEach(row -> ids.add(row.get("Id").asText()));
            if (ids.isEmpty()) {
                return deleted;
            }
            int n = crm.delete(ids);
            deleted += n;
            if (n == 0) {
                return deleted; // nothing left that can be deleted: do not spin
            }
        }
        return deleted;
    }

    /** Clears the social fields on the Contact; false when the Contact no longer exists. */
    private boolean clearContact(String contactId) throws CrmCallException {
        Map<String, Object> fields = new LinkedHashMap<>();
        for (String f : CONTACT_FIELDS) {
            fields.put(mapping.name(f), f.equals("Advocate__c") ? Boolean.FALSE : null);
        }
        try {
            crm.update(mapping.name("Contact"), contactId, fields);
            return true;
        } catch (CrmCallException e) {
            if (e.kind() == CrmCallException.Kind.REJECTED && ("ENTITY_IS_DELETED".equals(e.errorCode())
                    || "INVALID_CROSS_REFERENCE_KEY".equals(e.errorCode()) || "NOT_FOUND".equals(e.errorCode()))) {
                return false;
            }
            throw e;
        }
    }

    // --- deleted posts ----------------------------------------------------------------------------------------------

    /** Route pipeline-normalise: records the posts a payload says were deleted (before its mentions are mapped). */
    public void capture(@Header(io.hearth.channel.ChannelRegistry.CHANNEL_HEADER) String channel, @Body String payload) {
        if (channel == null || payload == null || !channels.isKnown(channel)) {
            return;
        }
        for (String mentionId : channels.deletedPosts(channel, payload)) {
            store.deletePost(mentionId, "channel:" + channel);
        }
    }

    void removePost(String mentionId) {
        try {
            String mention = mapping.name("Social_Mention__c");
            int crmRows = deleteWhere(mention, mapping.name("External_Id__c"), mentionId, null, null);
            List<String> enrichedContacts = jdbc.queryForList("SELECT contact_id FROM hearth_mention_log WHERE mention_id = ?"
                    + " AND consent = TRUE AND contact_id IS NOT NULL", String.class, mentionId);
            int logRows = jdbc.update("DELETE FROM hearth_mention_log WHERE mention_id = ?", mentionId);
            for (String contact : enrichedContacts) {
                // the contact's aggregates without the deleted post (absolute values, like the enrich stage writes them)
                if (!store.isErasedContact(contact)) {
                    producer.sendBody("queue:crm.outbound",
                            commands.toJson(enricher.getObject().contactAggregates(contact, clock.instant())));
                }
            }
            Map<String, Integer> counts = new LinkedHashMap<>();
            counts.put("crmMentions", crmRows);
            counts.put("mentionLogRows", logRows);
            store.audit("post-deletion", store.deletedPostRequester(mentionId), "post", PrivacyKeys.post(mentionId), null,
                    json.writeValueAsString(counts));
            store.deletedPostProcessed(mentionId);
        } catch (CrmCallException | JsonProcessingException | RuntimeException e) {
            if (!transientFailure(e)) {
                store.deletedPostFailed(mentionId);
            }
            LOG.warn("Removing a deleted post failed ({}); the next run tries again", e.getClass().getSimpleName());
        }
    }

    // --- job-retention ----------------------------------------------------------------------------------------------

    /**
     * Purges the post text and clear handle of every mention-log row processed before the retention window, for every
     * author (docs/privacy.md: consenting contacts' posts live in the CRM; the hub keeps only pseudonymised scores).
     */
    public int purgeExpiredText() {
        Instant now = clock.instant();
        int purged = jdbc.update("UPDATE hearth_mention_log SET text = NULL, handle = NULL, mention_json = NULL, text_purged_at = ?"
                + " WHERE text_purged_at IS NULL AND processed_at < ?", Timestamp.from(now), Timestamp.from(now.minus(retention)));
        int posts = store.purgeDeletedPosts(now.minus(retention));
        if (posts > 0) {
            LOG.info("Retention: removed {} processed deleted-post record(s) older than {}", posts, retention);
        }
        if (purged > 0) {
            store.audit("retention", "job-retention", null, null, null, "{\"mentionLogRows\":" + purged + "}");
            LOG.info("Retention: purged text and handle of {} mention(s) older than {}", purged, retention);
        }
        return purged;
    }
}
