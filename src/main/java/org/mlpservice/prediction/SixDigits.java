package org.mlpservice.prediction;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * A probability rounded to six significant digits (half up), what float precision honestly
 * supports: 0.0299999, not 0.029999971. The answer is exactly
 * {@code new BigDecimal(p).round(new MathContext(6)).doubleValue()}, computed with two double
 * operations instead: {@code p · 10^k} is exact in a double while {@code 5^k} has at most 28 bits
 * (k ≤ 12, every probability down to 1e-7), so the half-up decision is exact, and the quotient by
 * {@code 10^k} is the double nearest the rounded decimal, as BigDecimal's is. Smaller magnitudes take
 * BigDecimal. It ran for every probability of every prediction, and BigDecimal was most of a
 * prediction's own time.
 */
final class SixDigits {

    private static final MathContext SIX = new MathContext(6);
    /** The largest k for which p · 10^k is exact for every float p: 24 bits of p + 28 bits of 5^12 ≤ 53. */
    private static final int MAX_EXACT_POWER = 12;
    private static final double[] POWERS_OF_TEN = new double[MAX_EXACT_POWER + 1]; // exact: 10^k < 2^53

    static {
        double power = 1;
        for (int k = 0; k <= MAX_EXACT_POWER; k++) {
            POWERS_OF_TEN[k] = power;
            power *= 10;
        }
    }

    private SixDigits() {
    }

    /** {@code p} to six significant digits, half up; NaN and infinities as they are. */
    static double round(float p) {
        if (!Float.isFinite(p) || p == 0f) {
            return p;
        }
        double magnitude = Math.abs((double) p);
        int k = 5 - (int) Math.floor(Math.log10(magnitude)); // decimals that leave six significant digits
        if (k >= 0 && k <= MAX_EXACT_POWER) {
            // log10 can be off by one next to a power of ten; the exact product says which way.
            double scaled = magnitude * POWERS_OF_TEN[k];
            k += scaled >= 1e6 ? -1 : scaled < 1e5 ? 1 : 0;
        }
        if (k < 0 || k > MAX_EXACT_POWER) {
            return new BigDecimal(p).round(SIX).doubleValue();
        }
        double scaled = magnitude * POWERS_OF_TEN[k]; // exact, in [1e5, 1e6)
        double whole = Math.floor(scaled);
        double rounded = scaled - whole >= 0.5 ? whole + 1 : whole; // the difference is exact: half up decided exactly
        double result = rounded / POWERS_OF_TEN[k]; // correctly rounded: the double nearest rounded · 10^-k
        return p < 0 ? -result : result;
    }
}
