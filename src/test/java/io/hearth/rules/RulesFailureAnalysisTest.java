package io.hearth.rules;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.hearth.config.ConfigurationFailureAnalyzer;

/** A rules file error stops the hub with one line naming file, line and field (config knows no rules: ExplainedFailure). */
class RulesFailureAnalysisTest {

    @Test
    void aRulesErrorDeepInTheCauseChainIsExplainedWithFileLineAndField() {
        RulesException rules = new RulesException("config/rules.yml", 12, 7, "rewards[1].cap.per-day", "must not be negative");
        FailureAnalysis analysis = new ConfigurationFailureAnalyzer()
                .analyze(new BeanCreationException("rulesHolder", "init failed", new IllegalStateException(rules)));

        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription()).isEqualTo(
                "Hearth rules error: config/rules.yml line 12, column 7: rewards[1].cap.per-day: must not be negative");
        assertThat(analysis.getAction())
                .isEqualTo("Correct config/rules.yml (hearth.rules.file; docs/rules.md lists every field).");
        assertThat(analysis.getCause()).isSameAs(rules);
    }
}
