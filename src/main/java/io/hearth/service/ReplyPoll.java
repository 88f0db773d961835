package io.hearth.service;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hearth.crm.salesforce.Soql;
import io.hearth.state.SourceCheckpoints;

/**
 * The CRM side of "answer from the CRM" (route {@code service-reply-poll}): one SOQL query per interval for the
 * Social_Reply__c records an agent marked Ready, changed since the last poll (SystemModstamp, minus an overlap),
 * oldest first, at most {@code page-size}. Each new one enters the reply ledger (insert-once) and goes onto
 * {@code service.replies}; the overlap re-reads are dropped by the ledger. The checkpoint (source
 * {@value #CHECKPOINT}) moves to the newest SystemModstamp read once the page is queued.
 * <p>Why polling and not a Platform Event subscription: it needs nothing in the org beyond the object (no trigger or
 * flow publishing events, no CometD client), costs one API call per interval whether one or 200 replies wait, resumes
 * from its checkpoint after any outage (event replay keeps 72 hours), and runs the same against the sandbox.
 */
public class ReplyPoll {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyPoll.class);
    public static final String CHECKPOINT = "service-replies";
    static final String CASE_KEY = "Case__r.Social_Conversation_Id__c";

    private static final DateTimeFormatter SF_DATE_TIME = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME).optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
            .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd().toFormatter();

    private final SourceCheckpoints checkpoints;
    private final ServiceStore store;
    private final Clock clock;
    private final Duration overlap;
    private final int pageSize;
    private volatile Instant newest;

    public ReplyPoll(SourceCheckpoints checkpoints, ServiceStore store, Clock clock, ServiceSettings.Replies settings) {
        this.checkpoints = checkpoints;
        this.store = store;
        this.clock = clock;
        this.overlap = settings.getOverlap();
        this.pageSize = settings.getPageSize();
    }

    /** The poll's SOQL (body for {@code salesforce:query}). */
    public String query() {
        Soql q = Soql.select("Id", "Text__c", CASE_KEY, "SystemModstamp").from(ReplyPoster.REPLY_OBJECT)
                .where("Status__c", "=", "Ready");
        checkpoints.load(CHECKPOINT).map(Instant::parse).ifPresent(cp -> q.and("SystemModstamp", ">", cp.minus(overlap)));
        return q.orderBy("SystemModstamp").limit(pageSize).build();
    }

    /** The page's new replies as messages for service.replies; the checkpoint moves in {@link #done}. */
    public List<String> apply(Exchange exchange) throws Exception {
        JsonNode page = ReplyHttp.JSON.readTree(exchange.getMessage().getBody(String.class));
        exchange.getMessage().removeHeader("Sforce-Limit-Info");
        List<String> out = new ArrayList<>();
        Instant max = null;
        for (JsonNode r : page.path("records")) {
            Instant stamp = instant(r.path("SystemModstamp").asText(null));
            if (stamp != null && (max == null || stamp.isAfter(max))) {
                max = stamp;
            }
            String id = r.path("Id").asText(null);
            String caseKey = r.path("Case__r").path("Social_Conversation_Id__c").asText(null);
            String text = r.path("Text__c").asText(null);
            if (id == null) {
                continue;
            }
            if (caseKey == null || text == null || text.isBlank()) {
                // not answerable (no social case, no text): it goes through the poster, which fails it visibly
                caseKey = caseKey == null ? "" : caseKey;
            }
            if (!store.queue(id, caseKey, null, clock.instant())
                    && store.reply(id).map(l -> l.state() != ServiceStore.State.queued).orElse(true)) {
                continue; // read again in the overlap: already on its way or done
            }
            ObjectNode m = ReplyHttp.JSON.createObjectNode().put("replyId", id).put("caseKey", caseKey.isEmpty() ? null : caseKey)
                    .put("text", text);
            out.add(m.toString());
        }
        newest = max;
        if (!out.isEmpty()) {
            LOG.info("Service replies: {} new reply(ies) from the CRM queued", out.size());
        }
        return out;
    }

    /** The page is on service.replies: the next poll starts after it. */
    public void done() {
        Instant max = newest;
        if (max != null) {
            checkpoints.save(CHECKPOINT, max.toString());
        }
    }

    /** The poll failed (the route's onException): the next one starts from the same checkpoint. */
    public void failed(Exchange exchange) {
        Exception e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        LOG.warn("Service reply poll failed; the next one starts from the same checkpoint: {}",
                e == null ? "unknown" : e.getClass().getSimpleName());
    }

    static Instant instant(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s, SF_DATE_TIME).toInstant();
        } catch (RuntimeException e) {
            return Instant.parse(s);
        }
    }
}
