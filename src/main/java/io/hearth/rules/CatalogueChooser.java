package io.hearth.rules;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * Which catalogue item a reward grants (docs/rules.md, "Reward catalogue"): plain, deterministic and explainable.
 * <ol>
 * <li>Candidates: the items the rule may give ({@code item.from}, else the whole catalogue), valid on the post's day,
 * with stock left and that the contact holds fewer than {@code per-contact} of.</li>
 * <li>Each candidate is matched against the contact's interest profile (the enrich stage's top interests, strongest
 * first); a tag matches an interest equal to it, with or without {@code #}, without case.</li>
 * <li>Order: most matching interests first; then the strongest matching interest (its rank in the profile); then the
 * catalogue's own order (the file's order is the admin's preference); then the key. No randomness, so the same state
 * gives the same item, and the reason names the matching interests.</li>
 * <li>Nothing matches: the rule's {@code fallback} item if it is a candidate, else no item.</li>
 * </ol>
 * The result is a ranked list: the store claims the first whose stock it can still take (another consumer may have
 * taken the last unit in between) and falls to the next.
 */
public final class CatalogueChooser {

    /** One possible choice: the item, the interests it matched (strongest first) and the one-line reason. */
    public record Choice(Rules.CatalogueItem item, List<String> matched, String reason) {
    }

    private CatalogueChooser() {
    }

    /**
     * @param interests the contact's interests, strongest first
     * @param taken     units of an item given so far (all contacts)
     * @param held      units of an item this contact holds
     */
    public static List<Choice> rank(List<Rules.CatalogueItem> catalogue, Rules.ItemGrant grant, List<String> interests,
                                    LocalDate day, ToLongFunction<String> taken, ToLongFunction<String> held) {
        List<String> profile = interests.stream().map(CatalogueChooser::tag).toList();
        record Scored(Rules.CatalogueItem item, int order, List<String> matched, int strongest) {
        }
        List<Scored> scored = new ArrayList<>();
        Rules.CatalogueItem fallback = null;
        for (int i = 0; i < catalogue.size(); i++) {
            Rules.CatalogueItem item = catalogue.get(i);
            if (!grant.from().isEmpty() && !grant.from().contains(item.key())) {
                continue;
            }
            if (!available(item, day, taken, held)) {
                continue;
            }
            if (item.key().equals(grant.fallback())) {
                fallback = item;
            }
            List<String> matched = new ArrayList<>();
            int strongest = Integer.MAX_VALUE;
            for (int rank = 0; rank < profile.size(); rank++) {
                for (String t : item.interests()) {
                    if (tag(t).equals(profile.get(rank)) && !matched.contains(interests.get(rank))) {
                        matched.add(interests.get(rank));
                        strongest = Math.min(strongest, rank);
                    }
                }
            }
            if (!matched.isEmpty()) {
                scored.add(new Scored(item, i, matched, strongest));
            }
        }
        scored.sort(Comparator.comparingInt((Scored s) -> -s.matched().size())
                .thenComparingInt(Scored::strongest)
                .thenComparingInt(Scored::order)
                .thenComparing(s -> s.item().key()));
        List<Choice> out = new ArrayList<>();
        for (Scored s : scored) {
            out.add(new Choice(s.item(), List.copyOf(s.matched()), reason(s.item(), s.matched(), interests)));
        }
        if (fallback != null && out.stream().noneMatch(c -> c.item().key().equals(grant.fallback()))) {
            out.add(new Choice(fallback, List.of(), "fallback item " + fallback.key() + ": no catalogue item matched"
                    + (interests.isEmpty() ? " (no interests known yet)" : " interests " + String.join(", ", top(interests)))));
        }
        return out;
    }

    /** Valid on the day, stock left, and the contact may still get one. */
    static boolean available(Rules.CatalogueItem item, LocalDate day, ToLongFunction<String> taken,
                             ToLongFunction<String> held) {
        return item.validOn(day) && (item.stock() == null || taken.applyAsLong(item.key()) < item.stock())
                && held.applyAsLong(item.key()) < item.perContact();
    }

    private static String reason(Rules.CatalogueItem item, List<String> matched, List<String> interests) {
        return "item " + item.key() + " for interest" + (matched.size() == 1 ? " " : "s ") + String.join(", ", matched)
                + " (profile: " + String.join(", ", top(interests)) + ")";
    }

    private static List<String> top(List<String> interests) {
        return interests.size() <= 5 ? interests : interests.subList(0, 5);
    }

    /** How tags and interests compare: without a leading #, lower case. */
    static String tag(String s) {
        String t = s == null ? "" : s.strip();
        return (t.startsWith("#") ? t.substring(1) : t).toLowerCase(Locale.ROOT);
    }
}
