package io.hearth.scoring;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The interests of one contact, for targeting: a decayed score per interest, of which the top N
 * count. Each mention's interests add their weight; older evidence fades with the half-life
 * ({@code score · 0.5^(age / halfLife)}), so a contact who talked about skiing last winter and
 * about football this week shows football first. A half-life of zero (or null) means no decay:
 * plain counts.
 * <p>
 * The profile keeps up to {@value #KEEP_FACTOR}×N candidates, so a new interest is not dropped
 * before it had a chance to grow; {@link #top} shows N. A plain data structure (not thread-safe);
 * {@link #entries} and {@link #restore} carry it to and from storage.
 */
public final class InterestProfile {

    static final int KEEP_FACTOR = 3;

    /** One interest's score as of {@code asOf}. */
    public record Entry(String key, Interest.Kind kind, double score) {
    }

    private final int topN;
    private final Duration halfLife;
    private final Map<String, Entry> entries = new HashMap<>();
    private Instant asOf;

    public InterestProfile(int topN, Duration halfLife) {
        if (topN < 1) {
            throw new IllegalArgumentException("hearth.scoring.interests.top-n must be at least 1, was " + topN);
        }
        if (halfLife != null && halfLife.isNegative()) {
            throw new IllegalArgumentException("hearth.scoring.interests.half-life must not be negative");
        }
        this.topN = topN;
        this.halfLife = halfLife == null ? Duration.ZERO : halfLife;
    }

    /** A profile from stored entries (scores as of {@code asOf}). */
    public static InterestProfile restore(int topN, Duration halfLife, Instant asOf, Collection<Entry> stored) {
        InterestProfile p = new InterestProfile(topN, halfLife);
        p.asOf = asOf;
        stored.forEach(e -> p.entries.put(e.key(), e));
        p.prune();
        return p;
    }

    /** Adds one mention's interests, observed at {@code at} (may be older than earlier ones). */
    public InterestProfile add(Instant at, Collection<Interest> interests) {
        if (interests.isEmpty()) {
            return this;
        }
        if (asOf == null) {
            asOf = at;
        } else if (at.isAfter(asOf)) {
            decayTo(at);
        }
        double factor = decay(Duration.between(at, asOf));
        for (Interest i : interests) {
            Entry old = entries.get(i.key());
            double score = (old == null ? 0 : old.score()) + i.weight() * factor;
            entries.put(i.key(), new Entry(i.key(), i.kind(), score));
        }
        prune();
        return this;
    }

    /** The top N interests as of {@code now}, best first (ties by key). */
    public List<Entry> top(Instant now) {
        double factor = asOf == null || !now.isAfter(asOf) ? 1 : decay(Duration.between(asOf, now));
        return sorted().stream().limit(topN)
                .map(e -> new Entry(e.key(), e.kind(), Math.round(e.score() * factor * 1000) / 1000.0))
                .toList();
    }

    /** All kept entries, as of {@link #asOf()}, for storage. */
    public List<Entry> entries() {
        return sorted();
    }

    public Instant asOf() {
        return asOf;
    }

    public int topN() {
        return topN;
    }

    private void decayTo(Instant at) {
        double factor = decay(Duration.between(asOf, at));
        entries.replaceAll((k, e) -> new Entry(e.key(), e.kind(), e.score() * factor));
        asOf = at;
    }

    private double decay(Duration age) {
        if (halfLife.isZero() || age.isNegative() || age.isZero()) {
            return 1;
        }
        return Math.pow(0.5, (double) age.toMillis() / halfLife.toMillis());
    }

    private List<Entry> sorted() {
        List<Entry> all = new ArrayList<>(entries.values());
        all.sort(Comparator.comparingDouble(Entry::score).reversed().thenComparing(Entry::key));
        return all;
    }

    private void prune() {
        int keep = topN * KEEP_FACTOR;
        if (entries.size() > keep) {
            List<Entry> all = sorted();
            for (Entry e : all.subList(keep, all.size())) {
                entries.remove(e.key());
            }
        }
    }
}
