package io.hearth.service;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.hearth.crm.CrmCommand;
import io.hearth.crm.CrmMapping;
import io.hearth.queue.DeadLetterPublisher;
import io.hearth.queue.StageQueueConsumer;
import io.hearth.rules.RulesStore;

/**
 * Posts one agent reply (a message on {@code service.replies}, route {@code service-reply-post}) to its conversation,
 * exactly once, and returns what the CRM learns (CRM commands for crm.outbound):
 * <ol>
 * <li>the ledger (hearth_social_reply, keyed by the Social_Reply__c id) says where the reply is: posted → the same
 * commands again; failed → nothing (an operator's replay from the DLQ tries again);</li>
 * <li>"posting" is committed before the channel is called. Finding "posting" on arrival means an earlier attempt may
 * have posted (a crash, a timeout): the client looks on the channel first ({@link ReplyClient#find}); a channel that
 * cannot tell fails the reply rather than post twice;</li>
 * <li>posted: id recorded in the ledger, on the Social_Reply__c (Status__c Posted, Posted_Id__c, Posted_At__c) and on
 * the case (Status Responded, Social_Last_Reply_Id__c, first response);</li>
 * <li>refused (4xx): the reply is marked Failed with the API's reason on Social_Reply__c and the message goes to
 * DLQ.service.replies with that reason; 429 or a spent window: nothing was posted, the channel's gate closes until
 * its reset and the message is retried with back-off (the route's redelivery policy).</li>
 * </ol>
 */
public class ReplyPoster {

    private static final Logger LOG = LoggerFactory.getLogger(ReplyPoster.class);
    public static final String REPLY_OBJECT = "Social_Reply__c";

    /** A reply on its way: Social_Reply__c id, the case's Social_Conversation_Id__c, the text. */
    public record Request(String replyId, String caseKey, String text) {
        public static Request of(JsonNode n) {
            return new Request(n.path("replyId").asText(null), n.path("caseKey").asText(null), n.path("text").asText(null));
        }
    }

    private final Map<String, ReplyClient> clients;
    private final ServiceStore store;
    private final RulesStore rules;
    private final BrandReplies brand;
    private final CrmMapping mapping;
    private final DeadLetterPublisher deadLetters;
    private final Clock clock;
    /** Channel → not before (429 seen, or the window's remaining count spent). */
    private final Map<String, Instant> gates = new ConcurrentHashMap<>();

    public ReplyPoster(List<ReplyClient> clients, ServiceStore store, RulesStore rules, BrandReplies brand, CrmMapping mapping,
                       DeadLetterPublisher deadLetters, Clock clock) {
        this.clients = new LinkedHashMap<>();
        clients.forEach(c -> this.clients.put(c.channel(), c));
        this.store = store;
        this.rules = rules;
        this.brand = brand;
        this.mapping = mapping;
        this.deadLetters = deadLetters;
        this.clock = clock;
    }

    /** Route step ({@code service-reply-post}): {@link #post} as crm.outbound messages (CRM command JSON). */
    public List<String> postForCrm(Exchange exchange) throws Exception {
        List<String> out = new ArrayList<>();
        for (CrmCommand c : post(exchange)) {
            out.add(io.hearth.service.ReplyHttp.JSON.writeValueAsString(c));
        }
        return out;
    }

    /** The message's reply posted (or failed visibly); the CRM commands to send. */
    public List<CrmCommand> post(Exchange exchange) throws Exception {
        JsonNode body = io.hearth.service.ReplyHttp.JSON.readTree(exchange.getMessage().getBody(String.class));
        Request r = Request.of(body);
        if (r.replyId() == null || r.caseKey() == null || r.text() == null) {
            return refuse(exchange, r, "not a reply message (replyId, caseKey and text required)");
        }
        Optional<ServiceStore.Reply> known = store.reply(r.replyId());
        if (known.isPresent() && known.get().state() == ServiceStore.State.posted) {
            return posted(r, known.get().postedId(), known.get().postedUrl()); // redelivered after it was recorded: same commands, no call
        }
        if (known.isPresent() && known.get().state() == ServiceStore.State.failed) {
            if (exchange.getMessage().getHeader(DeadLetterPublisher.REPLAYS_HEADER) == null) {
                return List.of(); // a stale copy of a failed reply; only an operator's replay tries again
            }
            store.retry(r.replyId(), clock.instant());
            known = store.reply(r.replyId());
        }
        if (rules == null || brand == null) {
            return refuse(exchange, r, "the rules (and with them the service cases) are off on this hub");
        }
        Optional<ReplyClient.Target> target = target(r.caseKey());
        if (target.isEmpty()) {
            return refuse(exchange, r, "no conversation to answer: the case is unknown to this hub or its author was erased");
        }
        ReplyClient client = clients.get(target.get().channel());
        if (client == null) {
            return refuse(exchange, r, "replies on channel '" + target.get().channel() + "' are not supported or not configured"
                    + " (supported: x, mastodon, bluesky)");
        }
        Instant keyTime = known.map(ServiceStore.Reply::createdAt).orElse(clock.instant());
        // Only this attempt's own call may set the reply back to queued: while an earlier attempt's outcome is being
        // looked up, the ledger must stay "posting" whatever happens to the look-up.
        boolean posting = false;
        try {
            if (known.isPresent() && known.get().state() == ServiceStore.State.posting) {
                // An earlier attempt stopped between posting and recording: look before posting again.
                Optional<ReplyClient.Posted> earlier = client.find(target.get(), r.text(), r.replyId(), keyTime);
                if (earlier.isPresent()) {
                    LOG.info("Reply {}: an earlier attempt had posted it ({}); recorded, not posted again", r.replyId(),
                            client.channel());
                    return recordPosted(r, target.get(), earlier.get());
                }
            }
            Instant gate = gates.get(client.channel());
            if (gate != null && gate.isAfter(clock.instant())) {
                throw new ReplyException(ReplyException.Kind.RATE_LIMITED, client.channel() + " rate limit: waiting until "
                        + gate, gate, null);
            }
            store.posting(r.replyId(), r.caseKey(), client.channel(), clock.instant());
            posting = true;
            ReplyClient.Posted p = client.post(target.get(), r.text(), r.replyId(), keyTime);
            return recordPosted(r, target.get(), p);
        } catch (ReplyException e) {
            switch (e.kind()) {
                case REFUSED, UNKNOWN -> {
                    return refuse(exchange, r, e.getMessage());
                }
                case RATE_LIMITED -> {
                    if (posting) {
                        store.notPosted(r.replyId(), clock.instant());
                    }
                    gates.merge(client.channel(), e.retryAt(), (a, b) -> a.isAfter(b) ? a : b);
                    LOG.info("Reply {}: {} rate limit, retried after {}", r.replyId(), client.channel(), e.retryAt());
                    throw e;
                }
                case NOT_POSTED -> {
                    if (posting) {
                        store.notPosted(r.replyId(), clock.instant());
                    }
                    throw e;
                }
                default -> throw e; // UNCERTAIN: stays "posting"; the redelivery looks first
            }
        }
    }

