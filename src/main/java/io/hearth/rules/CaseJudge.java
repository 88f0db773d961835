package io.hearth.rules;

import static io.hearth.rules.JudgeSupport.cutTo;
import static io.hearth.rules.JudgeSupport.normal;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.hearth.crm.CrmCommand;
import io.hearth.crm.CrmMapping;
import io.hearth.identity.AuthorKeys;
import io.hearth.enrich.JudgedMention;
import io.hearth.mention.Mention;

/**
 * Service cases (known contacts, or anyone above an influence; consent only if configured): one {@code Case} per
 * conversation, upserted by {@code Social_Conversation_Id__c}; later posts of the conversation by its author join it,
 * and so (with {@code join-author-within-hours}) do the author's new wanted posts. A replay repeats the case a post
 * joined, never opens or joins one anew.
 */
final class CaseJudge {

    private static final int DESCRIPTION_POSTS = 20;
    private static final List<String> PRIORITIES = List.of("Low", "Medium", "High");

    private final RulesStore store;
    private final CrmMapping mapping;
    /** null: no reasons (older wiring in tests). */
    private final CatalogueStore catalogue;

    /** The brand's own posts (io.hearth.service.BrandReplies): they answer cases, never open one. */
    private volatile java.util.function.Predicate<Mention> brandPost = m -> false;

    void brandPosts(java.util.function.Predicate<Mention> brandPost) {
        this.brandPost = brandPost == null ? m -> false : brandPost;
    }

    CaseJudge(RulesStore store, CrmMapping mapping, CatalogueStore catalogue) {
        this.store = store;
        this.mapping = mapping;
        this.catalogue = catalogue;
    }

    void judge(Rules rules, JudgedMention j, List<CrmCommand> out) {
        Rules.Cases c = rules.cases();
        if (c == null || !c.enabled() || !io.hearth.enrich.Rejudging.Scope.cases()) {   // a backfill: cases if asked
            return;
        }
        Mention m = j.mention();
        String caseKey = store.caseOfMention(m.id()).orElse(null);
        if (caseKey == null && !j.firstSeen()) {
            return; // a replay repeats the case a post joined, never opens or joins one anew
        }
        if (caseKey == null && brandPost.test(m)) {
            return; // the brand's own post joins a case only as its answer (io.hearth.service.BrandReplies, which runs first)
        }
        if (caseKey == null) {
            caseKey = join(c, j);
            if (caseKey == null) {
                return;
            }
        }
        RulesStore.CaseState state = store.caseState(caseKey).orElse(null);
        if (state == null) {
            return; // the case's author was erased (privacy): nothing to add to
        }
        if (state.openedMention().equals(m.id()) && !j.consented()) {
            // The enrich stage writes Social_Mention__c only for consenting contacts; the case needs its post anyway.
            out.add(caseMention(j));
        }
        out.add(caseRecord(c, state, j));
    }

    /** The case a first-seen post joins (its conversation's, the author's recent one, or a new one); null: none. */
    private String join(Rules.Cases c, JudgedMention j) {
        Mention m = j.mention();
        String authorKey = caseAuthorKey(m);
        String conversation = conversationKey(m);
        Instant at = JudgeSupport.postedAt(j);
        boolean wanted = c.intents().contains(m.intent()) && keywordsMatch(c, m);
        boolean eligible = j.known() ? (!c.requireConsent() || j.consented())
                : c.who() == Rules.Who.anyone && m.influence() != null && m.influence() >= c.minInfluence();
        String caseKey = null;
        Optional<String> ofConversation = store.caseOfConversation(conversation);
        if (ofConversation.isPresent()) {
            // A later post in the case's conversation by its author joins the case, whatever its intent.
            RulesStore.CaseState state = store.caseState(ofConversation.get()).orElse(null);
            if (state != null && state.authorKey().equals(authorKey)) {
                caseKey = ofConversation.get();
            }
        } else if (wanted && eligible && c.joinAuthorWithinHours() > 0) {
            caseKey = store.recentCaseOf(authorKey, at.minus(Duration.ofHours(c.joinAuthorWithinHours()))).orElse(null);
        }
        if (caseKey == null) {
            if (!(wanted && eligible) || ofConversation.isPresent()) {
                return null;
            }
            caseKey = JudgeSupport.key("case", null, conversation);
            store.openCase(new RulesStore.CaseState(caseKey, authorKey, j.contactId(), m.id(), at));
            if (catalogue != null) {
                String keyword = c.keywords().stream().filter(k -> normal(m.text()).contains(normal(k))).findFirst()
                        .orElse(null);
                catalogue.reasonOnce(caseKey, j.contactId(), "cases:" + m.intent(), RuleReasons.caseOpened(m.intent(),
                        m.channel(), j.known(), m.influence(), c, keyword), j.now());
            }
        }
        store.addToCase(caseKey, conversation, m.id(), at);
        return caseKey;
    }

