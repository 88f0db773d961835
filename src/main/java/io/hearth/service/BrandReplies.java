package io.hearth.service;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.hearth.crm.CrmCommand;
import io.hearth.crm.CrmMapping;
import io.hearth.enrich.JudgedMention;
import io.hearth.enrich.MentionJudge;
import io.hearth.identity.HandleNormaliser;
import io.hearth.mention.Mention;
import io.hearth.rules.RulesJudge;
import io.hearth.rules.RulesStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Brand replies tracked (docs/service.md): a post by one of the brand's own accounts ({@code hearth.service.brand-accounts})
 * in the conversation of a service case joins that case as the brand's answer; the case moves to Status
 * {@value #RESPONDED}, and the first answer's time is recorded on the case ({@code First_Response_At__c},
 * {@code First_Response_Minutes__c}) and in the timer {@code hearth_case_first_response_seconds{channel}} (median and
 * p90 published). Runs before the rules judge (which then writes the case's description, the answer included). A brand
 * post never opens a case. A replay finds the post in its case and sends the same commands again, measuring nothing.
 */
public class BrandReplies implements MentionJudge {

    public static final String RESPONDED = "Responded";
    public static final String METRIC = "hearth.case.first.response";

    private final Map<String, Set<String>> accounts = new HashMap<>();
    private final RulesStore rules;
    private final RulesJudge judge;
    private final ServiceStore store;
    private final CrmMapping mapping;
    private final MeterRegistry meters;
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();

    public BrandReplies(ServiceSettings settings, RulesStore rules, RulesJudge judge, ServiceStore store, CrmMapping mapping,
                        MeterRegistry meters) {
        settings.getBrandAccounts().forEach((channel, handles) -> {
            Set<String> set = accounts.computeIfAbsent(HandleNormaliser.channel(channel), c -> new HashSet<>());
            for (String h : handles) {
                String n = HandleNormaliser.normalise(channel, h);
                if (n != null) {
                    set.add(n);
                }
            }
        });
        this.rules = rules;
        this.judge = judge;
        judge.brandPosts(this::isBrand);
        this.store = store;
        this.mapping = mapping;
        this.meters = meters;
    }

    /** Whether the handle is one of the brand's own accounts on that channel. */
    public boolean isBrand(String channel, String handle) {
        if (channel == null || handle == null) {
            return false;
        }
        Set<String> set = accounts.get(HandleNormaliser.channel(channel));
        return set != null && set.contains(HandleNormaliser.normalise(channel, handle));
    }

    public boolean isBrand(Mention m) {
        return m.author() != null && isBrand(m.channel(), m.author().handle());
    }

    @Override
    public List<CrmCommand> judge(JudgedMention j) {
        Mention m = j.mention();
        if (!isBrand(m)) {
            return List.of();
        }
        String conversation = judge.conversationKey(m);
        Optional<String> joined = rules.caseOfMention(m.id());
        String caseKey = joined.or(() -> rules.caseOfConversation(conversation)).orElse(null);
        if (caseKey == null || (joined.isEmpty() && !j.firstSeen())) {
            return List.of(); // no case in this conversation (or a replay of a post that did not join one)
        }
        RulesStore.CaseState state = rules.caseState(caseKey).orElse(null);
        if (state == null) {
            return List.of(); // the case's author was erased
        }
        Instant at = m.createdAt() != null ? m.createdAt() : j.now();
        if (joined.isEmpty()) {
            rules.addToCase(caseKey, conversation, m.id(), at);
        }
        responded(caseKey, m.channel(), state.openedAt(), at, m.id(), j.now());
        return List.of(caseResponded(caseKey, null));
    }

    /**
     * Records an answer of the brand in the case (a brand post seen in the conversation, or a reply the hub posted):
     * the first one is measured once.
     */
    public void responded(String caseKey, String channel, Instant openedAt, Instant at, String responseId, Instant now) {
        if (at.isBefore(openedAt)) {
            return; // an earlier brand post in the thread is not an answer to this case
        }
        boolean isNew = store.response(caseKey).isEmpty();
        if (store.respond(caseKey, channel, openedAt, at, responseId, now) && isNew) {
            timer(channel).record(Duration.between(openedAt, at));
        }
    }

    /** The Case upsert of an answered case: Status, first response time, and the posted reply's id when given. */
    public CrmCommand caseResponded(String caseKey, String postedId) {
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("Status", RESPONDED);
        store.response(caseKey).ifPresent(r -> {
            f.put("First_Response_At__c", r.firstResponseAt().toString());
            long seconds = Duration.between(r.openedAt(), r.firstResponseAt()).toSeconds();
            f.put("First_Response_Minutes__c", Math.round(seconds / 6.0) / 10.0);
        });
        if (postedId != null) {
            f.put("Social_Last_Reply_Id__c", postedId.length() > 255 ? postedId.substring(0, 255) : postedId);
        }
        return mapping.upsert("Case", "Social_Conversation_Id__c", caseKey, f);
    }

    private Timer timer(String channel) {
        return timers.computeIfAbsent(channel, c -> Timer.builder(METRIC)
                .description("Time from a service case's first post to the brand's first answer, per channel")
                .tag("channel", c)
                .publishPercentiles(0.5, 0.9)
                .register(meters));
    }
}
