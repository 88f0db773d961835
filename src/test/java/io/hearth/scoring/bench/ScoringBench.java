package io.hearth.scoring.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import io.hearth.scoring.LexiconSentimentScorer;
import io.hearth.scoring.Sentiment;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The scoring benchmark: {@code ./mvnw -B -Pbench-scoring verify} (also part of {@code -Pbench}).
 * Scores every labelled set with Hearth's lexicon scorer and, on the English sets, with the AFINN and VADER baselines
 * in the same run; prints accuracy, macro-F1 and coverage (share not scored neutral) per set, language, domain and
 * split (tune = the half the lexicons and rules were tuned on, heldout = the half reported), and each scorer's
 * throughput in sentences/s. Output: console and target/bench/scoring.txt.
 * {@code -Dbench.scoring.misses=tune} also prints Hearth's misses on the tune split (never look at heldout misses
 * while tuning).
 */
@Tag("bench")
class ScoringBench {

    record Scorer(String name, Function<LabelledSets.Sample, String> label) {
    }

    @Test
    void scoringBenchmark() throws IOException {
        LexiconSentimentScorer hearth = new LexiconSentimentScorer();
        AfinnBaseline afinn = new AfinnBaseline();
        VaderBaseline vader = new VaderBaseline();
        List<Scorer> all = List.of(
                new Scorer("hearth", s -> hearth.score(s.text(), s.lang()).label()),
                new Scorer("afinn", s -> afinn.label(s.text())),
                new Scorer("vader", s -> vader.label(s.text())));
        List<Scorer> hearthOnly = all.subList(0, 1);

        List<LabelledSets.Sample> uci = LabelledSets.uci();
        List<LabelledSets.Sample> uciDe = LabelledSets.uciGerman();
        List<LabelledSets.Sample> campaigns = LabelledSets.campaigns();
        List<String> out = new ArrayList<>();
        out.add("Scoring benchmark " + LocalDate.now(ZoneOffset.UTC) + " (" + Runtime.version() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores)");
        out.add(String.format(Locale.ROOT, "%-34s %5s  %-8s %6s %6s %6s", "set / slice", "n", "scorer", "acc", "F1", "cover"));

        Map<String, Predicate<LabelledSets.Sample>> slices = new LinkedHashMap<>();
        slices.put("uci-en heldout (all domains)", s -> s.split().equals("heldout"));
        for (String d : List.of("amazon", "imdb", "yelp")) {
            slices.put("uci-en heldout " + d, s -> s.split().equals("heldout") && s.domain().equals(d));
        }
        slices.put("uci-en tune (all domains)", s -> s.split().equals("tune"));
        slices.put("uci-en all 3,003", s -> true);
        table(out, uci, slices, all);

        Map<String, Predicate<LabelledSets.Sample>> de = new LinkedHashMap<>();
        de.put("uci-de heldout (all domains)", s -> s.split().equals("heldout"));
        for (String d : List.of("amazon", "imdb", "yelp")) {
            de.put("uci-de heldout " + d, s -> s.split().equals("heldout") && s.domain().equals(d));
        }
        de.put("uci-de tune (all domains)", s -> s.split().equals("tune"));
        table(out, uciDe, de, hearthOnly);
        // the English originals of the German sample (same domain and index): German vs English on the same sentences
        List<LabelledSets.Sample> originals = originals(uci, uciDe);
        Map<String, Predicate<LabelledSets.Sample>> orig = new LinkedHashMap<>();
        orig.put("uci-en originals of uci-de heldout", s -> s.split().equals("heldout"));
        orig.put("uci-en originals of uci-de tune", s -> s.split().equals("tune"));
        table(out, originals, orig, all);

        Map<String, Predicate<LabelledSets.Sample>> camp = new LinkedHashMap<>();
        camp.put("hearth labelled.tsv de (tune)", s -> s.set().equals("hearth-labelled") && "de".equals(s.lang()));
        camp.put("hearth labelled.tsv en (tune)", s -> s.set().equals("hearth-labelled") && !"de".equals(s.lang()));
        camp.put("hearth campaigns de (heldout)", s -> s.set().equals("hearth-campaigns") && "de".equals(s.lang()));
        camp.put("hearth campaigns en (heldout)", s -> s.set().equals("hearth-campaigns") && "en".equals(s.lang()));
        table(out, campaigns, camp, all);

        out.add("");
        out.add("throughput (sentences per CPU-second of the scoring thread, best of 10 rounds over the uci-en and uci-de held-out");
        out.add("sentences after warm-up; CPU time, not wall time, so that other load on a shared machine does not skew it):");
        List<LabelledSets.Sample> timed = new ArrayList<>(uci);
        timed.addAll(uciDe.stream().filter(s -> s.split().equals("heldout")).toList());
        for (Scorer s : all) {
            out.add(String.format(Locale.ROOT, "  %-8s %,10.0f", s.name(), throughput(timed, s)));
        }

        if ("tune".equals(System.getProperty("bench.scoring.misses"))) {
            out.add("");
            out.add("hearth misses on the tune split of uci-en and uci-de:");
            List<LabelledSets.Sample> tune = new ArrayList<>(uci);
            tune.addAll(uciDe);
            for (LabelledSets.Sample s : tune) {
                if (s.split().equals("tune")) {
                    Sentiment r = hearth.score(s.text(), s.lang());
                    if (!r.label().equals(s.gold())) {
                        out.add("  " + s.gold() + " " + s.lang() + " " + s.domain() + " | " + s.text() + " | " + r.explanation());
                    }
                }
            }
        }
        Path file = Path.of("target/bench/scoring.txt");
        Files.createDirectories(file.getParent());
        Files.write(file, out, StandardCharsets.UTF_8);
        // and into the run's one results file (printed there too)
        io.hearth.support.BenchReport report = io.hearth.support.BenchReport.section("Sentiment scoring (ScoringBench, docs/scoring.md)");
        out.forEach(report::line);
        report.end();
        assertThat(uci).hasSize(3003);
    }

