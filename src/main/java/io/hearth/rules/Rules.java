package io.hearth.rules;

import java.time.LocalDate;
import java.util.List;

/**
 * The rules of config/rules.yml (docs/rules.md), as bound by {@link RulesLoader}: advocate tiers, rewards, badges,
 * leaderboards and service cases. Field names in the file are kebab-case ({@code window-days}). Lists are never null
 * after loading.
 */
public record Rules(String programme, Brand brand, Advocates advocates, List<Reward> rewards, List<Badge> badges,
                    List<Leaderboard> leaderboards, Cases cases, List<CatalogueItem> catalogue) {

    public Rules {
        brand = brand == null ? new Brand(null, null) : brand;
        rewards = rewards == null ? List.of() : List.copyOf(rewards);
        catalogue = catalogue == null ? List.of() : List.copyOf(catalogue);
        badges = badges == null ? List.of() : List.copyOf(badges);
        leaderboards = leaderboards == null ? List.of() : List.copyOf(leaderboards);
    }

    public static final Rules NONE = new Rules("none", null, null, null, null, null, null, null);

    /** The brand's own accounts (handles without @, per any channel) and words that name it in a post. */
    public record Brand(List<String> handles, List<String> keywords) {
        public Brand {
            handles = handles == null ? List.of() : List.copyOf(handles);
            keywords = keywords == null ? List.of() : List.copyOf(keywords);
        }
    }

    /** Advocate tiers over a rolling window; the first tier listed is the highest. */
    public record Advocates(Integer windowDays, List<Tier> tiers) {
        public Advocates {
            windowDays = windowDays == null ? 90 : windowDays;
            tiers = tiers == null ? List.of() : List.copyOf(tiers);
        }
    }

    /** A tier is entered when every {@code enter} threshold is met and left only when a {@code leave} one is missed. */
    public record Tier(String name, Thresholds enter, Thresholds leave) {
    }

    /** Thresholds over the window; unset = no condition. */
    public record Thresholds(Long positiveMentions, Double averageSentiment, Integer influence) {
    }

    /** What a contact did on the channel that a reward is for. */
    public enum Action {
        /** a post, reply or quote that names the brand (handle or keyword) */
        mention,
        /** a repost or quote of the brand's content */
        share,
        /** a reply to another author's question that is not itself a question or a complaint */
        answer,
        /** a post with one of the reward's hashtags (inside its from/until window) */
        hashtag,
        /** a challenge answer: the challenge hashtag and an accepted answer; the first N contacts win */
        challenge,
        /** any mention of a consenting contact: with {@code per: contact} a once-only welcome (e.g. newly linked) */
        any
    }

    /** A reward trigger: the Salesforce platform event Hearth_Reward__e, or the signed HTTP webhook. */
    public enum Trigger { salesforce, webhook }

    /** What one reward key stands for: each mention, or once per contact, day or month. */
    public enum Per { mention, contact, day, month }

    /**
     * @param withinDays a rolling window: only posts of the last N UTC days, counted from the day the hub judges the
     *                   post (its clock); null: no rolling window. Combines with from/until.
     * @param triggers   where a grant of this reward is announced besides the CRM record (docs/rules.md "Reward
     *                   triggers"): the Hearth_Reward__e platform event, the signed webhook; empty: nowhere
     */
    public record Reward(String key, Action action, Long points, Draw draw, List<String> hashtags, LocalDate from,
                         LocalDate until, Per per, Cap cap, Challenge challenge, Integer withinDays,
                         ItemGrant item, List<Trigger> triggers) {
        public Reward {
            hashtags = hashtags == null ? List.of() : List.copyOf(hashtags);
            triggers = triggers == null ? List.of() : List.copyOf(triggers);
            per = per == null ? Per.mention : per;
        }

        /** Without triggers (tests, older callers). */
        public Reward(String key, Action action, Long points, Draw draw, List<String> hashtags, LocalDate from,
                      LocalDate until, Per per, Cap cap, Challenge challenge, Integer withinDays, ItemGrant item) {
            this(key, action, points, draw, hashtags, from, until, per, cap, challenge, withinDays, item, null);
        }
    }

    /**
     * A reward that grants an item of the {@code catalogue} (instead of or with points), chosen by the contact's
     * interests ({@link CatalogueChooser}). {@code from}: the catalogue keys to choose among (empty: all);
     * {@code fallback}: the item given when none matches an interest (unset: no item without a matching interest).
     */
    public record ItemGrant(List<String> from, String fallback) {
        public ItemGrant {
            from = from == null ? List.of() : List.copyOf(from);
        }
    }

    /**
     * One item of the reward catalogue: interest tags (topics of hearth.scoring.interests.topics or hashtags),
     * {@code stock} (units in all; unset: unlimited), {@code per-contact} (how many one person may get; default 1:
     * never the same item twice), and an optional validity window (inclusive, by the post's UTC date).
     */
    public record CatalogueItem(String key, String name, List<String> interests, Long stock, Integer perContact,
                                LocalDate from, LocalDate until) {
        public CatalogueItem {
            interests = interests == null ? List.of() : List.copyOf(interests);
            perContact = perContact == null ? 1 : perContact;
        }

        /** Whether the item may be given for a post of this UTC day. */
        public boolean validOn(LocalDate day) {
            return (from == null || !day.isBefore(from)) && (until == null || !day.isAfter(until));
        }
    }

    /** Random points between min and max, drawn deterministically from seed + reward key (auditable). */
    public record Draw(Long min, Long max, String seed) {
    }

    /** Points caps per contact for one reward rule. */
    public record Cap(Long perDay, Long perMonth) {
    }

    public record Challenge(String hashtag, List<String> answers, Integer winners) {
        public Challenge {
            answers = answers == null ? List.of() : List.copyOf(answers);
        }
    }

    /** A badge at a milestone: total points reached, or a number of rewards of one rule. */
    public record Badge(String name, Long atPoints, String rule, Long atCount) {
    }

    public enum Period { day, month, campaign }

    /**
     * Points of {@code rules} (reward keys; empty = all) per contact and period. With {@code leader-badge}, when a
     * period is over (the first judged mention after it), its leader gets that badge.
     */
    public record Leaderboard(String key, List<String> rules, Period period, String leaderBadge, Long leaderPoints) {
        public Leaderboard {
            rules = rules == null ? List.of() : List.copyOf(rules);
            period = period == null ? Period.month : period;
        }
    }

    public enum Who { known, anyone }

    /** Service cases: which intents open one, for whom, and how urgent. */
    public record Cases(Boolean enabled, List<String> intents, Who who, Integer minInfluence, Boolean requireConsent,
                        Priority priority, Integer joinAuthorWithinHours, List<String> keywords) {
        public Cases {
            enabled = enabled == null || enabled;
            intents = intents == null ? List.of("complaint", "question") : List.copyOf(intents);
            who = who == null ? Who.known : who;
            requireConsent = requireConsent != null && requireConsent;
            priority = priority == null ? new Priority(null, null, null) : priority;
            joinAuthorWithinHours = joinAuthorWithinHours == null ? 0 : joinAuthorWithinHours;
            keywords = keywords == null ? List.of() : List.copyOf(keywords);
        }
    }

    /** High: influence ≥ high-influence or sentiment ≤ high-sentiment; Low: influence below low-influence; else Medium. */
    public record Priority(Integer highInfluence, Double highSentiment, Integer lowInfluence) {
        public Priority {
            highInfluence = highInfluence == null ? 60 : highInfluence;
            highSentiment = highSentiment == null ? -0.6 : highSentiment;
            lowInfluence = lowInfluence == null ? 10 : lowInfluence;
        }
    }
}
