package io.hearth.channel.support;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Time stamps as channels write them, read leniently; null when a value cannot be read. */
public final class NativeTimes {

    /** Graph API style: 2021-02-26T12:00:00+0000 (offset without colon). */
    private static final DateTimeFormatter ISO_NO_COLON = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE_TIME).appendPattern("[XXX][XX][X]").toFormatter(Locale.ROOT);
    /** RFC 822/1123 with zone names (EST, PDT, UT) and optional weekday/seconds, as real feeds write them. */
    private static final DateTimeFormatter RFC_822_LENIENT = new DateTimeFormatterBuilder()
            .parseCaseInsensitive()
            .appendPattern("[EEE, ]d MMM yyyy HH:mm[:ss] ")
            .appendPattern("[XX][zzz][z]")
            .toFormatter(Locale.ENGLISH);

    private NativeTimes() {
    }

    /** Epoch seconds (milliseconds when the value is too large to be seconds, as some senders use). */
    public static Instant ofEpoch(long value) {
        return value > 100_000_000_000L ? Instant.ofEpochMilli(value) : Instant.ofEpochSecond(value);
    }

    /** ISO-8601 with an offset or Z (also {@code +0000}), or digits as epoch seconds. */
    public static Instant parseIso(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String value = text.strip();
        if (value.chars().allMatch(Character::isDigit) && value.length() < 19) {
            return ofEpoch(Long.parseLong(value));
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return OffsetDateTime.parse(value, ISO_NO_COLON).toInstant();
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
    }

    /** RFC 1123 / RFC 822 dates of RSS {@code pubDate} ("Tue, 10 Jun 2003 04:00:00 GMT", "+0000", "EST"). */
    public static Instant parseRfc1123(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String value = text.strip().replaceAll("\\s+", " ");
        try {
            return ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return ZonedDateTime.parse(value, RFC_822_LENIENT).toInstant();
            } catch (java.time.DateTimeException e2) {
                return null;
            }
        }
    }
}
