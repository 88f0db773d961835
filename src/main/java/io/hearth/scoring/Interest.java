package io.hearth.scoring;

/**
 * One interest found in a mention: a configured {@code topic} (key = the topic's name) or a
 * {@code hashtag} (key = {@code #} + the normalised tag), its weight, and the keyword or tag that
 * found it.
 */
public record Interest(String key, Kind kind, double weight, String because) {

    public enum Kind { TOPIC, HASHTAG }
}