    /** Closes the channel's gate until {@code until} (the window's remaining count is spent). */
    public void closeGate(String channel, Instant until) {
        gates.merge(channel, until, (a, b) -> a.isAfter(b) ? a : b);
    }

    private List<CrmCommand> recordPosted(Request r, ReplyClient.Target target, ReplyClient.Posted p) {
        Instant now = clock.instant();
        store.posted(r.replyId(), p.id(), p.url(), now);
        rules.caseState(r.caseKey()).ifPresent(state ->
                brand.responded(r.caseKey(), target.channel(), state.openedAt(), now, target.channel() + ":" + p.id(), now));
        LOG.info("Reply {} posted on {} as {}", r.replyId(), target.channel(), p.id());
        return posted(r, p.id(), p.url());
    }

    private List<CrmCommand> posted(Request r, String postedId, String url) {
        List<CrmCommand> out = new ArrayList<>();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("Status__c", "Posted");
        f.put("Posted_Id__c", postedId);
        if (url != null && url.length() <= 255) {
            f.put("Posted_Url__c", url);
        }
        store.reply(r.replyId()).ifPresent(l -> f.put("Posted_At__c", l.updatedAt().toString()));
        out.add(mapping.update(REPLY_OBJECT, r.replyId(), f));
        out.add(brand.caseResponded(r.caseKey(), postedId));
        return out;
    }

    private List<CrmCommand> refuse(Exchange exchange, Request r, String reason) throws Exception {
        LOG.warn("Reply {} failed: {}", r.replyId(), reason);
        if (r.replyId() != null) {
            store.failed(r.replyId(), r.caseKey() == null ? "?" : r.caseKey(), reason, clock.instant());
        }
        String stage = exchange.getProperty(StageQueueConsumer.STAGE_PROPERTY, String.class);
        deadLetters.send(exchange.copy(), stage == null ? ServiceQueues.REPLIES : stage, exchange.getFromRouteId(), reason,
                ReplyException.class.getName());
        if (r.replyId() == null) {
            return List.of();
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("Status__c", "Failed");
        f.put("Failure_Reason__c", reason.length() > 255 ? reason.substring(0, 255) : reason);
        return List.of(mapping.update(REPLY_OBJECT, r.replyId(), f));
    }

    /** The post a reply answers: the case's latest post that is not the brand's own; its channel and author. */
    Optional<ReplyClient.Target> target(String caseKey) {
        if (rules.caseState(caseKey).isEmpty()) {
            return Optional.empty();
        }
        RulesStore.Logged parent = null;
        RulesStore.Logged first = null;
        for (String id : rules.mentionsOfCase(caseKey)) {
            Optional<RulesStore.Logged> l = rules.logged(id);
            if (l.isEmpty()) {
                continue;
            }
            if (first == null) {
                first = l.get();
            }
            if (!brand.isBrand(l.get().channel(), l.get().handle())) {
                parent = l.get();
            }
        }
        if (parent == null) {
            return Optional.empty();
        }
        String prefix = parent.channel() + ":";
        String root = first.conversationId() != null ? first.conversationId() : first.mentionId();
        return Optional.of(new ReplyClient.Target(parent.channel(), strip(parent.mentionId(), prefix), strip(root, prefix),
                parent.handle()));
    }

    private static String strip(String id, String prefix) {
        return id != null && id.startsWith(prefix) ? id.substring(prefix.length()) : id;
    }
}
