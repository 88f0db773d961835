package io.hearth.scoring;

import java.util.ArrayList;
import java.util.List;

/** Everything scoring says about one mention, with the reasons. */
public record Scores(Sentiment sentiment, IntentResult intent, Influence influence, List<Interest> interests) {

    public Scores {
        interests = List.copyOf(interests);
    }

    /** One line per score, for logs, the CRM's description fields and people asking "why?". */
    public List<String> explanations() {
        List<String> lines = new ArrayList<>();
        lines.add("sentiment " + sentiment.explanation());
        lines.add("intent " + intent.explanation());
        lines.add("influence " + influence.explanation());
        StringBuilder b = new StringBuilder("interests ");
        if (interests.isEmpty()) {
            b.append("none");
        }
        for (int i = 0; i < interests.size(); i++) {
            Interest in = interests.get(i);
            b.append(i == 0 ? "" : ", ").append(in.key());
            if (in.kind() == Interest.Kind.TOPIC) {
                b.append(" (\"").append(in.because()).append("\")");
            }
        }
        lines.add(b.toString());
        return lines;
    }
}
