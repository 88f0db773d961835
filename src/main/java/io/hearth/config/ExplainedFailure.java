package io.hearth.config;

/**
 * A failure that says itself what stopped the hub and what the operator should fix; {@link ConfigurationFailureAnalyzer}
 * shows it at startup. A feature with its own configuration file (the rules file, for one) explains its errors this
 * way, so this package need not know the feature (docs/architecture.md: {@code config} depends on no other package).
 */
public interface ExplainedFailure {

    /** The one line that says what is wrong, e.g. {@code Hearth rules error: rules.yml line 3, column 5: ...}. */
    String failureDescription();

    /** What to change to fix it. */
    String failureAction();
}
