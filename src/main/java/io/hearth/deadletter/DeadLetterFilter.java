package io.hearth.deadletter;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Which dead letters a bulk replay takes: every one, or those whose reason (or exception type) contains {@code reason}
 * (case-insensitive), whose channel is {@code channel}, and whose last failure lies in {@code [from, to)}. A blank field
 * does not filter.
 */
public record DeadLetterFilter(String reason, String channel, Instant from, Instant to) {

    public static final DeadLetterFilter ALL = new DeadLetterFilter(null, null, null, null);

    public DeadLetterFilter {
        reason = blankToNull(reason);
        channel = blankToNull(channel);
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IllegalArgumentException("'from' must be before 'to'");
        }
        if (reason != null && reason.length() > 200) {
            throw new IllegalArgumentException("'reason' is longer than 200 characters");
        }
    }

    public boolean matches(DeadLetter letter) {
        if (reason != null) {
            String needle = reason.toLowerCase(Locale.ROOT);
            boolean inReason = letter.fullReason() != null && letter.fullReason().toLowerCase(Locale.ROOT).contains(needle);
            boolean inType = letter.exception() != null && letter.exception().toLowerCase(Locale.ROOT).contains(needle);
            if (!inReason && !inType) {
                return false;
            }
        }
        if (channel != null && !channel.equalsIgnoreCase(letter.channel() == null ? "" : letter.channel())) {
            return false;
        }
        Instant at = letter.lastFailedAt();
        if ((from != null || to != null) && at == null) {
            return false;
        }
        if (from != null && at.isBefore(from)) {
            return false;
        }
        return to == null || at.isBefore(to);
    }

    /** The filter as the answer and the audit log show it (the fields set). */
    public Map<String, String> describe() {
        Map<String, String> out = new LinkedHashMap<>();
        if (reason != null) {
            out.put("reason", reason);
        }
        if (channel != null) {
            out.put("channel", channel);
        }
        if (from != null) {
            out.put("from", from.toString());
        }
        if (to != null) {
            out.put("to", to.toString());
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }
}
