package io.hearth.scoring;

import java.util.Locale;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link Numbers} gives exactly what String.format gives, for the formats the scorers' reasons use. */
class NumbersTest {

    private static final double[] EDGES = {0, -0.0, 0.005, -0.005, 0.015, 0.125, -0.125, 0.145, 1.005, 2.675, 0.05,
            0.95, 0.99999, -0.001, -0.0049, 1e-9, -1e-9, 99.95, 99.949999, 1e17, -1e17, 123456.785, 0.3, 0.7, 1.5, 2.5,
            Double.MIN_VALUE, Double.MAX_VALUE, -Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY};

    @Test
    void fixedSignedAndTrimmedMatchStringFormat() {
        SplittableRandom random = new SplittableRandom(14);
        for (int i = 0; i < 5_000 + EDGES.length; i++) {
            double d;
            if (i < EDGES.length) {
                d = EDGES[i];
            } else if (i % 3 == 0) {
                d = Math.round(random.nextDouble(-200, 200) * 1000) / 1000.0;   // three decimals: halves are common
            } else if (i % 3 == 1) {
                d = random.nextDouble(-2, 2);
            } else {
                d = random.nextDouble(-1e7, 1e7);
            }
            for (int scale = 0; scale <= 2; scale++) {
                assertThat(Numbers.fixed(d, scale)).as("%.{}f of {}", scale, d)
                        .isEqualTo(String.format(Locale.ROOT, "%." + scale + "f", d));
            }
            assertThat(Numbers.signed(d, 2)).as("%+.2f of %s", d).isEqualTo(String.format(Locale.ROOT, "%+.2f", d));
            String f = String.format(Locale.ROOT, "%.2f", d);
            assertThat(Numbers.trimmed(d)).as("trimmed %s", d).isEqualTo(f.replaceAll("0+$", "").replaceAll("\\.$", ""));
        }
    }

    @Test
    void groupedMatchesStringFormat() {
        long[] edges = {0, 1, 12, 123, 999, 1000, 1001, 12_345, 999_999, 1_000_000, 1_234_567, -1, -999, -1000,
                -1_234_567, Long.MAX_VALUE, Long.MIN_VALUE, Long.MAX_VALUE / 8};
        for (long n : edges) {
            assertThat(Numbers.grouped(n)).isEqualTo(String.format(Locale.ROOT, "%,d", n));
        }
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 5_000; i++) {
            long n = i % 2 == 0 ? random.nextLong() : random.nextLong(-10_000_000, 10_000_000);
            assertThat(Numbers.grouped(n)).isEqualTo(String.format(Locale.ROOT, "%,d", n));
        }
    }
}
