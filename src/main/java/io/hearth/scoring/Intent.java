package io.hearth.scoring;

import java.util.Locale;

/** What the author of a mention wants. {@link #value()} is what goes into {@code Mention.intent}. */
public enum Intent {
    QUESTION, COMPLAINT, PRAISE, OTHER;

    public String value() {
        return name().toLowerCase(Locale.ROOT);
    }
}
