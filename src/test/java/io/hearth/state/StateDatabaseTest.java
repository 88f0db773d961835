package io.hearth.state;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** Issue 18: without PostgreSQL its tests skip locally, but fail on CI instead of skipping silently. */
class StateDatabaseTest {

    @Test
    void aMissingPostgresSkipsLocallyAndFailsOnCi() {
        assertThatThrownBy(() -> StateDatabase.requireOrSkip(false, "refused", null, null))
                .isInstanceOf(TestAbortedException.class).hasMessageContaining("skipping");
        assertThatThrownBy(() -> StateDatabase.requireOrSkip(false, "refused", "true", null))
                .isInstanceOf(AssertionFailedError.class).hasMessageContaining("must run on CI").hasMessageContaining("refused");
        assertThatThrownBy(() -> StateDatabase.requireOrSkip(false, null, "TRUE", null)).isInstanceOf(AssertionFailedError.class);
        assertThatThrownBy(() -> StateDatabase.requireOrSkip(false, null, null, "true")).isInstanceOf(AssertionFailedError.class);
        assertThatCode(() -> StateDatabase.requireOrSkip(true, null, "true", null)).doesNotThrowAnyException();
    }
}
