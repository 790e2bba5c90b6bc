package org.mlpservice.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.mlpservice.engine.NetworkState;
import org.mlpservice.engine.Scaler;

/** Bit-for-bit comparison of network states: every float by its raw bits, so −0 ≠ 0 and NaN = NaN. */
final class NetworkStates {

    private NetworkStates() {
    }

    static void assertBitIdentical(NetworkState actual, NetworkState expected) {
        assertThat(actual.inputs()).isEqualTo(expected.inputs());
        assertThat(actual.loss()).isEqualTo(expected.loss());
        assertThat(actual.layers()).hasSameSizeAs(expected.layers());
        for (int i = 0; i < expected.layers().size(); i++) {
            NetworkState.Layer a = actual.layers().get(i);
            NetworkState.Layer e = expected.layers().get(i);
            assertThat(a.units()).isEqualTo(e.units());
            assertThat(a.activation()).isEqualTo(e.activation());
            assertThat(a.low()).isEqualTo(e.low());
            assertThat(a.high()).isEqualTo(e.high());
            assertThat(a.kernel().length).isEqualTo(e.kernel().length);
            for (int r = 0; r < e.kernel().length; r++) {
                assertThat(bits(a.kernel()[r])).as("layer %d kernel row %d", i, r).isEqualTo(bits(e.kernel()[r]));
            }
            assertThat(bits(a.bias())).as("layer %d bias", i).isEqualTo(bits(e.bias()));
            assertThat(bits(a.slopes())).as("layer %d slopes", i).isEqualTo(bits(e.slopes()));
        }
        assertScaler(actual.inputScaling(), expected.inputScaling());
        assertScaler(actual.targetScaling(), expected.targetScaling());
        assertThat(actual.classes()).isEqualTo(expected.classes());
    }

    private static void assertScaler(Scaler a, Scaler e) {
        assertThat(bits(a.mean())).isEqualTo(bits(e.mean()));
        assertThat(bits(a.scale())).isEqualTo(bits(e.scale()));
    }

    static int[] bits(float[] values) {
        if (values == null) {
            return null;
        }
        int[] bits = new int[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }
}
