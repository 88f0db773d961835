package io.hearth.scoring.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Accuracy and macro-F1 of predicted labels (positive | negative | neutral) against gold labels. A neutral prediction
 * on a binary (positive/negative) set counts as a miss: it is the coverage gap the scorer must close. Macro-F1 averages
 * the F1 of the gold classes present (two on binary sets, three where gold has neutral).
 */
public record Metrics(int n, int correct, double accuracy, double macroF1, double coverage) {

    public static Metrics of(List<String> gold, List<String> predicted) {
        if (gold.size() != predicted.size()) {
            throw new IllegalArgumentException("gold and predicted differ in size");
        }
        int n = gold.size();
        int correct = 0;
        int committed = 0;
        Map<String, int[]> perClass = new LinkedHashMap<>(); // tp, predicted, gold
        for (String g : gold) {
            perClass.computeIfAbsent(g, k -> new int[3])[2]++;
        }
        for (int i = 0; i < n; i++) {
            String g = gold.get(i);
            String p = predicted.get(i);
            if (!p.equals("neutral")) {
                committed++;
            }
            if (g.equals(p)) {
                correct++;
                perClass.get(g)[0]++;
            }
            int[] c = perClass.get(p);
            if (c != null) {
                c[1]++;
            }
        }
        double f1sum = 0;
        for (int[] c : perClass.values()) {
            double precision = c[1] == 0 ? 0 : (double) c[0] / c[1];
            double recall = c[2] == 0 ? 0 : (double) c[0] / c[2];
            f1sum += precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        }
        return new Metrics(n, correct, n == 0 ? 0 : (double) correct / n, perClass.isEmpty() ? 0 : f1sum / perClass.size(),
                n == 0 ? 0 : (double) committed / n);
    }
}