    /** The English rows the German set was translated from: same domain, same index. */
    static List<LabelledSets.Sample> originals(List<LabelledSets.Sample> uci, List<LabelledSets.Sample> de) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (LabelledSets.Sample s : de) {
            ids.add(s.domain() + "/" + s.index());
        }
        return uci.stream().filter(s -> ids.contains(s.domain() + "/" + s.index())).toList();
    }

    private static void table(List<String> out, List<LabelledSets.Sample> set, Map<String, Predicate<LabelledSets.Sample>> slices,
                              List<Scorer> scorers) {
        out.add("");
        for (Map.Entry<String, Predicate<LabelledSets.Sample>> slice : slices.entrySet()) {
            List<LabelledSets.Sample> rows = set.stream().filter(slice.getValue()).toList();
            if (rows.isEmpty()) {
                continue;
            }
            List<String> gold = rows.stream().map(LabelledSets.Sample::gold).toList();
            for (Scorer scorer : scorers) {
                Metrics m = Metrics.of(gold, rows.stream().map(scorer.label()).toList());
                out.add(String.format(Locale.ROOT, "%-34s %5d  %-8s %6.3f %6.3f %6.3f", slice.getKey(), m.n(), scorer.name(),
                        m.accuracy(), m.macroF1(), m.coverage()));
            }
        }
    }

    private static double throughput(List<LabelledSets.Sample> samples, Scorer scorer) {
        java.lang.management.ThreadMXBean cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        for (int warm = 0; warm < 5; warm++) {
            samples.forEach(s -> scorer.label().apply(s));
        }
        long sink = 0;
        double best = 0;
        for (int r = 0; r < 10; r++) {
            long start = cpu.getCurrentThreadCpuTime();
            for (LabelledSets.Sample s : samples) {
                sink += scorer.label().apply(s).length();
            }
            best = Math.max(best, samples.size() / ((cpu.getCurrentThreadCpuTime() - start) / 1e9));
        }
        assertThat(sink).isPositive();
        return best;
    }
}
