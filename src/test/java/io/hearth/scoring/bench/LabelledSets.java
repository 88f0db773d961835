package io.hearth.scoring.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The labelled sets the scoring benchmark reads (all under src/test/resources/scoring; sources and licences in
 * {@code scoring/public/README.md}).
 */
public final class LabelledSets {

    /** One labelled text. {@code split} is "tune", "heldout" or "all"; {@code gold} positive | negative | neutral. */
    public record Sample(String set, String lang, String domain, String index, String split, String gold, String text) {
    }

    private LabelledSets() {
    }

    /** UCI Sentiment Labelled Sentences: 3,003 English review sentences (amazon, imdb, yelp), binary labels. */
    public static List<Sample> uci() {
        List<Sample> out = new ArrayList<>();
        for (String[] p : rows("scoring/public/uci-sentiment-labelled-sentences.tsv", 5)) {
            out.add(new Sample("uci-en", "en", p[0], p[1], p[2], p[3], p[4]));
        }
        return out;
    }

    /** German translations of random samples of the UCI sentences: 300 held-out, 150 tune (see the README). */
    public static List<Sample> uciGerman() {
        List<Sample> out = new ArrayList<>();
        for (String[] p : rows("scoring/public/uci-sentences-de.tsv", 5)) {
            out.add(new Sample("uci-de", "de", p[0], p[1], p[2], p[3], p[4]));
        }
        return out;
    }

    /** The project's own labelled posts: labelled.tsv (tuned on) and labelled-campaigns.tsv (held out). */
    public static List<Sample> campaigns() {
        List<Sample> out = new ArrayList<>();
        for (String[] p : rows("scoring/labelled.tsv", 4)) {
            out.add(new Sample("hearth-labelled", p[0].equals("-") ? null : p[0], "hearth", "", "tune", p[1], p[3]));
        }
        for (String[] p : rows("scoring/labelled-campaigns.tsv", 4)) {
            out.add(new Sample("hearth-campaigns", p[0], "campaigns", "", "heldout", p[1], p[3]));
        }
        return out;
    }

    static List<String[]> rows(String resource, int columns) {
        InputStream in = LabelledSets.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new IllegalStateException("missing test resource " + resource);
        }
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] p = line.split("\t", columns);
                if (p.length != columns) {
                    throw new IllegalStateException(resource + ":" + n + ": expected " + columns + " TAB-separated columns");
                }
                rows.add(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rows;
    }
}
