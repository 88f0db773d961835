package io.hearth.scoring;

import java.util.List;

/**
 * The intent of a mention with the evidence for each candidate: {@code question}, {@code service}
 * and {@code praise} are the summed cue weights, {@code reasons} say which cues and rules decided.
 */
public record IntentResult(Intent intent, double question, double service, double praise, List<String> reasons) {

    public IntentResult {
        reasons = List.copyOf(reasons);
    }

    public String explanation() {
        return intent.value() + ": " + String.join("; ", reasons);
    }
}
