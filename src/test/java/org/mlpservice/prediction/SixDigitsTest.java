package org.mlpservice.prediction;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.MathContext;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.FloatRange;
import org.junit.jupiter.api.Test;

/**
 * The fast six-digit rounding of probabilities gives the very double BigDecimal's rounding gives
 * (half up), on random floats of every magnitude, on the ties float values can hold exactly
 * (2^-9 = 0.001953125 → 0.00195313) and next to powers of ten, where log10 is off by one.
 */
class SixDigitsTest {

    private static double reference(float p) {
        return new BigDecimal(p).round(new MathContext(6)).doubleValue();
    }

    @Property(tries = 20_000)
    void agreesWithBigDecimalOnProbabilities(@ForAll @FloatRange(min = 0f, max = 1f) float p) {
        assertThat(SixDigits.round(p)).isEqualTo(reference(p));
    }

    @Property(tries = 20_000)
    void agreesWithBigDecimalOnAnyFiniteFloat(@ForAll float p) {
        if (Float.isFinite(p)) {
            assertThat(SixDigits.round(p)).isEqualTo(reference(p));
        }
    }

    @Test
    void agreesOnEveryBitPatternOfOneInAThousand() {
        for (int bits = 0; bits <= Float.floatToIntBits(1f); bits += 997) { // every float in [0, 1], sampled evenly
            float p = Float.intBitsToFloat(bits);
            assertThat(SixDigits.round(p)).as("p = %s", p).isEqualTo(reference(p));
        }
    }

    @Test
    void tiesRoundUpAndPowersOfTenStayPut() {
        for (int n = 0; n < 40; n++) {
            float tie = (float) Math.pow(2, -n); // short exact decimals: 2^-9 has seven significant digits, a tie
            assertThat(SixDigits.round(tie)).as("2^-%d", n).isEqualTo(reference(tie));
            assertThat(SixDigits.round(-tie)).isEqualTo(reference(-tie));
        }
        assertThat(SixDigits.round(0.001953125f)).isEqualTo(0.00195313);
        for (int e = -12; e <= 12; e++) {
            float power = (float) Math.pow(10, e);
            for (float p : new float[] {power, Math.nextDown(power), Math.nextUp(power)}) {
                assertThat(SixDigits.round(p)).as("p = %s", p).isEqualTo(reference(p));
            }
        }
        assertThat(SixDigits.round(0.029999971f)).isEqualTo(0.03);
        assertThat(SixDigits.round(1f)).isEqualTo(1.0);
        assertThat(SixDigits.round(0f)).isEqualTo(0.0);
        assertThat(SixDigits.round(Float.MIN_VALUE)).isEqualTo(reference(Float.MIN_VALUE));
        assertThat(SixDigits.round(Float.NaN)).isNaN();
    }
}
