package io.hearth.scoring;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import io.hearth.scoring.bench.LabelledSets;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Golden results of the scorers (issue 14 item 2: the scoring speed-ups must not change a single score or reason).
 * Every text of the scoring corpora (src/test/resources/scoring: labelled.tsv, labelled-campaigns.tsv, the UCI
 * sentences in English and German, the AFINN-165 words as one-word posts) plus a few edge cases is tokenised and
 * scored twice (with its language and with the language guessed), with topics configured; every token, score, cue,
 * note, intent reason and interest is written out as one line and compared with {@code scoring/golden-scores.txt.gz},
 * which was written by the scorers as they were before the speed-ups. {@code -Dscoring.golden.write=true} writes the
 * file afresh (only for an intended change of the scores, which then shows in the diff of the unzipped file).
 */
class ScoringGoldenTest {

    private static final String GOLDEN = "scoring/golden-scores.txt.gz";

    /** Texts the corpora lack: emoticons, handles, links, stretched and shouted words, compounds, ‼, skin tones. */
    static final List<String> EDGES = List.of(
            "Loving the new espresso machine from @hearthcoffee, the crema is perfect every morning #coffee #42",
            "sooo goood :-))) but the app is SOOO slow ‼ http://example.com/x?y=1 www.example.org",
            "Riesenverspätung und Signalstörung, unzufrieden!!! 😡😡 #DB #Bahn @db_bahn",
            "Warum ist der Zug schon wieder zu spät⁉ Gefällt mir nicht. XD ^^ <3 </3 -_- :'( ;-) 8-) =D",
            "I don't like it, it isn't good… not bad at all though 👍🏽 👩‍👩‍👧 ❤️",
            "Die Reiseplanung für Urlaub in New York war mega. Super! Danke, weiter so #Köln #koeln #KOELN",
            "Why can't I get a refund?? This is unacceptable. Cancelled AGAIN 😤 #travel",
            "Überhaupt nicht schlecht, aber etwas teurer als erwartet; die Enttäuschungen häufen sich",
            "   ", "", "😀", "?", "#", "@only_a_handle", "ＡＢＣ café naïve Ärger STRASSE Straße",
            "hated it, stopped using it, the ugliest and worst, disappointingly terribly worried",
            "Fußball-Bundesliga: Streikchaos, Zugausfälle, Verspätungen (wieder!) [sehr ärgerlich]");

    static final Map<String, List<String>> TOPICS = new LinkedHashMap<>();

    static {
        TOPICS.put("travel", List.of("travel", "reise*", "urlaub", "holiday*", "vacation", "new york", "*flug*"));
        TOPICS.put("football", List.of("football", "fußball", "fussball", "bundesliga"));
        TOPICS.put("coffee", List.of("coffee", "espresso", "*kaffee*", "crema"));
        TOPICS.put("service", List.of("^why", "refund*", "*störung", "verspätung*"));
    }

    @Test
    void scoresAreThoseOfTheGoldenFile() throws IOException {
        List<String> actual = lines();
        if (Boolean.getBoolean("scoring.golden.write")) {
            Path file = Path.of("src/test/resources", GOLDEN);
            try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
                out.write((String.join("\n", actual) + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return;
        }
        List<String> golden = golden();
        assertThat(actual).hasSameSizeAs(golden);
        for (int i = 0; i < golden.size(); i++) {
            assertThat(actual.get(i)).as("line %d of %s", i + 1, GOLDEN).isEqualTo(golden.get(i));
        }
    }

    static List<String> lines() {
        LexiconSentimentScorer sentiment = new LexiconSentimentScorer();
        IntentClassifier intents = new IntentClassifier();
        InterestExtractor interests = new InterestExtractor(TOPICS, List.of("ignored"));
        List<String> texts = new ArrayList<>();
        List<String> langs = new ArrayList<>();
        for (LabelledSets.Sample s : LabelledSets.campaigns()) {
            texts.add(s.text());
            langs.add(s.lang());
        }
        for (LabelledSets.Sample s : LabelledSets.uci()) {
            texts.add(s.text());
            langs.add(s.lang());
        }
        for (LabelledSets.Sample s : LabelledSets.uciGerman()) {
            texts.add(s.text());
            langs.add(s.lang());
        }
        for (String[] row : afinnWords()) {
            texts.add(row[0]);
            langs.add("en");
        }
        for (String edge : EDGES) {
            texts.add(edge);
            langs.add(null);
        }
        List<String> out = new ArrayList<>();
        for (int n = 0; n < texts.size(); n++) {
            String text = texts.get(n);
            String[] variants = langs.get(n) == null ? new String[] {null, "de", "en"} : new String[] {langs.get(n), null};
            for (int v = 0; v < variants.length; v++) {
                // hashtags beside the text in one variant: topics found by the text alone, and by the tags
                out.add(line(text, variants[v], v == 1 ? List.of("Reise", "#ignored", "Kaffee", "#Köln") : null,
                        sentiment, intents, interests));
            }
        }
        return out;
    }

    static String line(String text, String lang, List<String> hashtags, LexiconSentimentScorer sentiment, IntentClassifier intents,
                       InterestExtractor interests) {
        List<Text.Token> tokens = Text.tokens(text);
        StringBuilder b = new StringBuilder();
        b.append(lang).append('\t').append(text.replace('\n', ' ')).append("\ttokens");
        for (Text.Token t : tokens) {
            b.append(' ').append(t.type().ordinal()).append(t.hashtag() ? "#" : "").append(t.raw())
                    .append(t.raw().equals(t.norm()) ? "" : "=" + t.norm()).append(t.shouted() ? "!" : "");
        }
        Sentiment s = sentiment.score(text, lang, java.util.Collections.unmodifiableList(tokens));
        b.append("\tsentiment ").append(s.score()).append(' ').append(s.lang()).append(' ').append(s.scorer())
                .append(' ').append(s.cues());
        // the public entry points (their own tokenisation) must give the same as the shared tokens
        assertThat(sentiment.score(text, lang)).isEqualTo(s);
        IntentResult i = intents.classify(text, s, tokens);
        assertThat(intents.classify(text, s)).isEqualTo(i);
        b.append("\tintent ").append(i);
        List<Interest> found = interests.extract(text, hashtags, tokens);
        assertThat(interests.extract(text, hashtags)).isEqualTo(found);
        b.append("\tinterests ").append(found);
        return b.toString();
    }

    private static List<String[]> afinnWords() {
        List<String[]> rows = new ArrayList<>();
        for (String line : resourceLines("scoring/public/afinn-165.tsv", false)) {
            if (!line.isBlank() && !line.startsWith("#")) {
                rows.add(line.split("\t"));
            }
        }
        return rows;
    }

    private static List<String> golden() throws IOException {
        return resourceLines(GOLDEN, true);
    }

    private static List<String> resourceLines(String resource, boolean gzip) {
        InputStream in = ScoringGoldenTest.class.getClassLoader().getResourceAsStream(resource);
        assertThat(in).as(resource).isNotNull();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(gzip ? new GZIPInputStream(in) : in,
                StandardCharsets.UTF_8))) {
            return r.lines().toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
