package io.hearth.scoring;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * The number formats of the scorers' reasons, without {@link String#format} (which parses its format string on every
 * call: ~5 % of the enrich stage's CPU in the JFR profile of docs/benchmark.md, 2026-12-06). Each method gives exactly
 * the string its {@code String.format(Locale.ROOT, …)} counterpart gives ({@code NumbersTest} compares them):
 * {@code %.Nf} rounds the double's shortest decimal representation half up, which is what
 * {@link BigDecimal#valueOf(double)} with {@link RoundingMode#HALF_UP} does.
 */
final class Numbers {

    private Numbers() {
    }

    /** {@code String.format(Locale.ROOT, "%.<scale>f", d)}. */
    static String fixed(double d, int scale) {
        if (!Double.isFinite(d)) {
            return String.format(Locale.ROOT, "%." + scale + "f", d);
        }
        String s = BigDecimal.valueOf(d).setScale(scale, RoundingMode.HALF_UP).toPlainString();
        // BigDecimal has no negative zero: -0.001 → "0.00", where the formatter keeps the sign ("-0.00")
        if ((d < 0 || (d == 0 && 1 / d < 0)) && s.charAt(0) != '-') {
            s = "-" + s;
        }
        return s;
    }

    /** {@code String.format(Locale.ROOT, "%+.<scale>f", d)}. */
    static String signed(double d, int scale) {
        String s = fixed(d, scale);
        return s.charAt(0) == '-' || Double.isNaN(d) ? s : "+" + s;
    }

    /** {@code String.format(Locale.ROOT, "%,d", n)}. */
    static String grouped(long n) {
        String digits = Long.toString(n);
        int start = n < 0 ? 1 : 0;
        int len = digits.length() - start;
        if (len <= 3) {
            return digits;
        }
        StringBuilder b = new StringBuilder(digits.length() + len / 3);
        b.append(digits, 0, start);
        int first = len % 3 == 0 ? 3 : len % 3;
        b.append(digits, start, start + first);
        for (int i = start + first; i < digits.length(); i += 3) {
            b.append(',').append(digits, i, i + 3);
        }
        return b.toString();
    }

    /** {@code "%.2f"} without trailing zeros and without a trailing point ("1.50" → "1.5", "2.00" → "2"). */
    static String trimmed(double d) {
        String s = fixed(d, 2);
        int end = s.length();
        if (s.indexOf('.') < 0) {
            return s;
        }
        while (end > 0 && s.charAt(end - 1) == '0') {
            end--;
        }
        if (end > 0 && s.charAt(end - 1) == '.') {
            end--;
        }
        return s.substring(0, end);
    }
}
