package io.hearth.enrich;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.crm.CrmCommand;
import io.hearth.crm.CrmMapping;
import io.hearth.identity.AuthorKeys;
import io.hearth.identity.ContactDirectory;
import io.hearth.identity.IdentityHooks;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionValidator;
import io.hearth.scoring.Interest;
import io.hearth.scoring.MentionScorer;
import io.hearth.scoring.Scores;
import org.apache.camel.Body;

/**
 * The enrich stage (route pipeline-enrich, social.mentions → crm.outbound): one canonical mention in, the CRM commands
 * it causes out.
 * <ol>
 * <li>identity hooks: a linking code in the post links its author; erased authors are never matched;</li>
 * <li>the author is matched in the contact directory (no API call) and the mention scored;</li>
 * <li>the mention is recorded once in the mention log (pseudonymised author), which holds the rolling statistics;</li>
 * <li>for a consenting contact: the {@code Social_Mention__c} upsert and the Contact's aggregates as absolute values
 * (30-day count, last mention, 30-day average sentiment, 90-day highest influence, top interests);</li>
 * <li>every {@link MentionJudge} (rules: advocates, rewards, cases) adds its commands.</li>
 * </ol>
 * Unknown and non-consenting authors produce no enrichment; what judges do with them is their rule (e.g. a case).
 */
public class MentionEnricher {

    private final ObjectMapper objectMapper;
    private final ContactDirectory directory;
    private final MentionScorer scorer;
    private final MentionLog log;
    private final CrmMapping mapping;
    private final IdentityHooks identity;
    private final List<MentionJudge> judges;
    private final Clock clock;
    private final int topInterests;
    private final io.micrometer.core.instrument.MeterRegistry meters;
    /** The counter of each outcome, looked up once: MeterRegistry.counter per mention was 1.4 % of the stage's CPU. */
    private final Map<String, io.micrometer.core.instrument.Counter> outcomes = new java.util.concurrent.ConcurrentHashMap<>();

    public MentionEnricher(ObjectMapper objectMapper, ContactDirectory directory, MentionScorer scorer, MentionLog log,
                           CrmMapping mapping, IdentityHooks identity, List<MentionJudge> judges, Clock clock,
                           int topInterests) {
        this(objectMapper, directory, scorer, log, mapping, identity, judges, clock, topInterests, null);
    }

    /** With {@code meters}: counts first-seen mentions by outcome ({@code hearth_enrich_mentions_total{outcome}}). */
    public MentionEnricher(ObjectMapper objectMapper, ContactDirectory directory, MentionScorer scorer, MentionLog log,
                           CrmMapping mapping, IdentityHooks identity, List<MentionJudge> judges, Clock clock,
                           int topInterests, io.micrometer.core.instrument.MeterRegistry meters) {
        this.meters = meters;
        this.objectMapper = objectMapper;
        this.directory = directory;
        this.scorer = scorer;
        this.log = log;
        this.mapping = mapping;
        this.identity = identity;
        this.judges = List.copyOf(judges);
        this.clock = clock;
        this.topInterests = topInterests;
    }

    /** Route step: mention JSON in, the JSON of each CRM command out (possibly none). */
    public List<String> enrich(@Body String json, org.apache.camel.Exchange exchange) throws JsonProcessingException {
        // the log's writes commit with the stage batch (one database commit per batch)
        io.hearth.queue.BatchTransaction tx = exchange.getProperty(io.hearth.queue.BatchTransaction.PROPERTY,
                io.hearth.queue.BatchTransaction.class);
        log.joinBatch(tx);
        // after the log: the privacy fence checks, once the log has committed, that no author was erased meanwhile
        identity.joinBatch(tx);
        Mention mention = objectMapper.readValue(json, Mention.class);
        MentionValidator.validate(mention);
        List<String> out = new ArrayList<>();
        Rejudging.Mode mode = Rejudging.Mode.of(exchange.getMessage().getHeader(Rejudging.HEADER));
        org.apache.camel.Message in = exchange.getMessage();
        Rejudging.Scope scope = mode == Rejudging.Mode.RULES ? Rejudging.Scope.of(in.getHeader(Rejudging.BACKFILL_HEADER),
                in.getHeader(Rejudging.BACKFILL_RULES_HEADER), in.getHeader(Rejudging.BACKFILL_CASES_HEADER)) : null;
        // the JSON as received is the mention's payload to keep (written by the same ObjectMapper upstream): no second
        // serialisation per mention (~5 % of the stage's CPU, issue 14 profile)
        List<CrmCommand> commands = scope == null ? log.inMention(() -> commandsOf(mention, mode, json))
                : Rejudging.Scope.within(scope, () -> log.inMention(() -> {
                    List<CrmCommand> c = commandsOf(mention, mode, json);
                    log.backfilled(scope.backfillId(), mention.id(), scope.rewardsAdded(), scope.flagsChanged());
                    return c;
                }));
        for (CrmCommand command : commands) {
            out.add(objectMapper.writeValueAsString(command));
        }
        return out;
    }

