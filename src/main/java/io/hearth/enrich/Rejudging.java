package io.hearth.enrich;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Judging stored mentions again (docs/enrichment.md, "Judging stored mentions again"): the mentions the mention log
 * still holds (payload kept, text not purged by retention) of some authors, of a contact, or posted in a date range,
 * become {@link Request}s that a route puts back on {@code social.mentions}, grouped by author like any mention. The
 * enrich stage then treats each as the redelivery it is, inside its batch transaction:
 * <ul>
 * <li>{@link Mode#ATTRIBUTION} (late attribution, issue 10): a mention whose author is now a consenting contact but whose
 * row is not attributed to them is attributed and judged as new (Social_Mention__c, aggregates, what the rules grant
 * for a post of that date); a row already attributed is a plain redelivery (the same commands again, nothing new);</li>
 * <li>{@link Mode#RULES} (rules backfill, issue 13): every selected mention is judged as new by the rules; their
 * ledgers are insert-once by deterministic keys, so what was granted before is repeated, never granted twice.</li>
 * </ul>
 * Exactly once comes from the enrich stage (the row's change commits with the commands it causes), not from here:
 * selecting or sending a mention twice costs a repeated, idempotent upsert, never a second grant.
 */
public final class Rejudging {

    /** Header of a mention put back on social.mentions: the {@link Mode} it is judged in. */
    public static final String HEADER = "HearthRejudge";

    /** How a mention put back is judged. */
    public enum Mode {
        ATTRIBUTION, RULES;

        /** The header value ({@code attribution}, {@code rules}); anything else, or none: a plain redelivery. */
        public static Mode of(Object header) {
            if (header == null) {
                return null;
            }
            for (Mode m : values()) {
                if (m.name().equalsIgnoreCase(header.toString())) {
                    return m;
                }
            }
            return null;
        }

        public String header() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * Which stored mentions: of these author pseudonyms (null: any), of this contact (null: any), posted in
     * [{@code postedFrom}, {@code postedUntil}) (null: open); {@code unattributedOnly}: rows without a consenting contact.
     */
    public record Selection(Set<String> authorKeys, String contactId, Instant postedFrom, Instant postedUntil,
                            boolean unattributedOnly) {

        public static Selection unattributedOf(Collection<String> authorKeys) {
            return new Selection(Set.copyOf(authorKeys), null, null, null, true);
        }

        public static Selection ofContact(String contactId, Instant postedFrom, Instant postedUntil) {
            if (contactId == null || contactId.isBlank()) {
                throw new IllegalArgumentException("a contact id is needed");
            }
            return new Selection(null, contactId, postedFrom, postedUntil, false);
        }

        public static Selection posted(Instant postedFrom, Instant postedUntil) {
            if (postedFrom != null && postedUntil != null && !postedFrom.isBefore(postedUntil)) {
                throw new IllegalArgumentException("the date range is empty: " + postedFrom + " .. " + postedUntil);
            }
            return new Selection(null, null, postedFrom, postedUntil, false);
        }
    }

    /** Headers of a mention put back by a rules backfill: its id, the reward keys (comma-separated; none: all), cases. */
    public static final String BACKFILL_HEADER = "HearthBackfill";
    public static final String BACKFILL_RULES_HEADER = "HearthBackfillRules";
    public static final String BACKFILL_CASES_HEADER = "HearthBackfillCases";

    /**
     * What one backfilled mention may do and what it did (rules backfill, issue 13): only the reward rules asked for
     * ({@code rules} null: all), cases only if asked; the judges count the rewards they add and the advocate flags they
     * change. Set by the enrich stage around the judges of one mention ({@link #within}), read by them on the same thread.
     */
    public static final class Scope {
        private static final ThreadLocal<Scope> CURRENT = new ThreadLocal<>();

        private final String backfillId;
        private final Set<String> rules;
        private final boolean cases;
        private int rewardsAdded;
        private int flagsChanged;

        public Scope(String backfillId, Set<String> rules, boolean cases) {
            this.backfillId = backfillId;
            this.rules = rules == null ? null : Set.copyOf(rules);
            this.cases = cases;
        }

        /** The scope of the mention being judged on this thread; null: not a backfill (everything applies). */
        public static Scope current() {
            return CURRENT.get();
        }

        public static <T> T within(Scope scope, java.util.function.Supplier<T> work) {
            Scope before = CURRENT.get();
            CURRENT.set(scope);
            try {
                return work.get();
            } finally {
                if (before == null) {
                    CURRENT.remove();
                } else {
                    CURRENT.set(before);
                }
            }
        }

        /** The reward rule applies to a backfilled mention (always outside a backfill). */
        public static boolean rule(String rewardKey) {
            Scope s = CURRENT.get();
            return s == null || s.rules == null || s.rules.contains(rewardKey);
        }

        /** Cases are judged (always outside a backfill). */
        public static boolean cases() {
            Scope s = CURRENT.get();
            return s == null || s.cases;
        }

        public static void rewardAdded() {
            Scope s = CURRENT.get();
            if (s != null) {
                s.rewardsAdded++;
            }
        }

        public static void flagChanged() {
            Scope s = CURRENT.get();
            if (s != null) {
                s.flagsChanged++;
            }
        }

        public String backfillId() {
            return backfillId;
        }

        public int rewardsAdded() {
            return rewardsAdded;
        }

        public int flagsChanged() {
            return flagsChanged;
        }

        /** From a message's headers; null when it is not a backfill's. */
        public static Scope of(Object id, Object rules, Object cases) {
            if (id == null || id.toString().isBlank()) {
                return null;
            }
            Set<String> keys = rules == null || rules.toString().isBlank() ? null
                    : Set.of(rules.toString().split("\\s*,\\s*"));
            return new Scope(id.toString(), keys, cases != null && Boolean.parseBoolean(cases.toString()));
        }
    }

    /** One stored mention to put back on social.mentions: its JSON, its message group (author) and mode. */
    public record Request(String mentionId, String group, String mentionJson, String mode) {
    }

    /** Author keys per query (an IN list). */
    static final int KEYS_PER_QUERY = 500;
    /** Rows per page. */
    static final int PAGE = 1000;

    private final MentionLog log;

    public Rejudging(MentionLog log) {
        this.log = log;
    }

    /**
     * The stored mentions of the selection, as requests in {@code mode}; {@code accept} filters rows (e.g. late
     * attribution: only rows still unattributed or of the contact the author now is), null: all.
     */
    public List<Request> requests(Selection s, Mode mode, java.util.function.Predicate<MentionLog.Stored> accept) {
        List<Request> out = new ArrayList<>();
        if (s.authorKeys() == null) {
            page(s, null, mode, accept, out);
        } else {
            List<String> keys = s.authorKeys().stream().sorted().toList();
            for (int i = 0; i < keys.size(); i += KEYS_PER_QUERY) {
                page(s, keys.subList(i, Math.min(keys.size(), i + KEYS_PER_QUERY)), mode, accept, out);
            }
        }
        return out;
    }

    private void page(Selection s, List<String> keys, Mode mode, java.util.function.Predicate<MentionLog.Stored> accept,
                      List<Request> out) {
        String after = null;
        while (true) {
            List<MentionLog.Stored> rows = log.stored(keys, s.contactId(), s.postedFrom(), s.postedUntil(),
                    s.unattributedOnly(), after, PAGE);
            for (MentionLog.Stored r : rows) {
                if (accept == null || accept.test(r)) {
                    out.add(new Request(r.mentionId(), r.authorKey().substring(0, 12), r.payload(), mode.header()));
                }
            }
            if (rows.size() < PAGE) {
                return;
            }
            after = rows.get(rows.size() - 1).mentionId();
        }
    }
}
