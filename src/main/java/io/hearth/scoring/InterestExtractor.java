package io.hearth.scoring;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.hearth.mention.Mention;

/**
 * The interests of one mention: its hashtags (normalised: without {@code #}, lower case, umlauts
 * folded, so #Köln, #koeln and #KOELN are one) and the configured topics
 * ({@code hearth.scoring.topics}: topic → keywords in any language) whose keywords occur in the
 * text or the hashtags. Keywords follow {@link CueList} patterns ("reise*", "new york").
 * Each interest counts once per mention: a topic weighs {@value #TOPIC_WEIGHT}, a hashtag
 * {@value #HASHTAG_WEIGHT}. Ignored hashtags (the brand's own, campaign tags) are left out.
 */
public final class InterestExtractor {

    static final double TOPIC_WEIGHT = 1.0;
    static final double HASHTAG_WEIGHT = 0.5;

    private final CueList topics = new CueList();
    private final List<String> topicNames = new ArrayList<>();
    private final Set<String> ignoredHashtags = new LinkedHashSet<>();

    public InterestExtractor(Map<String, List<String>> topicKeywords, Collection<String> ignoreHashtags) {
        topicKeywords.forEach((topic, keywords) -> {
            if (topic == null || topic.isBlank()) {
                throw new IllegalArgumentException("hearth.scoring.topics: a topic needs a name");
            }
            if (keywords == null || keywords.isEmpty()) {
                throw new IllegalArgumentException("hearth.scoring.topics." + topic + ": no keywords");
            }
            topicNames.add(topic);
            for (String k : keywords) {
                if (k == null || k.isBlank()) {
                    throw new IllegalArgumentException("hearth.scoring.topics." + topic + ": blank keyword");
                }
                topics.add(topic, k, TOPIC_WEIGHT);
            }
        });
        if (ignoreHashtags != null) {
            ignoreHashtags.forEach(h -> ignoredHashtags.add(hashtag(h)));
        }
    }

    public static InterestExtractor none() {
        return new InterestExtractor(Map.of(), List.of());
    }

    public List<Interest> extract(Mention mention) {
        return extract(mention.text(), mention.hashtags());
    }

    /** Interests of a text with its hashtags (may be null); in a stable order: topics as configured, then tags. */
    public List<Interest> extract(String text, Collection<String> hashtags) {
        return extract(text, hashtags, Text.tokens(text));
    }

    /** The same with the text's {@link Text#tokens} already made (the scorers of one mention share them). */
    List<Interest> extract(String text, Collection<String> hashtags, List<Text.Token> textTokens) {
        List<Text.Token> tokens = textTokens;
        Map<String, Interest> found = new LinkedHashMap<>();
        Set<String> tags = new LinkedHashSet<>();
        if (hashtags != null) {
            for (String h : hashtags) {
                String tag = h == null ? "" : hashtag(h);
                if (!tag.isEmpty()) {
                    tags.add(tag);
                }
            }
        }
        for (Text.Token t : tokens) {
            if (t.hashtag()) {
                tags.add(hashtag(t.raw()));
            }
        }
        // hashtags are searched for keywords too (#travel → travel), also when not in the text
        List<Text.Token> searchable = new ArrayList<>(topicNames.isEmpty() ? 0 : tokens.size() + 2 * tags.size());
        searchable.addAll(topicNames.isEmpty() ? List.of() : tokens);   // no topics: nothing to search
        for (String tag : topicNames.isEmpty() ? Set.<String>of() : tags) {
            searchable.add(new Text.Token(".", ".", Text.Type.PUNCT, false));
            searchable.add(new Text.Token(tag, tag, Text.Type.WORD, true));
        }
        for (String topic : topicNames) {
            List<CueList.Hit> hits = topics.find(topic, searchable);
            if (!hits.isEmpty()) {
                found.put(topic, new Interest(topic, Interest.Kind.TOPIC, TOPIC_WEIGHT, hits.get(0).pattern().source()));
            }
        }
        for (String tag : tags) {
            if (!ignoredHashtags.contains(tag)) {
                found.putIfAbsent("#" + tag, new Interest("#" + tag, Interest.Kind.HASHTAG, HASHTAG_WEIGHT, "#" + tag));
            }
        }
        return List.copyOf(found.values());
    }

    /** "#Köln" → "koeln"; "  #ENDviolence " → "endviolence". */
    public static String hashtag(String raw) {
        String s = Normalizer.normalize(raw.strip(), Normalizer.Form.NFC);
        while (s.startsWith("#") || s.startsWith("＃")) {
            s = s.substring(1);
        }
        return Text.norm(s);
    }
}