    /**
     * The commands one mention causes. Its state (log row, judged mark, the rules' state) takes effect whole or not at
     * all: in a stage batch a failure undoes it to a savepoint before the exception goes on ({@link MentionLog#inMention}).
     */
    public List<CrmCommand> commands(Mention mention) {
        return commands(mention, null);
    }

    /**
     * The same for a mention put back by {@link Rejudging} ({@code mode} non-null): a logged mention whose author is now
     * a consenting contact, and whose row is not theirs yet, is attributed to them and judged as new (late attribution);
     * {@link Rejudging.Mode#RULES} also judges an attributed one as new (the rules' ledgers keep grants once).
     * In a stage batch the mention's work is whole or nothing ({@link MentionLog#inMention}).
     */
    public List<CrmCommand> commands(Mention mention, Rejudging.Mode mode) {
        return log.inMention(() -> commandsOf(mention, mode, null));
    }

    /** {@code received}: the mention's JSON as it arrived (kept as its payload), or null to write it from {@code mention}. */
    private List<CrmCommand> commandsOf(Mention mention, Rejudging.Mode mode, String received) {
        Instant now = clock.instant();
        List<CrmCommand> commands = new ArrayList<>();
        boolean suppressed = identity.suppressed(mention);
        ContactDirectory.Entry who = null;
        if (!suppressed) {
            commands.addAll(identity.link(mention));
            String handle = mention.author() == null ? null : mention.author().handle();
            who = directory.lookup(log.reader(), mention.channel(), handle).orElse(null);
        }
        Scores scores = scorer.score(mention);
        Mention scored = MentionScorer.enrich(mention, scores);
        if (who != null) {
            scored = scored.withMatch(new Mention.Match(who.contactId(),
                    who.verified() ? "verified-identity" : "identity", who.verified() ? 1.0 : 0.8));
        }
        // In a batch the row can carry its judged mark at once: it commits with the judges' work or not at all.
        boolean markAtOnce = log.inBatch();
        boolean recorded = log.record(logEntry(scored, scores, who, suppressed, now, suppressed ? null : received != null ? received : payload(mention)),
                markAtOnce ? now : null);
        // Late attribution (docs/enrichment.md): a stored mention processed while its author was unknown (or had not
        // consented), seen again now that the author is a consenting contact, is attributed to them and judged as new;
        // the row's change commits with the batch, so it happens once however often the mention comes again.
        // Only a mention put back for that ({@link Rejudging}) is attributed: a plain redelivery or replay changes
        // nothing, as before; the job puts every such mention back after the next directory sync.
        MentionLog.Attribution attributed = mode != null && !recorded && who != null && who.consented()
                ? log.attribute(mention.id(), who.contactId()) : null;
        // "first seen" for the judges means not judged yet: a crash between recording and judging must not cost the
        // mention its rewards when it is redelivered
        boolean firstSeen = recorded || attributed != null || mode == Rejudging.Mode.RULES || !log.judged(mention.id());
        if ((recorded || attributed != null) && meters != null) {
            String outcome = attributed != null ? "attributed" : suppressed ? "suppressed" : who == null ? "unknown"
                    : who.consented() ? "enriched" : "no_consent";
            outcomes.computeIfAbsent(outcome, o -> meters.counter("hearth.enrich.mentions", "outcome", o)).increment();
        }
        JudgedMention judged = new JudgedMention(scored, scores, who, firstSeen, now);
        if (judged.consented()) {
            commands.add(mentionRecord(judged));
            commands.add(contactAggregates(judged.contactId(), now));
        }
        try {
            for (MentionJudge judge : judges) {
                commands.addAll(judge.judge(judged));
            }
        } catch (RuntimeException e) {
            // In a batch MentionLog.inMention undoes the whole mention to its savepoint (row, judged mark, attribution,
            // the rules' state), so the retry judges it as new; an UPDATE here could only fail again on PostgreSQL's
            // aborted transaction and hide the cause. Outside a batch the mark is written only after the judges.
            if (attributed != null && !log.inBatch()) {
                log.unattribute(mention.id(), attributed);
            }
            throw e;
        }
        if (firstSeen && !(recorded && markAtOnce)) {
            log.markJudged(mention.id(), now);
        }
        return commands;
    }