    private CrmCommand caseRecord(Rules.Cases cases, RulesStore.CaseState state, JudgedMention j) {
        List<RulesStore.Logged> posts = new ArrayList<>();
        for (String id : store.mentionsOfCase(state.caseKey())) {
            store.logged(id).ifPresent(posts::add);
        }
        RulesStore.Logged first = posts.isEmpty() ? null : posts.get(0);
        String priority = "Low";
        Rules.Priority p = cases.priority();
        for (RulesStore.Logged post : posts) {
            priority = max(priority, priority(p, post.influence(), post.sentiment()));
        }
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("Origin", "Social");
        String contact = state.contactId() != null ? state.contactId() : j.contactId();
        if (contact != null) {
            f.put("ContactId", contact);
        }
        f.put("Priority", priority);
        String intent = first == null || first.intent() == null ? "post" : first.intent();
        String text = first == null || first.text() == null ? "" : first.text().replaceAll("\\s+", " ").strip();
        f.put("Subject", cutTo("Social " + intent + " on " + (first == null ? j.mention().channel() : first.channel())
                + ": " + text, 255));
        f.put("Description", cutTo(description(posts), 32_000));
        Map<String, Object> parent = new LinkedHashMap<>();
        parent.put(mapping.name("External_Id__c"), state.openedMention());
        f.put(JudgeSupport.relationship(mapping.name("Social_Mention__c")), parent);
        if (catalogue != null) {
            catalogue.reason(state.caseKey()).ifPresent(why -> {
                f.put("Social_Rule__c", why.ruleKey());
                f.put("Social_Reason__c", why.reason());
            });
        }
        return mapping.upsert("Case", "Social_Conversation_Id__c", state.caseKey(), f);
    }

    /** The case's last {@value #DESCRIPTION_POSTS} posts, oldest first, each with its facts; the rest counted. */
    static String description(List<RulesStore.Logged> posts) {
        StringBuilder d = new StringBuilder();
        int from = Math.max(0, posts.size() - DESCRIPTION_POSTS);
        if (from > 0) {
            d.append("(").append(from).append(" earlier post(s) not shown)\n\n");
        }
        for (RulesStore.Logged post : posts.subList(from, posts.size())) {
            d.append(post.createdAt()).append(" · ").append(post.channel());
            if (post.handle() != null) {
                d.append(" · @").append(post.handle());
            }
            d.append(" · ").append(post.intent() == null ? "other" : post.intent());
            if (post.sentiment() != null) {
                d.append(String.format(Locale.ROOT, " · sentiment %.2f", post.sentiment()));
            }
            if (post.influence() != null) {
                d.append(" · influence ").append(post.influence());
            }
            d.append('\n').append(post.text() == null ? "(text purged by retention)" : post.text()).append("\n\n");
        }
        return d.toString().strip();
    }

    private CrmCommand caseMention(JudgedMention j) {
        Mention m = j.mention();
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("Channel__c", m.channel());
        f.put("Author_Handle__c", cutTo(m.author() == null ? null : m.author().handle(), 255));
        f.put("Text__c", cutTo(m.text(), 32_768));
        f.put("Url__c", m.url() != null && m.url().length() <= 255 ? m.url() : null);
        f.put("Posted_At__c", m.createdAt() == null ? null : m.createdAt().toString());
        f.put("Kind__c", m.kind() == null ? null : m.kind().name().toLowerCase(Locale.ROOT));
        f.put("Sentiment__c", m.sentiment() == null ? null : Math.round(m.sentiment() * 100) / 100.0);
        f.put("Intent__c", m.intent());
        f.put("Influence__c", m.influence());
        return mapping.upsert("Social_Mention__c", "External_Id__c", m.id(), f);
    }

    /**
     * Who a case belongs to, pseudonymised: by handle, else by the channel's author id (Facebook pages give no handle),
     * else nobody else (the post's own id), so authors without a handle never share a case.
     */
    static String caseAuthorKey(Mention m) {
        Mention.Author a = m.author();
        if (a != null && a.handle() != null && !a.handle().isBlank()) {
            return AuthorKeys.of(m.channel(), a.handle());
        }
        if (a != null && a.nativeId() != null && !a.nativeId().isBlank()) {
            return AuthorKeys.of(m.channel(), "id:" + a.nativeId());
        }
        return AuthorKeys.of(m.channel(), "post:" + m.id());
    }

    static String priority(Rules.Priority p, Integer influence, Double sentiment) {
        int inf = influence == null ? 0 : influence;
        if (inf >= p.highInfluence() || (sentiment != null && sentiment <= p.highSentiment())) {
            return "High";
        }
        return inf < p.lowInfluence() && (sentiment == null || sentiment > -0.25) ? "Low" : "Medium";
    }

    private static String max(String a, String b) {
        return PRIORITIES.indexOf(a) >= PRIORITIES.indexOf(b) ? a : b;
    }

    static boolean keywordsMatch(Rules.Cases c, Mention m) {
        if (c.keywords().isEmpty()) {
            return true;
        }
        String text = normal(m.text());
        return c.keywords().stream().anyMatch(k -> text.contains(normal(k)));
    }

    /**
     * The conversation a post belongs to: the channel's conversation id, else the conversation of the post it replies
     * to (as far as the hub has seen it), else the post itself; always prefixed with the channel.
     */
    String conversationKey(Mention m) {
        String conversation = m.conversationId();
        if ((conversation == null || conversation.isBlank()) && m.inReplyTo() != null) {
            conversation = store.conversationOfMention(m.inReplyTo())
                    .or(() -> store.logged(m.inReplyTo()).map(l -> l.conversationId() != null ? l.conversationId()
                            : l.mentionId()))
                    .orElse(m.inReplyTo());
        }
        if (conversation == null || conversation.isBlank()) {
            conversation = m.id();
        }
        return conversation.startsWith(m.channel() + ":") ? conversation : m.channel() + ":" + conversation;
    }
}
