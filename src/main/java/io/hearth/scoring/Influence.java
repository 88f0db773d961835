package io.hearth.scoring;

import java.util.List;

/**
 * How far a mention carries, 0 … 100: {@code reach} (from followers), {@code engagement} (on the
 * post) and {@code verified} are the parts; {@code score} is their rounded, capped sum.
 */
public record Influence(int score, double reach, double engagement, double verified, List<String> reasons) {

    public Influence {
        if (score < 0 || score > 100) {
            throw new IllegalArgumentException("influence must be in [0, 100], was " + score);
        }
        reasons = List.copyOf(reasons);
    }

    public String explanation() {
        return score + ": " + String.join("; ", reasons);
    }
}