    /** The canonical mention as received (before scoring and matching), kept to be judged again. */
    private String payload(Mention m) {
        try {
            return objectMapper.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            return null;   // not kept: the mention cannot be judged again later, nothing else changes
        }
    }

    private MentionLog.Entry logEntry(Mention m, Scores scores, ContactDirectory.Entry who, boolean suppressed,
                                      Instant now, String payload) {
        String handle = m.author() == null ? null : m.author().handle();
        Mention.Engagement e = m.engagement();
        Long engagement = e == null ? null : sum(e.likes(), e.reposts(), e.replies(), e.quotes());
        return new MentionLog.Entry(m.id(), m.channel(), AuthorKeys.of(m.channel(), handle),
                who == null ? null : who.contactId(), who != null && who.consented(),
                m.kind() == null ? null : m.kind().name().toLowerCase(java.util.Locale.ROOT),
                m.createdAt() == null ? now : m.createdAt(), now, m.sentiment(), m.intent(), m.influence(),
                m.author() == null ? null : m.author().followers(), engagement,
                scores.interests().stream().map(Interest::key).toList(), m.conversationId(),
                suppressed ? null : handle, suppressed ? null : m.text(), payload);
    }

    /** The Social_Mention__c record of a consenting contact's mention, upserted by its id. */
    CrmCommand mentionRecord(JudgedMention j) {
        Mention m = j.mention();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("Contact__c", j.contactId());
        f.put("Channel__c", m.channel());
        f.put("Author_Handle__c", cut(m.author() == null ? null : m.author().handle(), 255));
        f.put("Text__c", cut(m.text(), 32_768));
        f.put("Url__c", m.url() != null && m.url().length() <= 255 ? m.url() : null);
        f.put("Posted_At__c", m.createdAt() == null ? null : m.createdAt().toString());
        f.put("Kind__c", m.kind() == null ? null : m.kind().name().toLowerCase(java.util.Locale.ROOT));
        f.put("Sentiment__c", round2(m.sentiment()));
        f.put("Intent__c", m.intent());
        f.put("Influence__c", m.influence());
        f.put("Hashtags__c", cut(m.hashtags() == null || m.hashtags().isEmpty() ? null
                : String.join(" ", m.hashtags().stream().map(t -> "#" + t).toList()), 255));
        f.put("Likes__c", m.engagement() == null ? null : m.engagement().likes());
        f.put("Reposts__c", m.engagement() == null ? null : m.engagement().reposts());
        return mapping.upsert("Social_Mention__c", "External_Id__c", m.id(), f);
    }

    /** The contact's social aggregates, absolute values from the mention log (so collapsing and replays are safe). */
    public CrmCommand contactAggregates(String contactId, Instant now) {
        // the widest window first: within a mention the log reads the contact's rows once and serves the rest from them
        MentionLog.WindowStats d90 = log.stats(contactId, now.minus(Duration.ofDays(90)));
        MentionLog.WindowStats d30 = log.stats(contactId, now.minus(Duration.ofDays(30)));
        List<String> interests = log.topInterests(contactId, now.minus(Duration.ofDays(90)), topInterests);
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("Social_Mentions_30d__c", d30.mentions());
        Instant last = d90.lastMentionAt();
        if (last != null) {
            f.put("Social_Last_Mention_At__c", last.toString());
        }
        f.put("Social_Sentiment__c", round2(d30.averageSentiment()));
        f.put("Social_Influence__c", d90.maxInfluence());
        f.put("Social_Interests__c", interests.isEmpty() ? null : cut(String.join(";", interests), 255));
        return mapping.update("Contact", contactId, f);
    }

    private static Long sum(Long... values) {
        long total = 0;
        boolean any = false;
        for (Long v : values) {
            if (v != null) {
                total += v;
                any = true;
            }
        }
        return any ? total : null;
    }

    private static Double round2(Double d) {
        return d == null ? null : BigDecimal.valueOf(d).setScale(2, RoundingMode.HALF_UP).doubleValue();
    }

    private static String cut(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int end = max;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end);
    }

}
