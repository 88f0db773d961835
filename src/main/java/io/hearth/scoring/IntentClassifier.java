package io.hearth.scoring;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Question, complaint, praise or other, from German and English cues combined with the sentiment.
 * Cues live in {@code scoring/intent-en.txt} and {@code intent-de.txt} (sections {@code question},
 * {@code service}, {@code complaint}, {@code praise}); a question mark adds {@value #QUESTION_MARK}
 * to the question evidence. The rules, in order:
 * <ol>
 * <li><b>question</b> when question evidence ≥ {@value #QUESTION_THRESHOLD} — unless it is a
 *     strongly negative post (≤ {@value #QUESTION_BUT_COMPLAINT}) with service or complaint cues
 *     ("Why is my train late AGAIN?? 😡"), which is a complaint;</li>
 * <li><b>complaint</b> when a service cue ("Verspätung", "cancelled", "Streik", "refund", …)
 *     meets a sentiment below +{@value #PRAISE_WITH_CUE}, or the sentiment is ≤ {@value #STRONGLY_NEGATIVE},
 *     or complaint cues ("unacceptable", "schon wieder") meet a negative sentiment;</li>
 * <li><b>praise</b> when the sentiment is ≥ {@value #POSITIVE}, or ≥ {@value #PRAISE_WITH_CUE} with a
 *     praise cue ("danke", "kudos"), or a strong praise cue (weight ≥ {@value #STRONG_PRAISE_CUE}:
 *     "weiter so", "well done") with a sentiment that is not negative;</li>
 * <li>otherwise <b>other</b>.</li>
 * </ol>
 * Cues of the post's language count fully; of the other language, service, complaint and praise
 * cues count too (mixed posts), sentence-start question words do not ("Was" is German "what").
 */
public final class IntentClassifier {

    static final double QUESTION_MARK = 2;
    static final double QUESTION_THRESHOLD = 1.5;
    static final double STRONGLY_NEGATIVE = -0.5;
    static final double POSITIVE = 0.3;
    static final double PRAISE_WITH_CUE = 0.1;
    static final double QUESTION_BUT_COMPLAINT = -0.6;
    static final double STRONG_PRAISE_CUE = 2;

    /** Longer patterns first, then heavier ones (a stable sort: otherwise in the order found). */
    private static final Comparator<CueList.Hit> LONGEST_FIRST = Comparator
            .comparingInt((CueList.Hit h) -> -h.pattern().words().size()).thenComparingDouble(h -> -h.pattern().weight());

    private final CueList en;
    private final CueList de;

    public IntentClassifier() {
        this(CueList.resource("scoring/intent-en.txt"), CueList.resource("scoring/intent-de.txt"));
    }

    public IntentClassifier(CueList en, CueList de) {
        this.en = en;
        this.de = de;
    }

    /** Classifies {@code text}, whose sentiment is already known (its language is used for the cues). */
    public IntentResult classify(String text, Sentiment sentiment) {
        return classify(text, sentiment, Text.tokens(text));
    }

    /** The same with the text's {@link Text#tokens} already made (the scorers of one mention share them). */
    IntentResult classify(String text, Sentiment sentiment, List<Text.Token> tokens) {
        List<String> reasons = new ArrayList<>();
        if (tokens.isEmpty()) {
            reasons.add("no text");
            return new IntentResult(Intent.OTHER, 0, 0, 0, reasons);
        }
        String language = Languages.supported(sentiment.lang());
        if (language == null) {
            language = Languages.guess(text, tokens);
        }
        CueList primary = language.equals(Languages.DE) ? de : en;
        CueList secondary = primary == de ? en : de;

        // each cue list's sections in one pass over the tokens
        CueList.Found first = primary.findAll(tokens);
        CueList.Found second = secondary.findAll(tokens);
        List<String> questionCues = new ArrayList<>();
        double question = evidence("question", tokens, first, null, questionCues);
        boolean marks = false;
        for (Text.Token t : tokens) {
            marks |= t.isPunct('?');
        }
        if (marks) {
            question += QUESTION_MARK;
            questionCues.add("\"?\" +" + fmt(QUESTION_MARK));
        }
        List<String> serviceCues = new ArrayList<>();
        double service = evidence("service", tokens, first, second, serviceCues);
        List<String> complaintCues = new ArrayList<>();
        double complaint = evidence("complaint", tokens, first, second, complaintCues);
        List<String> praiseCues = new ArrayList<>();
        double praise = evidence("praise", tokens, first, second, praiseCues);
        double s = sentiment.score();

        cueReason(reasons, "question", question, questionCues);
        cueReason(reasons, "service", service, serviceCues);
        cueReason(reasons, "complaint", complaint, complaintCues);
        cueReason(reasons, "praise", praise, praiseCues);
        reasons.add("sentiment " + Numbers.signed(s, 2));

        Intent intent;
        if (question >= QUESTION_THRESHOLD) {
            if ((service + complaint > 0 && s <= QUESTION_BUT_COMPLAINT) || (complaint >= 1.5 && s <= -0.3)) {
                intent = Intent.COMPLAINT;
                reasons.add("rule: a question, but strongly negative with service/complaint cues");
            } else {
                intent = Intent.QUESTION;
                reasons.add("rule: question evidence ≥ " + fmt(QUESTION_THRESHOLD));
            }
        } else if (service > 0 && s < PRAISE_WITH_CUE) {
            intent = Intent.COMPLAINT;
            reasons.add("rule: service cue and sentiment below +" + fmt(PRAISE_WITH_CUE));
        } else if (s <= STRONGLY_NEGATIVE) {
            intent = Intent.COMPLAINT;
            reasons.add("rule: sentiment ≤ " + fmt(STRONGLY_NEGATIVE));
        } else if (complaint > 0 && s < 0) {
            intent = Intent.COMPLAINT;
            reasons.add("rule: complaint cue and negative sentiment");
        } else if (s >= POSITIVE) {
            intent = Intent.PRAISE;
            reasons.add("rule: sentiment ≥ +" + fmt(POSITIVE));
        } else if (praise > 0 && s >= PRAISE_WITH_CUE) {
            intent = Intent.PRAISE;
            reasons.add("rule: praise cue and sentiment ≥ +" + fmt(PRAISE_WITH_CUE));
        } else if (praise >= STRONG_PRAISE_CUE && s > -Sentiment.NEUTRAL_BAND) {
            intent = Intent.PRAISE;
            reasons.add("rule: strong praise cue and no negative sentiment");
        } else {
            intent = Intent.OTHER;
            reasons.add("rule: no rule matched");
        }
        return new IntentResult(intent, round(question), round(service), round(praise), reasons);
    }

    /**
     * Summed weights of a section's hits; of overlapping hits only the longest counts ("wie kann
     * ich" and not also "wie"). Question cues of the other language are not used.
     */
    private static double evidence(String section, List<Text.Token> tokens, CueList.Found primary,
                                   CueList.Found secondary, List<String> described) {
        List<CueList.Hit> hits = primary.hits(section);
        if (secondary != null) {
            hits.addAll(secondary.hits(section));
        }
        if (hits.isEmpty()) {
            return 0;
        }
        hits.sort(LONGEST_FIRST);
        boolean[] covered = new boolean[tokens.size()];
        double sum = 0;
        for (CueList.Hit h : hits) {
            int from = h.token();
            int to = from + h.pattern().words().size();
            boolean overlap = false;
            for (int k = from; k < to; k++) {
                overlap |= covered[k];
            }
            if (overlap) {
                continue;
            }
            for (int k = from; k < to; k++) {
                covered[k] = true;
            }
            sum += h.pattern().weight();
            described.add("\"" + h.pattern().source() + "\" +" + fmt(h.pattern().weight()));
        }
        return sum;
    }

    private static void cueReason(List<String> reasons, String name, double value, List<String> cues) {
        if (!cues.isEmpty()) {
            reasons.add(name + " " + fmt(value) + " (" + String.join(", ", cues) + ")");
        }
    }

    private static String fmt(double d) {
        return Numbers.trimmed(d);
    }

    private static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }
}
