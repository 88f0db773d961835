package io.hearth.queue;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.mention.InvalidMentionException;
import org.junit.jupiter.api.Test;

class DeadLetterPublisherUnitTest {

    @Test
    void theReasonIsTheExceptionTypeAndMessage() {
        assertThat(DeadLetterPublisher.reasonOf(new InvalidMentionException("line 2: missing field 'nativeId'")))
                .isEqualTo("InvalidMentionException: line 2: missing field 'nativeId'");
        assertThat(DeadLetterPublisher.reasonOf(null)).isEqualTo("unknown failure");
    }

    @Test
    void aShortReasonIsKeptWhole() {
        String message = "m".repeat(DeadLetterPublisher.MAX_REASON_LENGTH - "IllegalStateException: ".length());
        String reason = DeadLetterPublisher.reasonOf(new IllegalStateException(message));
        assertThat(reason).hasSize(DeadLetterPublisher.MAX_REASON_LENGTH).doesNotEndWith("…");
    }

    @Test
    void aLongReasonIsTruncatedWithAnEllipsis() {
        String reason = DeadLetterPublisher.reasonOf(new IllegalStateException("x".repeat(10_000)));
        assertThat(reason).hasSize(DeadLetterPublisher.MAX_REASON_LENGTH + 1)
                .startsWith("IllegalStateException: xxx")
                .endsWith("x…");
    }

    @Test
    void truncationNeverSplitsASurrogatePair() {
        // The cut falls between the two halves of 🔥: a lone surrogate would become '?' (or break
        // strict UTF-8 encoders) when the DLQ message is exported.
        String prefix = "IllegalStateException: ";
        String message = "a".repeat(DeadLetterPublisher.MAX_REASON_LENGTH - prefix.length() - 1) + "🔥🔥🔥";
        String reason = DeadLetterPublisher.reasonOf(new IllegalStateException(message));

        assertThat(reason).endsWith("…");
        String kept = reason.substring(0, reason.length() - 1);
        assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 1))).as("ends in half an emoji").isFalse();
        assertThat(reason.length()).isLessThanOrEqualTo(DeadLetterPublisher.MAX_REASON_LENGTH + 1);
    }
}
