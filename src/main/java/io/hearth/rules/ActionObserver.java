package io.hearth.rules;

import static io.hearth.rules.JudgeSupport.contains;
import static io.hearth.rules.JudgeSupport.normal;
import static io.hearth.rules.JudgeSupport.strip;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Pattern;

import io.hearth.identity.AuthorKeys;
import io.hearth.enrich.JudgedMention;
import io.hearth.mention.Mention;
import io.hearth.mention.MentionKind;

/**
 * Whether a mention shows a reward's action (never a reward for what was not observed): a post naming the brand, a
 * share of its content, an answer to another author's question, a hashtag, a challenge answer. Earlier posts (the
 * question answered, the post shared) are looked up in the mention log through {@code logged}.
 */
final class ActionObserver {

    private final Function<String, Optional<RulesStore.Logged>> logged;

    ActionObserver(Function<String, Optional<RulesStore.Logged>> logged) {
        this.logged = logged;
    }

    boolean observed(Rules rules, Rules.Reward reward, JudgedMention j) {
        Mention m = j.mention();
        if (!reward.hashtags().isEmpty() && !hasAnyTag(m, reward.hashtags())) {
            return false;
        }
        MentionKind kind = m.kind();
        return switch (reward.action()) {
            case any -> true;
            case hashtag -> kind != MentionKind.REPOST; // amplifying is a share
            case mention -> kind != MentionKind.REPOST && namesBrand(rules.brand(), m);
            // A repost of the brand's content, or (for a reward with hashtags) of the campaign's content.
            case share -> (kind == MentionKind.REPOST || kind == MentionKind.QUOTE)
                    && (!reward.hashtags().isEmpty() || sharesBrand(rules.brand(), m));
            case answer -> answers(j);
            case challenge -> hasAnyTag(m, List.of(reward.challenge().hashtag()))
                    && reward.challenge().answers().stream().anyMatch(a -> contains(normal(m.text()), normal(a)));
        };
    }

    private boolean answers(JudgedMention j) {
        Mention m = j.mention();
        if (m.inReplyTo() == null || (m.kind() != MentionKind.REPLY && m.kind() != MentionKind.COMMENT)) {
            return false;
        }
        String intent = m.intent();
        if ("question".equals(intent) || "complaint".equals(intent)) {
            return false;
        }
        Optional<RulesStore.Logged> parent = logged.apply(m.inReplyTo());
        String me = AuthorKeys.of(m.channel(), m.author() == null ? null : m.author().handle());
        return parent.isPresent() && "question".equals(parent.get().intent()) && !me.equals(parent.get().authorKey());
    }

    static boolean namesBrand(Rules.Brand brand, Mention m) {
        if (mentionsHandle(brand, m)) {
            return true;
        }
        String text = normal(m.text());
        return brand.keywords().stream().anyMatch(k -> contains(text, normal(k)));
    }

    private boolean sharesBrand(Rules.Brand brand, Mention m) {
        if (mentionsHandle(brand, m)) {
            return true;
        }
        if (m.repostOf() != null) {
            Optional<RulesStore.Logged> original = logged.apply(m.repostOf());
            if (original.isPresent()) {
                for (String h : brand.handles()) {
                    if (AuthorKeys.of(m.channel(), h).equals(original.get().authorKey())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean mentionsHandle(Rules.Brand brand, Mention m) {
        for (String h : brand.handles()) {
            String handle = strip(h, '@');
            if (m.mentions() != null && m.mentions().stream().anyMatch(x -> strip(x, '@').equalsIgnoreCase(handle))) {
                return true;
            }
            if (m.text() != null && m.text().toLowerCase(Locale.ROOT).contains("@" + handle.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** Whether the mention carries one of {@code tags} (with or without #, any case) in its hashtags or its text. */
    static boolean hasAnyTag(Mention m, List<String> tags) {
        List<String> have = new ArrayList<>();
        if (m.hashtags() != null) {
            m.hashtags().forEach(t -> have.add(strip(t, '#').toLowerCase(Locale.ROOT)));
        }
        String text = m.text() == null ? "" : m.text().toLowerCase(Locale.ROOT);
        for (String t : tags) {
            String tag = strip(t, '#').toLowerCase(Locale.ROOT);
            if (have.contains(tag) || Pattern.compile("#" + Pattern.quote(tag)
                    + "(?![\\p{L}\\p{N}_])").matcher(text).find()) {
                return true;
            }
        }
        return false;
    }
}
